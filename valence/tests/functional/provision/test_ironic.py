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

"""The ironic provision driver against a real Ironic and emulated pods.

Nodes are composed on a valence-emulator pod by the pod manager drivers,
registered by the provision driver, and checked through Ironic's own API.
"""

import socket

from oslo_utils import uuidutils
import requests
from testtools import content

from valence.common import exception
from valence.podmanagers import base as pod_base
from valence.podmanagers.expether import driver as expether
from valence.podmanagers.redfishv1 import driver as redfishv1
from valence.podmanagers.redfishv2 import driver as redfishv2
from valence.provision import base
from valence.provision import ironic
from valence.tests import base as test_base
from valence.tests.fixtures import emulator
from valence.tests.fixtures import ironic as ironic_fixture
from valence.tests.fixtures import keystone as keystone_fixture

PASSWORD = 'pod-secret-3141'
IPMI_INFO = {'ipmi_address': '192.0.2.10', 'ipmi_username': 'bmc',
             'ipmi_password': 'bmc-secret-2718'}


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d' % sock.getsockname()[1]


class IronicTestCase(test_base.TestCase):
    """One Ironic and one emulated pod per class.

    Every test starts with no Ironic node and no composition.
    """

    personality = 'rsd'
    pod_driver = 'redfishv1'
    pod_class = redfishv1.RedfishV1Driver
    pod_path = ''

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ironic = ironic_fixture.class_fixture()
        try:
            cls.emu = emulator.EmulatorFixture(
                cls.personality, seed=5, systems=6, devices=20,
                password=PASSWORD)
            cls.emu.setUp()
        except Exception:
            cls.ironic.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.emu.cleanUp()
        finally:
            cls.ironic.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.addOnException(self.attach_logs)
        self.emu.reset()
        self.config(group='ironic', **self.ironic.valence_options())
        self.config(retries=0, connect_timeout=2, request_timeout=10,
                    group='podmanager')
        self.client = self.ironic.client()
        self.addCleanup(ironic_fixture.delete_nodes, self.client)
        self.driver = ironic.IronicDriver()
        connection = pod_base.PodConnection(self.emu.url + self.pod_path,
                                            'admin', PASSWORD)
        self.pod = self.pod_class(connection)
        self.addCleanup(self.pod.close)

    def attach_logs(self, exc_info):
        self.addDetail('ironic-log', content.text_content(
            self.ironic.log()[-20000:]))
        self.addDetail('emulator-log', content.text_content(
            self.emu.log()[-20000:]))

    def compose(self, name='node-1', **options):
        """A node composed on the pod, described for registration."""
        node = self.pod.compose(pod_base.ComposeRequest(name=name),
                                lambda step, uri: None)
        return base.NodeDescription(
            uuid=uuidutils.generate_uuid(), name=name,
            pod_driver=self.pod_driver, pod_url=self.emu.url + self.pod_path,
            username='admin', password=PASSWORD, verify_tls=False,
            system_uri=node.system_uri, cpus=node.cores or node.processors,
            memory_mib=node.memory_mib, local_gb=node.local_gb,
            cpu_arch=node.arch,
            mac_addresses=[nic['mac_address'] for nic in node.nics],
            options=base.RegisterOptions(**options))

    def wait_for_state(self, uuid, state):
        return ironic_fixture.wait_for_state(self.client, uuid, state)

    def ports(self, uuid):
        return sorted(p.address for p in self.client.node.list_ports(
            uuid, detail=True, limit=0))

    def our_nodes(self, description):
        return [n.uuid for n in self.client.node.list(
            fields=['uuid', 'extra'], limit=0)
            if n.extra.get('valence_node_uuid') == description.uuid]


class TestRegisterRSD(IronicTestCase):

    def test_register_creates_a_redfish_node_with_properties_and_ports(self):
        description = self.compose(name='rack 1/node #1')
        registered = self.driver.register(description)

        node = self.client.node.get(registered.uuid)
        self.assertEqual('redfish', node.driver)
        self.assertEqual('rack-1-node-1', node.name)
        self.assertEqual('enroll', node.provision_state)
        self.assertEqual({
            'redfish_address': self.emu.url,
            'redfish_system_id': description.system_uri,
            'redfish_username': 'admin',
            'redfish_password': '******',
            'redfish_verify_ca': False,
        }, node.driver_info)
        self.assertEqual({'cpus': description.cpus,
                          'memory_mb': description.memory_mib,
                          'cpu_arch': 'x86_64'}, node.properties)
        self.assertEqual({'valence_node_uuid': description.uuid},
                         node.extra)
        self.assertIn(description.uuid, node.description)
        self.assertEqual(sorted(description.mac_addresses),
                         self.ports(node.uuid))
        self.assertEqual(registered.mac_addresses, self.ports(node.uuid))
        self.assertEqual('enroll', registered.provision_state)

    def test_the_system_id_is_the_composed_systems_path(self):
        description = self.compose()
        self.assertTrue(description.system_uri.startswith(
            '/redfish/v1/Systems/'))
        node = self.client.node.get(self.driver.register(description).uuid)
        self.assertEqual(description.system_uri,
                         node.driver_info['redfish_system_id'])

    def test_manage_reaches_manageable_against_the_emulator(self):
        registered = self.driver.register(self.compose())
        self.client.node.set_provision_state(registered.uuid, 'manage')
        node = self.wait_for_state(registered.uuid, 'manageable')
        self.assertIsNone(node.last_error)
        self.assertEqual('power off', node.power_state)

    def test_provide_makes_the_node_available(self):
        registered = self.driver.register(self.compose(provide=True))
        self.assertEqual('available', registered.provision_state)
        self.assertEqual('available',
                         self.client.node.get(registered.uuid)
                         .provision_state)

    def test_register_again_updates_the_same_node(self):
        description = self.compose()
        first = self.driver.register(description)
        again = base.NodeDescription(**dict(
            vars(description), cpus=99,
            mac_addresses=description.mac_addresses[:1] + [
                '02:AA:BB:CC:DD:EE'],
            options=base.RegisterOptions(resource_class='composed-large',
                                         properties={'vendor': 'emu'})))
        second = self.driver.register(again)

        self.assertEqual(first.uuid, second.uuid)
        self.assertEqual([first.uuid], self.our_nodes(description))
        node = self.client.node.get(first.uuid)
        self.assertEqual(99, node.properties['cpus'])
        self.assertEqual('emu', node.properties['vendor'])
        self.assertEqual('composed-large', node.resource_class)
        self.assertEqual(sorted([description.mac_addresses[0].lower(),
                                 '02:aa:bb:cc:dd:ee']),
                         self.ports(first.uuid))

    def test_register_again_keeps_ports_added_in_ironic(self):
        description = self.compose()
        uuid = self.driver.register(description).uuid
        self.client.port.create(address='02:00:5e:00:53:01', node_uuid=uuid)
        self.driver.register(description)
        self.assertIn('02:00:5e:00:53:01', self.ports(uuid))

    def test_register_finds_the_node_from_its_recorded_uuid(self):
        description = self.compose()
        uuid = self.driver.register(description).uuid
        again = base.NodeDescription(**dict(vars(description),
                                            ironic_node_uuid=uuid))
        self.assertEqual(uuid, self.driver.register(again).uuid)
        self.assertEqual([uuid], self.our_nodes(description))

    def test_a_mac_used_by_another_node_rolls_the_node_back(self):
        description = self.compose()
        other = self.client.node.create(driver='fake-hardware')
        self.client.port.create(address=description.mac_addresses[-1],
                                node_uuid=other.uuid)

        error = self.assertRaises(exception.ProvisionError,
                                  self.driver.register, description)
        self.assertEqual(409, error.code)
        self.assertIn('already exists', str(error))
        self.assertEqual([], self.our_nodes(description))
        self.assertEqual([other.uuid],
                         [n.uuid for n in self.client.node.list()])

    def test_an_unknown_hardware_type_is_refused_with_ironics_reason(self):
        description = self.compose(driver='no-such-hardware')
        error = self.assertRaises(exception.ProvisionError,
                                  self.driver.register, description)
        self.assertEqual(400, error.code)
        self.assertIn('no-such-hardware', str(error))
        self.assertEqual([], self.our_nodes(description))

    def test_failed_verification_says_why_without_the_password(self):
        description = self.compose(provide=True)
        wrong = base.NodeDescription(**dict(vars(description),
                                            password='not-the-password'))
        error = self.assertRaises(exception.ProvideFailed,
                                  self.driver.register, wrong)
        self.assertEqual(409, error.code)
        self.assertIn('enroll', str(error))
        self.assertNotIn('not-the-password', str(error))
        # The node stays registered, so the failure can be mended.
        self.assertEqual(1, len(self.our_nodes(description)))

    def test_get_reads_the_node(self):
        registered = self.driver.register(self.compose())
        self.assertEqual(registered, self.driver.get(registered.uuid))

    def test_get_of_an_unknown_node_is_not_found(self):
        error = self.assertRaises(exception.ProvisionNodeNotFound,
                                  self.driver.get,
                                  uuidutils.generate_uuid())
        self.assertEqual(404, error.code)


class TestUnregister(IronicTestCase):

    def deployed(self):
        """A node registered as fake hardware and deployed (active)."""
        registered = self.driver.register(
            self.compose(driver='fake-hardware', provide=True))
        self.assertEqual('available', registered.provision_state)
        self.client.node.set_provision_state(registered.uuid, 'active')
        self.wait_for_state(registered.uuid, 'active')
        return registered.uuid

    def test_unregister_removes_the_node_and_its_ports(self):
        registered = self.driver.register(self.compose())
        self.driver.unregister(registered.uuid)
        self.assertEqual([], self.client.node.list())
        self.assertEqual([], self.client.port.list())

    def test_unregister_takes_an_available_node_back(self):
        registered = self.driver.register(self.compose(provide=True))
        self.driver.unregister(registered.uuid)
        self.assertEqual([], self.client.node.list())

    def test_unregister_refuses_an_active_node(self):
        uuid = self.deployed()
        error = self.assertRaises(exception.ProvisionNodeDeployed,
                                  self.driver.unregister, uuid)
        self.assertEqual(409, error.code)
        self.assertIn('active', str(error))
        self.assertEqual('active', self.client.node.get(uuid).provision_state)

    def test_unregister_with_force_removes_an_active_node(self):
        uuid = self.deployed()
        self.driver.unregister(uuid, force=True)
        self.assertEqual([], self.client.node.list())

    def test_unregister_of_a_node_already_gone_is_quiet(self):
        self.driver.unregister(uuidutils.generate_uuid())


class TestIronicUnreachable(IronicTestCase):

    def test_unreachable_ironic_is_unavailable(self):
        self.config(group='ironic', endpoint_override=closed_port_url(),
                    api_max_retries=0)
        error = self.assertRaises(exception.ProvisionUnavailable,
                                  self.driver.register, self.compose())
        self.assertEqual(503, error.code)
        self.assertNotIn(PASSWORD, str(error))

    def test_unconfigured_ironic_is_unavailable(self):
        self.config(group='ironic', auth_type=None)
        error = self.assertRaises(exception.ProvisionUnavailable,
                                  self.driver.get, uuidutils.generate_uuid())
        self.assertIn('auth_type', str(error))


class TestThroughKeystone(IronicTestCase):
    """Valence logs in to Keystone and finds Ironic in its catalog."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keystone = keystone_fixture.KeystoneFixture()
        try:
            cls.keystone.setUp()
            cls.add_baremetal_endpoint()
        except Exception:
            cls.keystone.cleanUp()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.keystone.cleanUp()
        finally:
            super().tearDownClass()

    @classmethod
    def add_baremetal_endpoint(cls):
        headers = {'X-Auth-Token': cls.keystone.token('system_admin')}
        service = requests.post(
            cls.keystone.url + '/services', headers=headers, timeout=60,
            json={'service': {'type': 'baremetal', 'name': 'ironic'}})
        service.raise_for_status()
        requests.post(
            cls.keystone.url + '/endpoints', headers=headers, timeout=60,
            json={'endpoint': {'service_id': service.json()['service']['id'],
                               'interface': 'internal',
                               'region_id': 'RegionOne',
                               'url': cls.ironic.url}}).raise_for_status()

    def setUp(self):
        super().setUp()
        self.useFixture(ironic_fixture.AuthPluginOptions('password'))
        options = self.keystone.authtoken_options()
        del options['www_authenticate_uri']
        self.config(group='ironic', endpoint_override=None, **options)

    def test_register_finds_ironic_in_the_catalog(self):
        registered = self.driver.register(self.compose())
        self.assertEqual('redfish',
                         self.client.node.get(registered.uuid).driver)

    def test_credentials_keystone_refuses_are_unavailable(self):
        self.config(group='ironic', password='not-the-password')
        error = self.assertRaises(exception.ProvisionUnavailable,
                                  self.driver.register, self.compose())
        self.assertEqual(503, error.code)
        self.assertIn('Keystone refused', str(error))
        self.assertNotIn('not-the-password', str(error))


class TestRegisterDMTF(IronicTestCase):
    personality = 'dmtf'
    pod_driver = 'redfishv2'
    pod_class = redfishv2.RedfishV2Driver

    def test_register_and_manage_a_composed_dmtf_system(self):
        description = self.compose()
        registered = self.driver.register(description)
        node = self.client.node.get(registered.uuid)
        self.assertEqual('redfish', node.driver)
        self.assertEqual(description.system_uri,
                         node.driver_info['redfish_system_id'])
        self.assertEqual(sorted(description.mac_addresses),
                         self.ports(node.uuid))
        self.client.node.set_provision_state(registered.uuid, 'manage')
        self.wait_for_state(registered.uuid, 'manageable')


class TestRegisterExpEther(IronicTestCase):
    personality = 'expether'
    pod_driver = 'expether'
    pod_class = expether.ExpEtherDriver
    pod_path = '/eem'

    def test_registration_without_ipmi_driver_info_names_what_is_missing(
            self):
        description = self.compose(driver_info={'ipmi_address': '192.0.2.1'})
        error = self.assertRaises(exception.MissingDriverInfo,
                                  self.driver.register, description)
        self.assertEqual(400, error.code)
        self.assertIn('ipmi_username, ipmi_password', str(error))
        self.assertNotIn('ipmi_address', str(error))
        self.assertEqual([], self.client.node.list())

    def test_registration_makes_an_ipmi_node_with_the_servers_macs(self):
        description = self.compose(driver_info=IPMI_INFO)
        self.assertTrue(description.mac_addresses)
        node = self.client.node.get(self.driver.register(description).uuid)
        self.assertEqual('ipmi', node.driver)
        self.assertEqual('192.0.2.10', node.driver_info['ipmi_address'])
        self.assertEqual('bmc', node.driver_info['ipmi_username'])
        self.assertNotIn('redfish_address', node.driver_info)
        self.assertEqual(sorted(m.lower() for m in description.mac_addresses),
                         self.ports(node.uuid))
