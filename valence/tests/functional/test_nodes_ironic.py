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


"""Composed nodes registered in a real Ironic through the API.

The all-in-one service composes nodes on an emulator pod and registers
them in Ironic's all-in-one process (noauth, SQLite); what Ironic holds
is checked through Ironic's own API with python-ironicclient.
"""

from testtools import content

from valence.tests.fixtures import ironic as ironic_fixture
from valence.tests.functional import base
from valence.tests.functional import test_nodes

IPMI_INFO = {'ipmi_address': '192.0.2.10', 'ipmi_username': 'bmc',
             'ipmi_password': 'bmc-secret-2718'}


class IronicNodeTestCase(test_nodes.NodeTestCase):
    """NodeTestCase with one Ironic for the class, emptied after each
    test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ironic = ironic_fixture.class_fixture()

    @classmethod
    def tearDownClass(cls):
        cls.ironic.cleanUp()
        super().tearDownClass()

    def setUp(self):
        self.addOnException(self.attach_logs)
        super().setUp()
        self.client = self.ironic.client()
        self.addCleanup(ironic_fixture.delete_nodes, self.client)

    def service_options(self):
        options = super().service_options()
        options['ironic'] = self.ironic.valence_options()
        return options

    def attach_logs(self, exc_info):
        self.addDetail('ironic-log', content.text_content(
            self.ironic.log()[-20000:]))
        if getattr(self, 'services', None) is not None:
            self.addDetail('valence-log', content.text_content(
                self.services.logs()[-20000:]))

    def composed(self):
        node = self.settled(self.compose({})['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        return node

    def register_node(self, node_uuid, body=None, status=202):
        """Register a node in Ironic; the node once the work is done, or
        the error answer."""
        response = self.api('POST', '/v1/nodes/%s/register' % node_uuid,
                            status, json=body or {})
        if status != 202:
            return response.json()
        self.assertEqual('registering', response.json()['state'])
        return self.settled(node_uuid)

    def unregister_node(self, node_uuid, body=None, status=202):
        response = self.api('POST', '/v1/nodes/%s/unregister' % node_uuid,
                            status, json=body or {})
        if status != 202:
            return response.json()
        return self.settled(node_uuid)

    def ironic_node(self, node):
        self.assertTrue(node['ironic_node_uuid'], node['last_error'])
        return self.client.node.get(node['ironic_node_uuid'])

    def ports(self, ironic_uuid):
        return sorted(p.address for p in self.client.node.list_ports(
            ironic_uuid, detail=True, limit=0))

    def macs(self, node):
        return sorted(nic['mac_address'].lower()
                      for nic in node['composed']['nics'])

    def wait_for_ironic_state(self, ironic_uuid, state):
        return ironic_fixture.wait_for_state(self.client, ironic_uuid, state)

    def actions(self, node_uuid):
        return [(a['action'], a['result']) for a in self.api(
            'GET', '/v1/nodes/%s/actions' % node_uuid, 200).json()['actions']
            if a['step'] is None]


class RedfishTests:
    """Registering composed Redfish systems, on RSD and DMTF pods."""

    def test_register_then_manage_in_ironic(self):
        node = self.register_node(self.composed()['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        self.assertIsNone(node['last_error'])

        ironic = self.ironic_node(node)
        self.assertEqual('redfish', ironic.driver)
        self.assertEqual('enroll', ironic.provision_state)
        self.assertEqual({'valence_node_uuid': node['uuid']}, ironic.extra)
        info = ironic.driver_info
        self.assertEqual(self.pod.url, info['redfish_address'])
        self.assertEqual(node['composed']['system_uri'],
                         info['redfish_system_id'])
        self.assertEqual('admin', info['redfish_username'])
        self.assertEqual('******', info['redfish_password'])
        self.assertEqual(node['composed']['memory_mib'],
                         ironic.properties['memory_mb'])
        self.assertTrue(self.macs(node))
        self.assertEqual(self.macs(node), self.ports(ironic.uuid))

        # Ironic reaches the composed system through the pod manager.
        self.client.node.set_provision_state(ironic.uuid, 'manage')
        managed = self.wait_for_ironic_state(ironic.uuid, 'manageable')
        self.assertIsNone(managed.last_error)

    def test_register_again_updates_the_same_ironic_node(self):
        node = self.register_node(self.composed()['uuid'])
        again = self.register_node(node['uuid'], {'resource_class': 'composed',
                                             'properties': {'rack': 'r1'}})
        self.assertEqual(node['ironic_node_uuid'], again['ironic_node_uuid'])
        self.assertEqual([node['ironic_node_uuid']],
                         [n.uuid for n in self.client.node.list()])
        ironic = self.ironic_node(again)
        self.assertEqual('composed', ironic.resource_class)
        self.assertEqual('r1', ironic.properties['rack'])
        self.assertEqual([('compose', 'success'), ('register', 'success'),
                          ('register', 'success')],
                         self.actions(node['uuid']))

    def test_register_with_provide_makes_it_available_in_ironic(self):
        node = self.register_node(self.composed()['uuid'], {'provide': True})
        self.assertEqual('available',
                         self.ironic_node(node).provision_state)

    def test_unregister_removes_it_from_ironic(self):
        node = self.register_node(self.composed()['uuid'])
        node = self.unregister_node(node['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        self.assertIsNone(node['ironic_node_uuid'])
        self.assertEqual([], self.client.node.list())
        self.assertEqual([], self.client.port.list())

    def test_delete_removes_it_from_ironic_and_the_pod(self):
        node = self.register_node(self.composed()['uuid'])
        self.assertTrue(self.pod.allocations())
        self.delete(node['uuid'])
        self.assertEqual([], self.client.node.list())
        self.assertEqual({}, self.pod.allocations())

    def test_a_deployed_node_stays_unless_forced(self):
        node = self.register_node(self.composed()['uuid'],
                             {'driver': 'fake-hardware', 'provide': True})
        ironic_uuid = node['ironic_node_uuid']
        self.client.node.set_provision_state(ironic_uuid, 'active')
        self.wait_for_ironic_state(ironic_uuid, 'active')

        refused = self.unregister_node(node['uuid'], status=409)
        self.assertIn('active', refused['error']['message'])
        refused = self.api('DELETE', '/v1/nodes/%s' % node['uuid'], 409)
        self.assertIn('force', refused.json()['error']['message'])
        node = self.api('GET', '/v1/nodes/%s' % node['uuid'], 200).json()
        self.assertEqual(('available', ironic_uuid),
                         (node['state'], node['ironic_node_uuid']))
        self.assertEqual('active',
                         self.client.node.get(ironic_uuid).provision_state)
        self.assertTrue(self.pod.allocations())

        node = self.unregister_node(node['uuid'], {'force': True})
        self.assertIsNone(node['ironic_node_uuid'], node['last_error'])
        self.assertEqual([], self.client.node.list())
        self.delete(node['uuid'])
        self.assertEqual({}, self.pod.allocations())


class TestRSD(RedfishTests, IronicNodeTestCase):
    PERSONALITY = 'rsd'


class TestDMTF(RedfishTests, IronicNodeTestCase):
    PERSONALITY = 'dmtf'
    SYSTEMS = 8


class TestExpEther(IronicNodeTestCase):
    PERSONALITY = 'expether'

    def test_without_ipmi_driver_info_it_is_refused_naming_the_keys(self):
        node = self.composed()
        refused = self.register_node(node['uuid'], {'driver_info': {
            'ipmi_address': '192.0.2.10'}}, status=400)
        message = refused['error']['message']
        self.assertIn('ipmi_username, ipmi_password', message)
        self.assertNotIn('192.0.2.10', message)
        node = self.api('GET', '/v1/nodes/%s' % node['uuid'], 200).json()
        self.assertEqual('available', node['state'])
        self.assertIsNone(node['reservation'])
        self.assertEqual([], self.client.node.list())

    def test_registers_an_ipmi_node_with_the_servers_macs(self):
        node = self.register_node(self.composed()['uuid'],
                             {'driver_info': IPMI_INFO})
        ironic = self.ironic_node(node)
        self.assertEqual('ipmi', ironic.driver)
        self.assertEqual('192.0.2.10', ironic.driver_info['ipmi_address'])
        self.assertEqual('******', ironic.driver_info['ipmi_password'])
        self.assertTrue(self.macs(node))
        self.assertEqual(self.macs(node), self.ports(ironic.uuid))
        self.assertNotIn(IPMI_INFO['ipmi_password'], self.services.logs())


class TestIronicUnreachable(test_nodes.NodeTestCase):
    """No Ironic where [ironic] points: the node says why, and so does a
    notification."""

    def transport_url(self):
        base.require_rabbit(self)
        vhost = self.useFixture(base.RabbitVhost())
        self.notifications = self.useFixture(
            base.NotificationCollector(vhost.url))
        return vhost.url

    def service_options(self):
        options = super().service_options()
        options['ironic'] = {
            'auth_type': 'none',
            'endpoint_override': 'http://127.0.0.1:%d' % base.free_port(),
            'api_max_retries': 0}
        return options

    def test_register_gives_the_node_a_last_error_and_an_error_event(self):
        node = self.settled(self.compose({})['uuid'])
        self.api('POST', '/v1/nodes/%s/register' % node['uuid'], 202,
                 json={})
        node = self.settled(node['uuid'])
        self.assertEqual('available', node['state'])
        self.assertIsNone(node['ironic_node_uuid'])
        self.assertIn('Ironic cannot be used', node['last_error'])
        self.notifications.wait_for('valence.node.register.start',
                                    uuid=node['uuid'])
        event = self.notifications.wait_for('valence.node.register.error',
                                            uuid=node['uuid'])
        self.assertEqual('error', event['priority'])
        data = event['payload']['valence_object.data']
        self.assertIn('Ironic cannot be used', data['details']['error'])
        self.assertEqual(node['last_error'], data['last_error'])
        self.assertNotIn(test_nodes.PASSWORD, str(event))
