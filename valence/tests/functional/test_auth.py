# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Authentication against real services.

A real Keystone (SQLite, served on loopback) issues the tokens of every
persona, and the all-in-one ``valence`` validates them with
keystonemiddleware: the entries of the policy matrix marked
``functional`` must answer as they do in the unit tests. The
``http_basic`` mode runs end to end with an htpasswd file.
"""

import os
import uuid

import bcrypt
import fixtures
import testtools

from valence.tests.fixtures import keystone
from valence.tests.fixtures import policy_matrix
from valence.tests.functional import base

PODMS = '/v1/pod_managers'


def closed_url():
    return 'http://127.0.0.1:%d' % base.free_port()


def podm_body(name, url):
    return {'name': name, 'url': url, 'authentication': [{
        'type': 'basic', 'auth_items': {'username': 'admin',
                                        'password': 'pod-pw'}}]}


class ClassFixturesMixin:
    """Fixtures set up once for a test class: Keystone takes a while."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._class_fixtures = []
        try:
            cls.set_up_class_fixtures()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def class_fixture(cls, fixture):
        fixture.setUp()
        cls._class_fixtures.append(fixture)
        return fixture

    @classmethod
    def tearDownClass(cls):
        while cls._class_fixtures:
            cls._class_fixtures.pop().cleanUp()
        super().tearDownClass()


class TestKeystone(ClassFixturesMixin, testtools.TestCase):

    @classmethod
    def set_up_class_fixtures(cls):
        cls.keystone = cls.class_fixture(keystone.KeystoneFixture())
        tempdir = cls.class_fixture(fixtures.TempDir()).path
        cls.services = cls.class_fixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            options={'DEFAULT': {'auth_strategy': 'keystone'},
                     'keystone_authtoken':
                         cls.keystone.authtoken_options()}))
        cls.tokens = {persona: cls.keystone.token(persona)
                      for persona in keystone.PERSONAS}

    def api(self, method, path, persona, body=None):
        headers = {}
        if persona != 'no_token':
            headers['X-Auth-Token'] = self.tokens[persona]
        return self.services.api(method, path, json=body, headers=headers)

    def setUp(self):
        super().setUp()
        # A pod manager of this test's own, for the cells to act on.
        response = self.api('POST', PODMS, 'system_admin', podm_body(
            'rack-%s' % uuid.uuid4().hex[:8], closed_url()))
        self.assertEqual(201, response.status_code, response.text)
        self.names = {'pod_manager': response.json()['uuid'],
                      'closed_url': closed_url()}

    def check_cell(self, cell):
        response = self.api(cell.method,
                            policy_matrix.fill(cell.path, self.names),
                            cell.persona,
                            policy_matrix.fill(cell.body, self.names))
        self.assertEqual(cell.status, response.status_code, response.text)
        if cell.status >= 400:
            self.assertEqual(cell.status, response.json()['error']['code'])

    def test_unauthenticated_callers_are_sent_to_keystone(self):
        response = self.api('GET', PODMS, 'no_token')
        self.assertEqual(401, response.status_code)
        self.assertEqual('Keystone uri="%s"' % self.keystone.url,
                         response.headers['WWW-Authenticate'])

    def test_a_token_keystone_did_not_issue_is_refused(self):
        response = self.services.api('GET', PODMS,
                                     headers={'X-Auth-Token': 'forged'})
        self.assertEqual(401, response.status_code, response.text)


policy_matrix.add_tests(
    TestKeystone, [c for c in policy_matrix.load() if c.functional])


class TestHTTPBasic(testtools.TestCase):

    def setUp(self):
        super().setUp()
        tempdir = self.useFixture(fixtures.TempDir()).path
        user_file = os.path.join(tempdir, 'htpasswd')
        with open(user_file, 'w') as f:
            for user, password in (('operator', 'op-pw'),
                                   ('watcher', 'watch-pw')):
                hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4))
                f.write('%s:%s\n' % (user, hashed.decode()))
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            options={'DEFAULT': {
                'auth_strategy': 'http_basic',
                'http_basic_auth_user_file': user_file,
                'http_basic_reader_users': 'watcher'}}))

    def test_users_administer_and_readers_read(self):
        response = self.services.api('POST', PODMS,
                                     json=podm_body('rack-1', closed_url()),
                                     auth=('operator', 'op-pw'))
        self.assertEqual(201, response.status_code, response.text)
        listed = self.services.api('GET', PODMS, auth=('watcher', 'watch-pw'))
        self.assertEqual(['rack-1'],
                         [p['name'] for p in listed.json()['pod_managers']])
        response = self.services.api('DELETE', PODMS + '/rack-1',
                                     auth=('watcher', 'watch-pw'))
        self.assertEqual(403, response.status_code, response.text)

    def test_wrong_or_missing_credentials_are_refused(self):
        for auth in (None, ('operator', 'wrong'), ('nobody', 'op-pw')):
            response = self.services.api('GET', PODMS, auth=auth)
            self.assertEqual(401, response.status_code, auth)
            self.assertEqual('Basic realm="Valence"',
                             response.headers['WWW-Authenticate'])
            self.assertEqual(401, response.json()['error']['code'])

    def test_version_documents_are_public(self):
        for path in ('/', '/v1', '/healthcheck'):
            self.assertEqual(200, self.services.api('GET', path).status_code)
