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


"""POST /v1/nodes/{ident}/register and /unregister, and deleting a
registered node.

The conductor runs in the process; the provision driver is a stand-in
that records what it is asked (the ironic driver itself is tested against
a real Ironic by the functional tests), except where Ironic is
unreachable.
"""

import fixtures
from oslo_utils import uuidutils

from valence import objects
from valence.common import exception
from valence.common import states
from valence.provision import base as provision_base
from valence.provision import ironic
from valence.tests.unit.api import base
from valence.tests.unit.api import test_policy_matrix

IRONIC_UUID = '6a1f0c2e-5b8d-4e3f-9c7a-2d4b6e8f0a13'
POD_PASSWORD = 'pod-password-2718'
BMC_PASSWORD = 'bmc-password-1414'
COMPOSED = {'system_uri': '/redfish/v1/Systems/3', 'processors': 2,
            'cores': 16, 'arch': 'x86_64', 'memory_mib': 65536,
            'local_gb': 200,
            'nics': [{'mac_address': '02:00:00:00:00:0a',
                      'speed_mbps': 10000},
                     {'mac_address': '02:00:00:00:00:0b',
                      'speed_mbps': 10000}]}


class StubProvisioner(provision_base.ProvisionDriver):
    """Records what the conductor asks; fails as a test tells it to."""

    def __init__(self):
        self.registered = []
        self.unregistered = []
        self.register_error = None
        self.unregister_error = None
        self.check_error = None

    def register(self, description):
        self.registered.append(description)
        if self.register_error:
            raise self.register_error
        return provision_base.RegisteredNode(
            uuid=IRONIC_UUID, name=description.name, driver='redfish',
            provision_state='enroll')

    def unregister(self, ironic_node_uuid, force=False):
        self.unregistered.append((ironic_node_uuid, force))
        if self.unregister_error:
            raise self.unregister_error

    def check_unregister(self, ironic_node_uuid, force=False):
        if self.check_error:
            raise self.check_error

    def get(self, ironic_node_uuid):
        raise exception.ProvisionNodeNotFound(node=ironic_node_uuid)


def make_node(context, driver='redfishv1', project_id=None, **fields):
    podm = objects.PodManager(
        context, uuid=uuidutils.generate_uuid(),
        name='pod-%s' % uuidutils.generate_uuid()[:8],
        url=base.closed_port_url(), driver=driver, auth_type='basic',
        username='admin', password=POD_PASSWORD, verify_tls=False,
        status=states.ONLINE)
    podm.create()
    values = dict(uuid=uuidutils.generate_uuid(), name='node-1',
                  podmanager_id=podm.id, pod_node_uri='/redfish/v1/Nodes/3',
                  state=states.AVAILABLE, project_id=project_id,
                  managed=False, composed=COMPOSED)
    values.update(fields)
    node = objects.Node(context, **values)
    node.create()
    return node


class ProvisionAPITestCase(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.provisioner = StubProvisioner()
        self.useFixture(fixtures.MockPatch('valence.provision.get_driver',
                                           return_value=self.provisioner))
        self.node = make_node(self.context)
        self.path = '/v1/nodes/%s' % self.node.uuid
        # The background work ends before the database goes.
        self.addCleanup(self.manager.stop)

    def post(self, action, body=None, status=202, node=None):
        path = '/v1/nodes/%s/%s' % ((node or self.node).uuid, action)
        if body is None:
            response = self.app.post(path, expect_errors=True)
        else:
            response = self.app.post_json(path, body, expect_errors=True)
        self.assertEqual(status, response.status_int, response.text)
        return response

    def settled(self, node=None):
        """The node once the conductor is done with it."""
        path = '/v1/nodes/%s' % (node or self.node).uuid

        def done():
            shown = self.app.get(path).json
            return shown['state'] not in states.TRANSIENT_NODE_STATES and (
                shown['reservation'] is None)
        self.wait_for(done)
        return self.app.get(path).json

    def registered(self):
        self.node.ironic_node_uuid = IRONIC_UUID
        self.node.provision_driver = 'ironic'
        self.node.save()

    def actions(self):
        return [(a['action'], a['result']) for a in self.app.get(
            self.path + '/actions').json['actions']]

    def events(self, count=None):
        """The register, unregister and delete events; ``count`` of them,
        waited for (they are sent after the node is written)."""
        def sent():
            return [event for event, _data in self.notifications()
                    if '.register.' in event or '.unregister.' in event
                    or '.delete.' in event]
        if count is not None:
            self.wait_for(lambda: len(sent()) >= count)
        return sent()


class TestRegister(ProvisionAPITestCase):

    def test_register_answers_202_registering_then_records_the_uuid(self):
        response = self.post('register', {})
        self.assertEqual(states.REGISTERING, response.json['state'])
        self.assertEqual('http://localhost' + self.path,
                         response.headers['Location'])
        node = self.settled()
        self.assertEqual(states.AVAILABLE, node['state'])
        self.assertEqual(IRONIC_UUID, node['ironic_node_uuid'])
        self.assertIsNone(node['last_error'])
        self.assertEqual('ironic', objects.Node.get_by_uuid(
            self.context, self.node.uuid).provision_driver)
        self.assertEqual([('register', 'success')], self.actions())
        self.assertEqual(['valence.node.register.start',
                          'valence.node.register.end'], self.events(2))

    def test_an_empty_body_registers_with_the_defaults(self):
        self.post('register')
        self.settled()
        [description] = self.provisioner.registered
        self.assertEqual(provision_base.RegisterOptions(),
                         description.options)

    def test_the_description_comes_from_the_composition_and_the_pod(self):
        body = {'driver': 'idrac', 'driver_info': {'x': 1},
                'properties': {'vendor': 'acme'},
                'resource_class': 'composed', 'name': 'compute-1',
                'provide': True}
        self.post('register', body)
        self.settled()
        [description] = self.provisioner.registered
        self.assertEqual(self.node.uuid, description.uuid)
        self.assertEqual('redfishv1', description.pod_driver)
        self.assertEqual(POD_PASSWORD, description.password)
        self.assertFalse(description.verify_tls)
        self.assertEqual('/redfish/v1/Systems/3', description.system_uri)
        self.assertEqual((16, 65536, 200, 'x86_64'),
                         (description.cpus, description.memory_mib,
                          description.local_gb, description.cpu_arch))
        self.assertEqual(['02:00:00:00:00:0a', '02:00:00:00:00:0b'],
                         description.mac_addresses)
        self.assertEqual(provision_base.RegisterOptions(**body),
                         description.options)
        self.assertNotIn(POD_PASSWORD, repr(description))

    def test_registering_again_passes_the_recorded_uuid(self):
        self.registered()
        self.post('register', {})
        self.settled()
        self.assertEqual(IRONIC_UUID,
                         self.provisioner.registered[0].ironic_node_uuid)

    def test_unknown_fields_are_refused_without_echoing_values(self):
        response = self.post('register', {'driver_info': {},
                                          'secret': BMC_PASSWORD}, 400)
        self.assertError(response, 400, "'secret'", 'unknown field')
        self.assertNotIn(BMC_PASSWORD, response.text)
        self.assertEqual([], self.provisioner.registered)

    def test_values_of_the_wrong_type_are_refused(self):
        for body, field in (({'driver_info': BMC_PASSWORD}, 'driver_info'),
                            ({'properties': []}, 'properties'),
                            ({'provide': 'yes'}, 'provide'),
                            ({'name': ''}, 'name'),
                            ({'resource_class': 'x' * 81},
                             'resource_class')):
            response = self.post('register', body, 400)
            self.assertError(response, 400, "'%s'" % field)
            self.assertNotIn(BMC_PASSWORD, response.text)
        response = self.post('register', [], 400)
        self.assertError(response, 400, 'must be an object')

    def test_a_name_ironic_would_refuse_is_refused_at_once(self):
        self.useFixture(fixtures.MockPatch('valence.provision.get_driver',
                                           side_effect=_ironic_driver))
        response = self.post('register', {'name': 'rack 1/node 1'}, 400)
        self.assertError(response, 400, "'name'")
        self.assertNotIn('rack 1', response.text)
        self.assertEqual(states.AVAILABLE,
                         self.app.get(self.path).json['state'])

    def test_expether_without_ipmi_keys_is_refused_naming_them(self):
        self.useFixture(fixtures.MockPatch('valence.provision.get_driver',
                                           side_effect=_ironic_driver))
        node = make_node(self.context, driver='expether')
        response = self.post('register', {'driver_info': {
            'ipmi_address': '192.0.2.1', 'ipmi_password': BMC_PASSWORD}},
            400, node=node)
        self.assertError(response, 400, 'ipmi_username')
        self.assertNotIn('ipmi_address', response.json['error']['message'])
        self.assertNotIn(BMC_PASSWORD, response.text)
        shown = self.app.get('/v1/nodes/%s' % node.uuid).json
        self.assertEqual(states.AVAILABLE, shown['state'])
        self.assertIsNone(shown['reservation'])

    def test_a_node_that_is_not_available_is_a_conflict(self):
        node = make_node(self.context, state=states.COMPOSE_FAILED)
        response = self.post('register', {}, 409, node=node)
        self.assertError(response, 409, 'compose failed')
        self.assertEqual([], self.provisioner.registered)
        self.assertIsNone(self.app.get('/v1/nodes/%s' % node.uuid)
                          .json['reservation'])

    def test_a_locked_node_is_a_conflict_naming_the_holder(self):
        self.node.reserve('other-conductor')
        response = self.post('register', {}, 409)
        self.assertError(response, 409, 'other-conductor')

    def test_an_unknown_node_is_not_found(self):
        response = self.app.post_json(
            '/v1/nodes/%s/register' % uuidutils.generate_uuid(), {},
            expect_errors=True)
        self.assertError(response, 404)

    def test_an_ironic_error_comes_back_in_last_error(self):
        self.provisioner.register_error = exception.ProvisionError(
            reason='Ironic says no', code=400)
        self.post('register', {})
        node = self.settled()
        self.assertEqual(states.AVAILABLE, node['state'])
        self.assertIn('Ironic says no', node['last_error'])
        self.assertIsNone(node['ironic_node_uuid'])
        self.assertEqual([('register', 'error')], self.actions())
        self.events(2)
        event, data = self.notifications('valence.node.register.error')[0]
        self.assertIn('Ironic says no', data['details']['error'])

    def test_a_node_ironic_would_not_provide_keeps_its_uuid(self):
        self.provisioner.register_error = exception.ProvideFailed(
            node=IRONIC_UUID, state='enroll', reason='power failed')
        self.post('register', {'provide': True})
        node = self.settled()
        self.assertEqual(IRONIC_UUID, node['ironic_node_uuid'])
        self.assertIn('power failed', node['last_error'])

    def test_a_failure_of_the_driver_itself_is_no_500(self):
        self.provisioner.register_error = RuntimeError('bug')
        self.post('register', {})
        node = self.settled()
        self.assertIn('unexpected RuntimeError', node['last_error'])

    def test_unreachable_ironic_gives_last_error_and_an_error_event(self):
        self.useFixture(fixtures.MockPatch('valence.provision.get_driver',
                                           side_effect=_ironic_driver))
        self.config(group='ironic', auth_type='none',
                    endpoint_override=base.closed_port_url(),
                    api_max_retries=0)
        self.post('register', {'driver_info': {'x': BMC_PASSWORD}})
        node = self.settled()
        self.assertIn('Ironic cannot be used', node['last_error'])
        self.assertNotIn(POD_PASSWORD, node['last_error'])
        self.assertEqual(['valence.node.register.start',
                          'valence.node.register.error'], self.events(2))


def _ironic_driver(name):
    return ironic.IronicDriver()


class TestUnregister(ProvisionAPITestCase):

    def test_unregister_answers_202_then_clears_the_uuid(self):
        self.registered()
        response = self.post('unregister')
        self.assertEqual(states.UNREGISTERING, response.json['state'])
        node = self.settled()
        self.assertEqual(states.AVAILABLE, node['state'])
        self.assertIsNone(node['ironic_node_uuid'])
        self.assertEqual([(IRONIC_UUID, False)],
                         self.provisioner.unregistered)
        self.assertEqual(['valence.node.unregister.start',
                          'valence.node.unregister.end'], self.events(2))

    def test_force_is_passed_on(self):
        self.registered()
        self.post('unregister', {'force': True})
        self.settled()
        self.assertEqual([(IRONIC_UUID, True)],
                         self.provisioner.unregistered)

    def test_a_deployed_ironic_node_is_refused_at_once(self):
        self.registered()
        self.provisioner.check_error = exception.ProvisionNodeDeployed(
            node=IRONIC_UUID, state='active')
        response = self.post('unregister', {}, 409)
        self.assertError(response, 409, 'active', 'force')
        node = self.app.get(self.path).json
        self.assertEqual((states.AVAILABLE, IRONIC_UUID, None),
                         (node['state'], node['ironic_node_uuid'],
                          node['reservation']))
        self.assertEqual([], self.provisioner.unregistered)

    def test_a_refusal_found_later_leaves_the_node_registered(self):
        self.registered()
        self.provisioner.unregister_error = exception.ProvisionNodeBusy(
            node=IRONIC_UUID, state='cleaning')
        self.post('unregister', {})
        node = self.settled()
        self.assertEqual(IRONIC_UUID, node['ironic_node_uuid'])
        self.assertIn('cleaning', node['last_error'])
        self.assertEqual([('unregister', 'error')], self.actions())

    def test_a_node_not_registered_is_a_conflict(self):
        response = self.post('unregister', {}, 409)
        self.assertError(response, 409, 'not registered')

    def test_bad_force_is_refused(self):
        self.registered()
        for body in ({'force': 'true'}, {'forced': True}):
            self.assertError(self.post('unregister', body, 400), 400)
        self.assertEqual([], self.provisioner.unregistered)


class TestDeleteRegistered(ProvisionAPITestCase):

    def test_delete_unregisters_before_the_pod_is_touched(self):
        self.registered()
        self.app.delete(self.path, status=202)
        node = self.settled()
        self.assertEqual([(IRONIC_UUID, False)],
                         self.provisioner.unregistered)
        self.assertIsNone(node['ironic_node_uuid'])
        # The stand-in pod does not answer: the pod's part fails after.
        self.assertEqual(states.CLEANUP_NEEDED, node['state'])
        self.assertEqual(['valence.node.delete.start',
                          'valence.node.unregister.start',
                          'valence.node.unregister.end',
                          'valence.node.delete.error'], self.events(4))

    def test_delete_of_a_node_ironic_keeps_is_refused_at_once(self):
        self.registered()
        self.provisioner.check_error = exception.ProvisionNodeDeployed(
            node=IRONIC_UUID, state='active')
        response = self.app.delete(self.path, expect_errors=True)
        self.assertError(response, 409, 'active', 'force')
        node = self.app.get(self.path).json
        self.assertEqual(states.AVAILABLE, node['state'])
        self.assertIsNone(node['reservation'])
        self.assertEqual([], self.provisioner.unregistered)

    def test_a_failed_unregistration_leaves_the_node_available(self):
        self.registered()
        self.provisioner.unregister_error = exception.ProvisionNodeBusy(
            node=IRONIC_UUID, state='cleaning')
        self.app.delete(self.path, status=202)
        node = self.settled()
        self.assertEqual(states.AVAILABLE, node['state'])
        self.assertEqual(IRONIC_UUID, node['ironic_node_uuid'])
        self.assertIn('cleaning', node['last_error'])
        self.assertEqual(['valence.node.delete.start',
                          'valence.node.unregister.start',
                          'valence.node.unregister.error',
                          'valence.node.delete.error'], self.events(4))

    def test_delete_of_a_node_never_registered_asks_nothing(self):
        self.provisioner.check_error = exception.ProvisionUnavailable(
            reason='down')
        self.app.delete(self.path, status=202)
        self.settled()
        self.assertEqual([], self.provisioner.unregistered)


class TestRecovery(ProvisionAPITestCase):

    def test_a_node_left_registering_is_made_available_again(self):
        for state in (states.REGISTERING, states.UNREGISTERING):
            node = make_node(self.context, state=state,
                             reservation='gone-conductor')
            self.manager.recover_nodes()
            shown = self.app.get('/v1/nodes/%s' % node.uuid).json
            self.assertEqual(states.AVAILABLE, shown['state'])
            self.assertIsNone(shown['reservation'])
            self.assertIn('ask again', shown['last_error'])


class TestOtherProject(test_policy_matrix.KeystoneAPITestCase):

    def test_another_projects_node_is_not_found(self):
        node = make_node(self.context,
                         project_id=test_policy_matrix.PROJECT_A)
        for action in ('register', 'unregister'):
            response = self.request('POST', '/v1/nodes/%s/%s' % (
                node.uuid, action), 'other_project_member', {})
            self.assertError(response, 404)
