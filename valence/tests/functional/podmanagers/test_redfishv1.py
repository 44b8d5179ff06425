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

"""The redfishv1 driver against a real RSD emulator over HTTP."""


from valence.common import exception
from valence.common import states
from valence.podmanagers import base
from valence.podmanagers.redfishv1 import driver
from valence.tests.functional.podmanagers import base as pm_base

NODES = '/redfish/v1/Nodes'


closed_port_url = pm_base.closed_port_url


def request(name='node-1', devices=(), **kwargs):
    return base.ComposeRequest(name=name, devices=list(devices), **kwargs)


class DriverTestCase(pm_base.DriverTestCase):
    """One emulated RSD pod per class, back to its first state per test."""

    DRIVER = driver.RedfishV1Driver
    EMULATOR = dict(personality='rsd', seed=5, systems=6, devices=40)

    def compose(self, req=None):
        return self.driver.compose(req or request(), self.steps()[1])

    def free(self, kind, inventory=None):
        inventory = inventory or self.driver.get_inventory()
        return [d for d in inventory.devices
                if d.type == kind and d.state == base.FREE]

    def free_volume(self):
        return next(s for s in self.driver.get_inventory().storages
                    if s.kind == 'volume' and s.state == base.FREE)


class TestConnection(DriverTestCase):

    def test_status_is_online(self):
        self.assertEqual(states.ONLINE, self.driver.get_status().status)

    def test_unreachable_pod_raises_unreachable(self):
        down = self.make_driver(url=closed_port_url())
        self.assertRaises(exception.PodManagerUnreachable,
                          down.get_inventory)

    def test_wrong_password_is_an_error_without_the_password(self):
        wrong = self.make_driver(password='not-the-password')
        error = self.assertRaises(exception.PodManagerError,
                                  wrong.get_inventory)
        self.assertIn('refused the credentials', str(error))
        self.assertNotIn('not-the-password', str(error))

    def test_every_request_goes_through_the_driver_session(self):
        self.driver.get_inventory()
        self.assertIs(self.driver.session, self.driver.client.session)
        self.assertEqual(('admin', 'password'), self.driver.session.auth)


class TestSessionAuth(DriverTestCase):
    auth_type = 'session'

    def test_session_auth_sends_a_token(self):
        self.driver.list_nodes()
        self.assertIn('X-Auth-Token', self.driver.session.headers)
        self.assertIsNone(self.driver.session.auth)

    def test_session_auth_opens_one_redfish_session(self):
        self.driver.get_inventory()
        self.driver.list_nodes()
        self.assertEqual(1, self.emu.info()['sessions'])

    def test_close_ends_the_redfish_session(self):
        self.driver.list_nodes()
        self.driver.close()
        self.assertEqual(0, self.emu.info()['sessions'])

    def test_compose_works_with_a_session(self):
        node = self.compose()
        self.assertEqual('assembled', node.state)


class TestInventory(DriverTestCase):

    def test_every_system_is_read(self):
        systems = self.driver.get_inventory().systems
        self.assertEqual(6, len(systems))

    def test_systems_have_cpus_memory_and_macs(self):
        system = self.driver.get_inventory().systems[0]
        self.assertEqual(2, system.processors)
        self.assertGreater(system.cores, 0)
        self.assertGreaterEqual(system.memory_mib, 65536)
        self.assertEqual('x86_64', system.arch)
        self.assertEqual(2, len(system.mac_addresses))

    def test_systems_sit_in_a_rack(self):
        inventory = self.driver.get_inventory()
        racks = {r.uri for r in inventory.racks if r.chassis_type == 'Rack'}
        self.assertTrue(all(s.rack_uri in racks for s in inventory.systems))

    def test_chassis_tree_has_parents(self):
        racks = {r.uri: r for r in self.driver.get_inventory().racks}
        drawer = racks['/redfish/v1/Chassis/drawer1']
        self.assertEqual('/redfish/v1/Chassis/rack1', drawer.parent_uri)

    def test_pooled_devices_are_named_by_their_endpoints(self):
        devices = self.driver.get_inventory().devices
        self.assertTrue(devices)
        self.assertTrue(all('/Fabrics/PCIe/Endpoints/' in d.uri
                            for d in devices))

    def test_pooled_devices_have_types_vendors_and_models(self):
        devices = self.driver.get_inventory().devices
        self.assertEqual({base.GPU, base.NVME, base.NIC, base.FPGA},
                         {d.type for d in devices})
        self.assertTrue(all(d.vendor and d.model for d in devices))

    def test_nvme_devices_have_a_capacity(self):
        nvme = [d for d in self.driver.get_inventory().devices
                if d.type == base.NVME]
        self.assertTrue(all(d.properties['capacity_gib'] > 0 for d in nvme))

    def test_volumes_are_storage(self):
        storages = self.driver.get_inventory().storages
        volumes = [s for s in storages if s.kind == 'volume']
        self.assertTrue(volumes)
        self.assertTrue(all(v.capacity_gib > 0 and
                            v.protocol == 'NVMeOverFabrics'
                            for v in volumes))

    def test_nothing_is_allocated_on_a_fresh_pod(self):
        inventory = self.driver.get_inventory()
        records = inventory.systems + inventory.devices + inventory.storages
        self.assertEqual({base.FREE}, {r.state for r in records})

    def test_composed_resources_are_allocated_to_their_node(self):
        node = self.compose(request(remote_drives=[
            base.DriveRequirement(capacity_gib=100)]))
        inventory = self.driver.get_inventory()
        taken = [r for r in inventory.systems + inventory.storages +
                 inventory.devices if r.state == base.ALLOCATED]
        # The pod names devices themselves, the inventory their endpoints.
        named = {getattr(r, 'properties', {}).get('entity_uri', r.uri)
                 for r in taken}
        self.assertEqual(set(self.emu.allocations()), named)
        self.assertEqual({node.uri}, {r.node_uri for r in taken})

    def test_attached_device_is_allocated_to_the_node(self):
        node = self.compose()
        gpu = self.free(base.GPU)[0]
        self.driver.attach_device(node.uri, gpu.uri)
        devices = {d.uri: d for d in self.driver.get_inventory().devices}
        self.assertEqual((base.ALLOCATED, node.uri),
                         (devices[gpu.uri].state, devices[gpu.uri].node_uri))

    def test_vanished_device_is_left_out(self):
        gpu = self.free(base.GPU)[0]
        self.emu.vanish(gpu.uri)
        uris = {d.uri for d in self.driver.get_inventory().devices}
        self.assertNotIn(gpu.uri, uris)

    def test_server_error_raises_pod_manager_error(self):
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 500,
                             'path_prefix': '/redfish/v1/Systems'})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('500', str(error))

    def test_unavailable_service_raises_pod_manager_error(self):
        self.config(retries=1, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503,
                             'retry_after': 1,
                             'path_prefix': '/redfish/v1/Chassis'})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('503', str(error))

    def test_malformed_json_raises_naming_the_document(self):
        self.emu.set_faults({'malformed_rate': 1.0,
                             'path_prefix': '/redfish/v1/Fabrics'})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('malformed JSON', str(error))
        self.assertIn('/redfish/v1/Fabrics', str(error))

    def test_truncated_json_raises_pod_manager_error(self):
        self.emu.set_faults({'truncated_rate': 1.0,
                             'path_prefix': '/redfish/v1/Systems/'})
        self.assertRaises(exception.PodManagerError,
                          self.driver.get_inventory)

    def test_dropped_connection_raises_unreachable(self):
        self.emu.set_faults({'drop_rate': 1.0,
                             'path_prefix': '/redfish/v1/Chassis'})
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)

    def test_hung_request_raises_unreachable(self):
        self.config(request_timeout=0.5, group='podmanager')
        self.emu.set_faults({'hang_rate': 1.0, 'hang_seconds': 3,
                             'path_prefix': '/redfish/v1/Systems'})
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)


class TestCompose(DriverTestCase):

    def test_steps_are_recorded_in_order(self):
        recorded, record = self.steps()
        node = self.driver.compose(request(), record)
        self.assertEqual([(base.STEP_ALLOCATED, node.uri),
                          (base.STEP_ASSEMBLING, node.uri)], recorded)

    def test_composed_node_is_assembled(self):
        self.assertEqual('assembled', self.compose().state)

    def test_requirements_are_met(self):
        node = self.compose(request(
            processor=base.ProcessorRequirement(cores=20),
            memory=base.MemoryRequirement(capacity_mib=131072),
            local_drives=[base.DriveRequirement(capacity_gib=500,
                                                type='NVMe')],
            remote_drives=[base.DriveRequirement(capacity_gib=100)],
            nics=[base.NicRequirement(count=2)]))
        self.assertGreaterEqual(node.cores, 40)
        self.assertGreaterEqual(node.memory_mib, 131072)
        local = [d for d in node.drives if not d['remote']]
        remote = [d for d in node.drives if d['remote']]
        self.assertGreaterEqual(local[0]['capacity_gib'], 500)
        self.assertGreaterEqual(remote[0]['capacity_gib'], 100)
        self.assertEqual(2, len(node.nics))

    def test_nics_have_macs(self):
        node = self.compose()
        self.assertTrue(all(n['mac_address'] for n in node.nics))

    def test_requested_gpus_are_attached(self):
        node = self.compose(request(devices=[
            base.DeviceRequirement(type=base.GPU, count=2)]))
        inventory = self.driver.get_inventory()
        gpus = {d.uri for d in inventory.devices if d.type == base.GPU}
        self.assertEqual(2, len(gpus & set(node.device_uris)))

    def test_unmet_requirement_is_named(self):
        error = self.assertRaises(
            exception.CompositionFailed, self.compose,
            request(processor=base.ProcessorRequirement(cores=1000)))
        self.assertIn('TotalCores', str(error))
        self.assertTrue(error.cleaned_up)

    def test_unmet_requirement_takes_nothing(self):
        self.assertRaises(
            exception.CompositionFailed, self.compose,
            request(memory=base.MemoryRequirement(capacity_mib=10 ** 9)))
        self.assertEqual({}, self.emu.allocations())

    def test_failed_allocate_raises_composition_failed(self):
        self.emu.fail('allocate')
        error = self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertIsNone(error.node_uri)
        self.assertEqual({}, self.emu.allocations())

    def test_failed_assemble_deletes_the_node(self):
        self.emu.fail('assemble')
        error = self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertTrue(error.cleaned_up)
        self.assertEqual({}, self.emu.allocations())
        self.assertEqual([], self.driver.list_nodes())

    def test_failed_rollback_says_so_with_the_node(self):
        self.emu.fail('assemble')
        self.emu.set_faults({'error_rate': 1.0, 'methods': ['DELETE']})
        error = self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertFalse(error.cleaned_up)
        self.assertEqual(NODES + '/1', error.node_uri)

    def test_too_few_devices_rolls_back(self):
        error = self.assertRaises(
            exception.CompositionFailed, self.compose,
            request(devices=[base.DeviceRequirement(type=base.GPU,
                                                    count=1000)]))
        self.assertIn('GPU', str(error))
        self.assertEqual({}, self.emu.allocations())

    def test_failed_device_attach_rolls_back(self):
        self.emu.fail('attach')
        self.assertRaises(
            exception.CompositionFailed, self.compose,
            request(devices=[base.DeviceRequirement(type=base.NIC)]))
        self.assertEqual({}, self.emu.allocations())

    def test_unreachable_pod_fails_cleanly(self):
        down = self.make_driver(url=closed_port_url())
        self.assertRaises(exception.PodManagerUnreachable, down.compose,
                          request(), self.steps()[1])

    def test_failing_record_step_deletes_the_node(self):
        def record(step, uri):
            raise RuntimeError('database gone')

        self.assertRaises(exception.CompositionFailed, self.driver.compose,
                          request(), record)
        self.assertEqual({}, self.emu.allocations())


class TestNodes(DriverTestCase):

    def test_get_node_reports_power_and_reset_types(self):
        node = self.driver.get_node(self.compose().uri)
        self.assertEqual(base.POWER_OFF, node.power_state)
        self.assertIn('ForceOff', node.reset_types)

    def test_get_node_reports_boot_targets(self):
        node = self.driver.get_node(self.compose().uri)
        self.assertIn('Pxe', node.boot['allowed_targets'])

    def test_get_missing_node_raises_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.get_node, NODES + '/99')

    def test_list_nodes_lists_composed_nodes(self):
        node = self.compose()
        self.assertEqual([node.uri], self.driver.list_nodes())

    def test_find_node_by_index(self):
        node = self.compose()
        self.assertEqual(node.uri, self.driver.find_node('1'))

    def test_find_unknown_node_raises_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.find_node, '42')

    def test_delete_node_frees_everything(self):
        node = self.compose(request(devices=[
            base.DeviceRequirement(type=base.GPU)]))
        self.driver.delete_node(node.uri)
        self.assertEqual({}, self.emu.allocations())

    def test_deleting_a_deleted_node_is_fine(self):
        node = self.compose()
        self.driver.delete_node(node.uri)
        self.driver.delete_node(node.uri)
        self.assertEqual([], self.driver.list_nodes())

    def test_power_on(self):
        node = self.compose()
        self.driver.set_power(node.uri, 'On')
        self.assertEqual(base.POWER_ON,
                         self.driver.get_node(node.uri).power_state)

    def test_power_refuses_a_type_the_pod_does_not_allow(self):
        node = self.compose()
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.set_power, node.uri, 'Sleep')
        self.assertIn('ForceOff', str(error))

    def test_power_of_an_unassembled_node_is_refused(self):
        self.emu.fail('assemble')
        self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.set_power, NODES + '/1', 'On')

    def test_set_boot(self):
        node = self.compose()
        self.driver.set_boot(node.uri, 'Once', 'Pxe')
        self.assertEqual({'enabled': 'Once', 'target': 'Pxe'},
                         {k: v for k, v in self.driver.get_node(
                             node.uri).boot.items() if k != 'allowed_targets'})

    def test_set_boot_refuses_an_unknown_target(self):
        node = self.compose()
        self.assertRaises(exception.PodRequestRefused, self.driver.set_boot,
                          node.uri, 'Once', 'Floppy')

    def test_set_boot_refuses_an_unknown_mode(self):
        node = self.compose()
        self.assertRaises(exception.PodRequestRefused, self.driver.set_boot,
                          node.uri, 'Sometimes', 'Pxe')


class TestDevices(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.node = self.compose()

    def test_attachable_lists_free_devices_and_volumes(self):
        attachable = set(self.driver.list_attachable(self.node.uri))
        inventory = self.driver.get_inventory()
        gpus = {d.uri for d in self.free(base.GPU, inventory)}
        volumes = {s.uri for s in inventory.storages if s.kind == 'volume'}
        self.assertTrue(gpus & attachable)
        self.assertTrue(volumes & attachable)

    def test_attach_gpu_needs_a_reboot(self):
        gpu = self.free(base.GPU)[0]
        self.assertTrue(self.driver.attach_device(self.node.uri, gpu.uri))

    def test_attached_gpu_shows_on_the_node(self):
        gpu = self.free(base.GPU)[0]
        self.driver.attach_device(self.node.uri, gpu.uri)
        self.assertIn(gpu.uri, self.driver.get_node(self.node.uri).device_uris)

    def test_attach_nvme_drive(self):
        drive = self.free(base.NVME)[0]
        self.driver.attach_device(self.node.uri, drive.uri)
        self.assertIn(drive.uri,
                      self.driver.get_node(self.node.uri).device_uris)

    def test_attach_volume_needs_no_reboot(self):
        volume = self.free_volume()
        self.assertFalse(self.driver.attach_device(self.node.uri,
                                                   volume.uri))

    def test_attach_twice_is_fine(self):
        nic = self.free(base.NIC)[0]
        self.driver.attach_device(self.node.uri, nic.uri)
        self.driver.attach_device(self.node.uri, nic.uri)
        self.assertEqual(self.node.uri, self.emu.allocations()[
            nic.properties['entity_uri']])

    def test_detach_frees_the_device(self):
        gpu = self.free(base.GPU)[0]
        self.driver.attach_device(self.node.uri, gpu.uri)
        self.assertTrue(self.driver.detach_device(self.node.uri, gpu.uri))
        self.assertNotIn(gpu.uri,
                         self.driver.get_node(self.node.uri).device_uris)

    def test_attach_refuses_device_attached_elsewhere(self):
        other = self.compose(request(name='node-2'))
        gpu = self.free(base.GPU)[0]
        self.driver.attach_device(other.uri, gpu.uri)
        self.assertRaises(exception.PodRequestRefused,
                          self.driver.attach_device, self.node.uri, gpu.uri)

    def test_attach_of_a_vanished_device_raises_not_found(self):
        gpu = self.free(base.GPU)[0]
        self.emu.vanish(gpu.uri)
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, self.node.uri, gpu.uri)

    def test_device_vanishing_during_attach_raises_not_found(self):
        gpu = self.free(base.GPU)[0]
        self.emu.set_faults({'vanish_rate': 1.0})
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, self.node.uri, gpu.uri)

    def test_failed_attach_raises_and_takes_nothing(self):
        gpu = self.free(base.GPU)[0]
        self.emu.fail('attach')
        self.assertRaises(exception.PodManagerError,
                          self.driver.attach_device, self.node.uri, gpu.uri)
        self.assertNotIn(gpu.properties['entity_uri'],
                         self.emu.allocations())

    def test_detach_of_a_device_not_attached_is_refused(self):
        gpu = self.free(base.GPU)[0]
        self.assertRaises(exception.PodRequestRefused,
                          self.driver.detach_device, self.node.uri, gpu.uri)

    def test_detach_of_a_vanished_device_raises_not_found(self):
        gpu = self.free(base.GPU)[0]
        self.driver.attach_device(self.node.uri, gpu.uri)
        self.emu.vanish(gpu.uri)
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.detach_device, self.node.uri, gpu.uri)

    def test_attach_to_a_missing_node_raises_not_found(self):
        gpu = self.free(base.GPU)[0]
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, NODES + '/99', gpu.uri)


class TestTLS(DriverTestCase):
    emulator_args = {'tls': True}

    def test_self_signed_certificate_is_refused_by_default(self):
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.list_nodes)

    def test_verify_off_accepts_any_certificate(self):
        unverified = self.make_driver(verify_tls=False)
        self.assertEqual([], unverified.list_nodes())

    def test_ca_bundle_verifies_the_certificate(self):
        self.config(ca_bundle=self.emu.verify, group='podmanager')
        trusting = self.make_driver()
        self.assertEqual([], trusting.list_nodes())
