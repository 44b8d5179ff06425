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


"""Every API operation as every persona, with Keystone authentication.

The cells come from policy_matrix.yaml (one test per endpoint and
persona). Requests go through the real Pecan app and middleware with
``auth_strategy = keystone``; only the token validation against a Keystone
server is replaced, by keystonemiddleware's own AuthTokenFixture, since no
Keystone runs in unit tests (the functional tests use a real one).
"""

import json

from keystoneauth1 import fixture as ksa_fixture
from keystonemiddleware import fixture as ksm_fixture
from oslo_utils import uuidutils
import webtest

from valence import objects
from valence.api import app
from valence.common import states
from valence.objects import inventory
from valence.tests.fixtures import policy_matrix
from valence.tests.unit.api import base

PROJECT_A = 'a0000000000000000000000000000000'
PROJECT_B = 'b0000000000000000000000000000000'
ADMIN_ROLES = ('admin', 'member', 'reader')
MEMBER_ROLES = ('member', 'reader')
READER_ROLES = ('reader',)

# persona: (project, or None for a system-scoped token; roles)
PERSONA_TOKENS = {
    'system_admin': (None, ADMIN_ROLES),
    'system_reader': (None, READER_ROLES),
    'project_admin': (PROJECT_A, ADMIN_ROLES),
    'project_member': (PROJECT_A, MEMBER_ROLES),
    'project_reader': (PROJECT_A, READER_ROLES),
    'other_project_member': (PROJECT_B, MEMBER_ROLES),
}


def make_token(project_id, roles):
    """A Keystone v3 token body, scoped to a project or to the system."""
    token = ksa_fixture.V3Token(user_id=uuidutils.generate_uuid(dashed=False),
                                project_id=project_id)
    if project_id is None:
        token.set_system_scope()
    for role in roles:
        token.add_role(name=role)
    return token


class KeystoneAPITestCase(base.APITestCase):
    """The API with ``auth_strategy = keystone``; ``self.tokens`` holds a
    token id per persona of the matrix."""

    def setUp(self):
        super().setUp()
        self.config(auth_strategy='keystone')
        self.config(www_authenticate_uri='http://keystone.test/identity',
                    group='keystone_authtoken')
        auth = self.useFixture(ksm_fixture.AuthTokenFixture())
        self.tokens = {persona: auth.add_token(make_token(*scope))
                       for persona, scope in PERSONA_TOKENS.items()}
        self.app = webtest.TestApp(app.setup_app())

    def request(self, method, path, persona, body=None):
        headers = {}
        if persona != 'no_token':
            headers['X-Auth-Token'] = self.tokens[persona]
        if body is None:
            return self.app.request(path, method=method, headers=headers,
                                    expect_errors=True)
        return self.app.request(path, method=method, headers=headers,
                                body=json.dumps(body).encode(),
                                content_type='application/json',
                                expect_errors=True)


class TestPolicyMatrix(KeystoneAPITestCase):

    def setUp(self):
        super().setUp()
        podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='rack-1',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='admin', password='p',
            verify_tls=True, status=states.OFFLINE)
        podm.create()
        inventory.apply(self.context, podm.id, {
            'racks': [{'pod_uri': '/c/rack', 'name': 'rack-1',
                       'chassis_type': 'Rack'}],
            'systems': [{'pod_uri': '/s/1', 'name': 'system-1',
                         'state': 'free', 'cores': 8, 'processors': 1,
                         'memory_mib': 16384, 'local_gb': 0,
                         'rack_uri': '/c/rack', 'mac_addresses': []}],
            'storages': [{'pod_uri': '/v/1', 'name': 'volume-1',
                          'kind': 'volume', 'state': 'free',
                          'capacity_gib': 500}],
            'devices': [{'pod_uri': '/d/1', 'name': 'gpu-1', 'type': 'GPU',
                         'state': 'free', 'vendor': 'Acme', 'model': 'M1',
                         'properties': {}}],
        })
        # The node is on a pod manager of its own, which the pod manager
        # cells do not delete.
        node_podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='rack-2',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='admin', password='p',
            verify_tls=True, status=states.OFFLINE)
        node_podm.create()
        node = objects.Node(
            self.context, uuid=uuidutils.generate_uuid(), name='node-1',
            podmanager_id=node_podm.id, pod_node_uri='/redfish/v1/Nodes/1',
            state=states.AVAILABLE, project_id=PROJECT_A, managed=False,
            composed={})
        node.create()
        self.names = {'pod_manager': podm.uuid, 'node': node.uuid,
                      'closed_url': base.closed_port_url(),
                      'conductor': self.manager.host}
        for name, project_id in (('flavor', None),
                                 ('private_flavor', PROJECT_A)):
            flavor = objects.Flavor(
                self.context, uuid=uuidutils.generate_uuid(), name=name,
                description=None, properties={}, project_id=project_id)
            flavor.create()
            self.names[name] = flavor.uuid
        for kind, name in (('system', 'system-1'), ('storage', 'volume-1'),
                           ('rack', 'rack-1'), ('device', 'gpu-1')):
            listed = self.app.get('/v1/%ss?name=%s' % (kind, name), headers={
                'X-Auth-Token': self.tokens['system_admin']})
            self.names[kind] = listed.json['%ss' % kind][0]['uuid']

    def check_cell(self, cell):
        response = self.request(cell.method,
                                policy_matrix.fill(cell.path, self.names),
                                cell.persona,
                                policy_matrix.fill(cell.body, self.names))
        self.assertEqual(cell.status, response.status_int, response.text)
        if cell.status >= 400:
            self.assertError(response, cell.status)
        if cell.status == 401:
            self.assertIn('WWW-Authenticate', response.headers)


policy_matrix.add_tests(TestPolicyMatrix, policy_matrix.load())
