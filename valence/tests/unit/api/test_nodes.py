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


"""The node API's answers that do not need a pod: validation, lookups,
ownership of the request and the states a node must be in."""

from cryptography import fernet
from oslo_utils import uuidutils

from valence import objects
from valence.common import crypto
from valence.common import states
from valence.db import api as db_api
from valence.tests.unit.api import base
from valence.tests.unit.db import test_inventory


class NodeAPITestCase(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-1',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='u', password='p', verify_tls=True,
            status=states.OFFLINE)
        self.podm.create()

    def node(self, state=states.AVAILABLE, name='node-1', **fields):
        node = objects.Node(
            self.context, uuid=uuidutils.generate_uuid(), name=name,
            podmanager_id=self.podm.id, pod_node_uri='/redfish/v1/Nodes/%s'
            % uuidutils.generate_uuid(), state=state, managed=False,
            composed={}, **fields)
        node.create()
        return node

    def post(self, path, body, status):
        response = self.app.post_json(path, body, expect_errors=True)
        self.assertEqual(status, response.status_int, response.text)
        return response


class TestCompose(NodeAPITestCase):

    def test_properties_of_the_wrong_type_are_400_naming_the_field(self):
        response = self.post('/v1/nodes', {
            'name': 'n', 'properties': {'processor': {'total_cores': 'many'}}},
            400)
        self.assertError(response, 400, 'properties.processor.total_cores')

    def test_numbers_given_as_digits_are_taken(self):
        response = self.post('/v1/nodes', {
            'name': 'n', 'properties': {'processor': {'total_cores': '4'}}},
            422)
        self.assertError(response, 422, 'pod-1: the pod manager is offline')

    def test_flavor_and_properties_together_are_400(self):
        response = self.post('/v1/nodes', {
            'name': 'n', 'flavor_id': uuidutils.generate_uuid(),
            'properties': {}}, 400)
        self.assertError(response, 400, 'either flavor_id or properties')

    def test_unknown_flavor_is_404(self):
        response = self.post('/v1/nodes', {
            'name': 'n', 'flavor_id': uuidutils.generate_uuid()}, 404)
        self.assertError(response, 404)

    def test_unknown_pod_manager_is_404(self):
        response = self.post('/v1/nodes', {
            'name': 'n', 'podm_id': uuidutils.generate_uuid()}, 404)
        self.assertError(response, 404)

    def test_unknown_field_is_400(self):
        response = self.post('/v1/nodes', {'name': 'n', 'colour': 'blue'},
                             400)
        self.assertError(response, 400, "'colour'")

    def test_no_valid_pod_records_nothing(self):
        self.post('/v1/nodes', {'name': 'n'}, 422)
        self.assertEqual([], objects.Node.list(self.context))
        self.assertEqual([], self.notifications())


class TestRead(NodeAPITestCase):

    def test_show_by_uuid_and_name(self):
        node = self.node()
        by_uuid = self.app.get('/v1/nodes/%s' % node.uuid).json
        by_name = self.app.get('/v1/nodes/node-1').json
        self.assertEqual(node.uuid, by_uuid['uuid'])
        self.assertEqual(node.uuid, by_name['uuid'])
        self.assertEqual(self.podm.uuid, by_uuid['podm_id'])
        self.assertEqual(node.pod_node_uri.rsplit('/', 1)[-1],
                         by_uuid['index'])

    def test_ambiguous_name_is_409(self):
        self.node()
        self.node()
        response = self.app.get('/v1/nodes/node-1', expect_errors=True)
        self.assertError(response, 409, 'use the uuid')

    def test_unknown_node_is_404(self):
        response = self.app.get('/v1/nodes/%s' % uuidutils.generate_uuid(),
                                expect_errors=True)
        self.assertError(response, 404)

    def test_list_is_a_summary_unless_detail(self):
        self.node()
        [summary] = self.app.get('/v1/nodes').json['nodes']
        self.assertNotIn('composed', summary)
        self.assertEqual('node-1', summary['name'])
        [detail] = self.app.get('/v1/nodes?detail=true').json['nodes']
        self.assertEqual({}, detail['composed'])

    def test_list_filters_by_state(self):
        self.node(name='a')
        self.node(name='b', state=states.COMPOSE_FAILED)
        listed = self.app.get('/v1/nodes?state=compose%20failed').json
        self.assertEqual(['b'], [n['name'] for n in listed['nodes']])

    def test_bad_detail_value_is_400(self):
        response = self.app.get('/v1/nodes?detail=maybe', expect_errors=True)
        self.assertError(response, 400, "'detail'")

    def test_unknown_filter_is_400(self):
        response = self.app.get('/v1/nodes?colour=red', expect_errors=True)
        self.assertError(response, 400, 'colour', 'podm_id')


class TestStates(NodeAPITestCase):

    def test_deleting_a_composing_node_is_409(self):
        node = self.node(state=states.COMPOSING)
        response = self.app.delete('/v1/nodes/%s' % node.uuid,
                                   expect_errors=True)
        self.assertError(response, 409, 'composing')
        self.assertEqual(states.COMPOSING, objects.Node.get_by_uuid(
            self.context, node.uuid).state)

    def test_a_locked_node_answers_409_naming_the_holder(self):
        node = self.node()
        node.reserve('other-conductor')
        response = self.app.delete('/v1/nodes/%s' % node.uuid,
                                   expect_errors=True)
        self.assertError(response, 409, 'other-conductor')

    def test_power_of_a_node_that_is_not_available_is_409(self):
        node = self.node(state=states.COMPOSE_FAILED)
        response = self.post('/v1/nodes/%s/action' % node.uuid,
                             {'Reset': {'Type': 'On'}}, 409)
        self.assertError(response, 409, 'compose failed')

    def test_unknown_reset_type_is_400(self):
        node = self.node()
        response = self.post('/v1/nodes/%s/action' % node.uuid,
                             {'Reset': {'Type': 'Explode'}}, 400)
        self.assertError(response, 400, "'Reset.Type'")

    def test_two_actions_at_once_are_400(self):
        node = self.node()
        response = self.post('/v1/nodes/%s/action' % node.uuid, {
            'Reset': {'Type': 'On'}, 'Boot': {'Enabled': 'Once'}}, 400)
        self.assertError(response, 400)

    def test_attach_of_an_unknown_device_is_400(self):
        node = self.node()
        response = self.post('/v1/nodes/%s/devices' % node.uuid,
                             {'resource_id': uuidutils.generate_uuid()}, 400)
        self.assertError(response, 400, "'resource_id'")

    def test_actions_list_what_happened(self):
        node = self.node()
        objects.NodeAction.start(self.context, node.uuid, 'compose',
                                 'test-host').finish(error='boom')
        actions = self.app.get('/v1/nodes/%s/actions' % node.uuid).json
        self.assertEqual([('compose', 'error', 'boom')],
                         [(a['action'], a['result'], a['error'])
                          for a in actions['actions']])

    def test_manage_needs_a_pod_manager_when_there_are_several(self):
        objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-2',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='u', password='p', verify_tls=True,
            status=states.OFFLINE).create()
        response = self.post('/v1/nodes/manage', {'node_index': '1'}, 400)
        self.assertError(response, 400, "'podm_id'")


class TestDeviceClaim(NodeAPITestCase):

    def test_an_attach_refused_after_the_claim_leaves_nothing_claimed(self):
        node = self.node()
        dbapi = db_api.get_instance()
        dbapi.apply_inventory(self.podm.id, {'devices': [
            test_inventory.device('/redfish/v1/Devices/GPU1')]})
        device = objects.Device.list(self.context)[0]
        # The pod's password was encrypted with a key this service lacks:
        # the conductor finds out only when it makes the driver, after it
        # has claimed the device.
        foreign = fernet.Fernet(fernet.Fernet.generate_key())
        dbapi.update_pod_manager(self.podm.uuid, {
            'password': crypto.PREFIX + foreign.encrypt(b'p').decode()})
        response = self.app.post_json(
            '/v1/nodes/%s/devices' % node.uuid,
            {'resource_id': device.uuid}, expect_errors=True)
        self.assertError(response, 503, 'cannot be decrypted')
        device = self.app.get('/v1/devices/%s' % device.uuid).json
        node = self.app.get('/v1/nodes/%s' % node.uuid).json
        self.assertEqual((states.FREE, None),
                         (device['state'], device['node_id']))
        self.assertEqual(states.AVAILABLE, node['state'])
        # Nobody holds the node: the next request is taken.
        response = self.app.post_json(
            '/v1/nodes/%s/devices' % node['uuid'],
            {'resource_id': device['uuid']}, expect_errors=True)
        self.assertError(response, 503, 'cannot be decrypted')
