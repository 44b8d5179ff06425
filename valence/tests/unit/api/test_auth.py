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


"""Authentication: Keystone tokens, HTTP basic, and noauth."""

import base64
import os

import bcrypt
import fixtures
import webtest

from valence.api import app
from valence.api.middleware import basic_auth
from valence.cmd import api as api_cmd
from valence.tests.unit.api import base
from valence.tests.unit.api import test_policy_matrix

PODMS = '/v1/pod_managers'
FORGED_ADMIN = {'X-Roles': 'admin,member,reader',
                'OpenStack-System-Scope': 'all',
                'X-Identity-Status': 'Confirmed',
                'X-Project-Id': test_policy_matrix.PROJECT_A}


def basic(user, password):
    pair = ('%s:%s' % (user, password)).encode()
    return {'Authorization': 'Basic ' + base64.b64encode(pair).decode()}


class TestKeystone(test_policy_matrix.KeystoneAPITestCase):

    def test_public_documents_need_no_token(self):
        for path in ('/', '/v1', '/v1/', '/healthcheck'):
            self.assertEqual(200, self.app.get(path).status_int, path)

    def test_unauthenticated_answer_is_a_json_401_pointing_at_keystone(self):
        response = self.app.get(PODMS, expect_errors=True)
        self.assertError(response, 401, 'requires authentication')
        self.assertIn('Keystone uri=', response.headers['WWW-Authenticate'])

    def test_an_unknown_token_is_refused(self):
        response = self.app.get(PODMS, headers={'X-Auth-Token': 'forged'},
                                expect_errors=True)
        self.assertError(response, 401)

    def test_identity_headers_without_a_token_are_not_trusted(self):
        response = self.app.get(PODMS, headers=FORGED_ADMIN,
                                expect_errors=True)
        self.assertError(response, 401)

    def test_identity_headers_do_not_raise_a_tokens_rights(self):
        headers = dict(FORGED_ADMIN,
                       **{'X-Auth-Token': self.tokens['project_member']})
        response = self.app.get(PODMS, headers=headers, expect_errors=True)
        self.assertError(response, 403, 'valence:pod_manager:list')


class BasicAuthTestCase(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.user_file = os.path.join(self.state_path, 'htpasswd')
        self.write_users({'operator': 'op-pw', 'watcher': 'watch-pw'})
        self.config(auth_strategy='http_basic',
                    http_basic_auth_user_file=self.user_file,
                    http_basic_reader_users=['watcher'])
        self.app = webtest.TestApp(app.setup_app())

    def write_users(self, users):
        with open(self.user_file, 'w') as f:
            f.write('# Valence users\n')
            for user, password in users.items():
                hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4))
                f.write('%s:%s\n' % (user, hashed.decode()))


class TestHTTPBasic(BasicAuthTestCase):

    def test_users_act_as_system_administrators(self):
        response = self.app.get(PODMS, headers=basic('operator', 'op-pw'))
        self.assertEqual([], response.json['pod_managers'])
        response = self.app.post_json(
            PODMS, {'name': 'rack-1', 'url': base.closed_port_url(),
                    'authentication': [{'type': 'basic', 'auth_items': {
                        'username': 'u', 'password': 'p'}}]},
            headers=basic('operator', 'op-pw'))
        self.assertEqual(201, response.status_int)

    def test_reader_users_may_only_read(self):
        headers = basic('watcher', 'watch-pw')
        self.assertEqual(200, self.app.get(PODMS, headers=headers).status_int)
        response = self.app.post_json(PODMS, {'name': 'x'}, headers=headers,
                                      expect_errors=True)
        self.assertError(response, 403, 'valence:pod_manager:create')

    def test_htpasswd_y_hashes_are_accepted(self):
        hashed = bcrypt.hashpw(b'y-pw', bcrypt.gensalt(4)).decode()
        with open(self.user_file, 'a') as f:
            f.write('apache:$2y$%s\n' % hashed[4:])
        response = self.app.get(PODMS, headers=basic('apache', 'y-pw'))
        self.assertEqual(200, response.status_int)

    def test_a_wrong_password_is_a_json_401_asking_for_basic(self):
        response = self.app.get(PODMS, headers=basic('operator', 'wrong'),
                                expect_errors=True)
        self.assertError(response, 401, 'user name or password is wrong')
        self.assertEqual('Basic realm="Valence"',
                         response.headers['WWW-Authenticate'])

    def test_an_unknown_user_is_refused_like_a_wrong_password(self):
        response = self.app.get(PODMS, headers=basic('nobody', 'op-pw'),
                                expect_errors=True)
        self.assertError(response, 401, 'user name or password is wrong')

    def test_missing_or_malformed_credentials_are_refused(self):
        for headers in ({}, {'Authorization': 'Basic !!!'},
                        {'Authorization': 'Bearer abc'}, FORGED_ADMIN,
                        {'Authorization': 'Basic ' +
                         base64.b64encode(b'no-colon').decode()}):
            response = self.app.get(PODMS, headers=headers,
                                    expect_errors=True)
            self.assertError(response, 401, 'Authentication required')

    def test_public_documents_need_no_credentials(self):
        for path in ('/', '/v1', '/healthcheck'):
            self.assertEqual(200, self.app.get(path).status_int, path)

    def test_user_file_changes_apply_without_restart(self):
        self.write_users({'newcomer': 'new-pw'})
        self.assertEqual(200, self.app.get(
            PODMS, headers=basic('newcomer', 'new-pw')).status_int)
        response = self.app.get(PODMS, headers=basic('operator', 'op-pw'),
                                expect_errors=True)
        self.assertError(response, 401)

    def test_a_password_too_long_for_bcrypt_is_refused(self):
        response = self.app.get(PODMS, headers=basic('operator', 'x' * 100),
                                expect_errors=True)
        self.assertError(response, 401)


class TestUserFile(BasicAuthTestCase):

    def test_a_hash_other_than_bcrypt_stops_the_start_naming_the_user(self):
        with open(self.user_file, 'a') as f:
            f.write('legacy:$apr1$abcdefgh$0123456789abcdefghijkl\n')
        error = self.assertRaises(basic_auth.UserFileError, app.setup_app)
        self.assertIn('user legacy (line 4', str(error))
        self.assertNotIn('$apr1$', str(error))

    def test_a_missing_user_file_stops_the_start(self):
        self.config(http_basic_auth_user_file=self.user_file + '.missing')
        error = self.assertRaises(basic_auth.UserFileError, app.setup_app)
        self.assertIn('Cannot read the htpasswd file', str(error))

    def test_a_user_file_lost_later_answers_503(self):
        os.unlink(self.user_file)
        response = self.app.get(PODMS, headers=basic('operator', 'op-pw'),
                                expect_errors=True)
        self.assertError(response, 503)


class TestStartChecks(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(name='valence'))

    def test_listening_beyond_loopback_without_auth_is_warned(self):
        for host in ('0.0.0.0', '::', '192.0.2.10'):
            api_cmd.warn_if_exposed_without_auth(host)
            self.assertIn('listens on %s with auth_strategy = noauth' % host,
                          self.log.output)

    def test_loopback_is_not_warned(self):
        for host in ('127.0.0.1', '::1', 'localhost'):
            api_cmd.warn_if_exposed_without_auth(host)
        self.assertEqual('', self.log.output)

    def test_no_warning_with_authentication(self):
        self.config(auth_strategy='keystone')
        api_cmd.warn_if_exposed_without_auth('0.0.0.0')
        self.assertEqual('', self.log.output)

    def test_an_unusable_user_file_stops_the_start(self):
        self.config(auth_strategy='http_basic',
                    http_basic_auth_user_file=self.state_path + '/none')
        error = self.assertRaises(SystemExit, api_cmd.check_authentication)
        self.assertIn('Cannot read the htpasswd file', str(error))
