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

"""The expether driver against a real ExpEther emulator over HTTP."""

import collections
import threading

import fixtures
import requests

from valence.common import exception
from valence.common import states
from valence.podmanagers import base
from valence.podmanagers.expether import driver
from valence.tests.functional.podmanagers import base as pm_base

PASSWORD = 'S3cret-pod-password'


def closed_port_url():
    return pm_base.closed_port_url('/eem')


request = pm_base.compose_request


def eem(uri):
    """The emulator's name of a driver URI."""
    return '/eem/' + uri


class DriverTestCase(pm_base.DriverTestCase):
    """One emulated EEM per class, back to its first state per test."""

    DRIVER = driver.ExpEtherDriver
    EMULATOR = dict(personality='expether', seed=3, systems=4, devices=40)
    URL_PATH = '/eem'
    PASSWORD = PASSWORD

    def compose(self, *devices, **kwargs):
        return self.driver.compose(request(*devices, **kwargs),
                                   self.steps()[1])

    def free(self, kind=None):
        return [d for d in self.driver.get_inventory().devices
                if d.state == base.FREE and kind in (None, d.type)]

    def server_group(self, uri):
        return self.raw('GET', uri)['device']['group_id']

    def raw(self, method, uri, **kwargs):
        """Ask the emulator directly, as someone else than Valence."""
        resp = requests.request(method, self.emu.url + eem(uri),
                                auth=self.emu.auth, timeout=10, **kwargs)
        resp.raise_for_status()
        return resp.json()

    def on_response(self, callback):
        """Call ``callback(response)`` after each answer the driver gets."""
        def hook(resp, *args, **kwargs):
            callback(resp)
            # A hook that returns something replaces the answer.
            return None
        self.driver.session.hooks['response'].append(hook)

    def count_sends(self):
        """A mock counting the HTTP requests the driver sends."""
        adapter = self.driver.session.get_adapter(self.emu.url)
        return self.useFixture(fixtures.MockPatchObject(
            adapter, 'send', wraps=adapter.send)).mock


class TestStatus(DriverTestCase):

    def test_status_is_online(self):
        self.assertEqual(states.ONLINE, self.driver.get_status().status)

    def test_wrong_password_is_an_error_naming_the_credentials(self):
        status = self.make_driver(password='Wr0ng-guess').get_status()
        self.assertEqual(states.ERROR, status.status)
        self.assertIn('refused the credentials', status.reason)

    def test_closed_port_is_offline(self):
        status = self.make_driver(url=closed_port_url()).get_status()
        self.assertEqual(states.OFFLINE, status.status)

    def test_url_without_eem_path_is_an_error(self):
        status = self.make_driver(url=self.emu.url).get_status()
        self.assertEqual(states.ERROR, status.status)
        self.assertIn('ending in /eem', status.reason)

    def test_server_errors_are_an_error(self):
        self.emu.set_faults({'error_rate': 1.0})
        self.assertEqual(states.ERROR, self.driver.get_status().status)


class TestInventory(DriverTestCase):

    def test_inventory_has_every_server_and_io_device(self):
        inventory = self.driver.get_inventory()
        self.assertEqual((4, 40),
                         (len(inventory.systems), len(inventory.devices)))

    def test_inventory_decodes_every_kind_of_device(self):
        kinds = {d.type for d in self.driver.get_inventory().devices}
        self.assertEqual({base.GPU, base.NVME, base.NIC, base.FPGA}, kinds)

    def test_fresh_pod_is_all_free(self):
        inventory = self.driver.get_inventory()
        self.assertEqual({base.FREE}, {r.state for r in
                                       inventory.systems + inventory.devices})

    def test_composed_server_is_allocated_to_its_node(self):
        node = self.compose()
        system = next(s for s in self.driver.get_inventory().systems
                      if s.uri == node.uri)
        self.assertEqual((base.ALLOCATED, node.uri),
                         (system.state, system.node_uri))

    def test_attached_devices_are_allocated_to_the_node(self):
        node = self.compose((base.GPU, 1), (base.NVME, 1))
        attached = {d.uri: (d.state, d.node_uri)
                    for d in self.driver.get_inventory().devices
                    if d.state != base.FREE}
        self.assertEqual({uri: (base.ALLOCATED, node.uri)
                          for uri in node.device_uris}, attached)

    def test_inventory_reads_each_listing_once(self):
        paths = []
        self.on_response(lambda resp: paths.append(resp.request.path_url))
        self.driver.get_inventory()
        self.assertEqual(['/eem/devices/detail?status=eesv',
                          '/eem/devices/detail?status=eeio'], paths)


class TestErrors(DriverTestCase):

    def test_closed_port_raises_unreachable(self):
        self.assertRaises(exception.PodManagerUnreachable,
                          self.make_driver(url=closed_port_url())
                          .get_inventory)

    def test_connection_errors_are_retried(self):
        self.config(retries=2, group='podmanager')
        self.driver = self.make_driver(url=closed_port_url())
        sends = self.count_sends()
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)
        self.assertEqual(3, sends.call_count)

    def test_server_error_carries_the_eem_message(self):
        self.emu.set_faults({'error_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('internal service error', str(error))
        self.assertIn('code 50000', str(error))

    def test_server_error_is_not_reported_as_unreachable(self):
        self.emu.set_faults({'error_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertNotIsInstance(error, exception.PodManagerUnreachable)

    def test_503_is_retried_until_the_pod_recovers(self):
        self.config(retries=2, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503,
                             'retry_after': 0})
        statuses = []

        def recover(resp):
            statuses.append(resp.status_code)
            if resp.status_code == 503:
                self.emu.clear_faults()
        self.on_response(recover)
        self.assertEqual(40, len(self.driver.get_inventory().devices))
        self.assertEqual([503, 200, 200], statuses)

    def test_503_after_every_retry_raises_with_the_attempts(self):
        self.config(retries=2, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503,
                             'retry_after': 0})
        sends = self.count_sends()
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('HTTP 503 after 3 attempts', str(error))
        self.assertEqual(3, sends.call_count)

    def test_dropped_connection_raises_unreachable(self):
        self.emu.set_faults({'drop_rate': 1.0})
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)

    def test_hung_request_raises_unreachable(self):
        self.config(request_timeout=0.3, group='podmanager')
        self.emu.set_faults({'hang_rate': 1.0, 'hang_seconds': 3})
        error = self.assertRaises(exception.PodManagerUnreachable,
                                  self.driver.get_inventory)
        self.assertIn('no answer within 0.3 seconds', str(error))

    def test_malformed_body_raises_pod_manager_error(self):
        self.emu.set_faults({'malformed_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('not JSON', str(error))

    def test_truncated_body_raises_pod_manager_error(self):
        self.emu.set_faults({'truncated_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('not JSON', str(error))

    def test_new_group_request_is_never_repeated(self):
        self.config(retries=3, group='podmanager')
        server = self.driver.get_inventory().systems[0].uri
        self.emu.set_faults({'drop_rate': 1.0, 'methods': ['PUT']})
        sends = self.count_sends()
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.attach_device, server,
                          self.free()[0].uri)
        puts = [c for c in sends.call_args_list if c.args[0].method == 'PUT']
        self.assertEqual(1, len(puts))

    def test_failed_group_change_is_retried(self):
        self.config(retries=1, group='podmanager')
        node = self.compose()
        device = self.free()[0].uri
        self.emu.fail('attach', times=1)
        self.driver.attach_device(node.uri, device)
        self.assertEqual({eem(device): eem(node.uri)}, self.emu.allocations())

    def test_failed_group_change_without_retries_raises(self):
        node = self.compose()
        self.emu.fail('attach', times=1)
        self.assertRaises(exception.PodManagerError,
                          self.driver.attach_device, node.uri,
                          self.free()[0].uri)


class TestSecrets(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))

    def test_refused_credentials_do_not_show_the_password(self):
        driver = self.make_driver(password='Wr0ng-' + PASSWORD)
        error = self.assertRaises(exception.PodManagerError,
                                  driver.get_inventory)
        self.assertIn('refused the credentials', str(error))
        self.assertNotIn(PASSWORD, str(error))

    def test_retried_errors_do_not_log_the_password(self):
        self.config(retries=1, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503,
                             'retry_after': 0})
        self.assertRaises(exception.PodManagerError,
                          self.driver.get_inventory)
        self.assertIn('attempt 2 of 2', self.logs.output)
        self.assertNotIn(PASSWORD, self.logs.output)

    def test_credentials_in_the_url_are_not_shown(self):
        url = closed_port_url().replace('http://',
                                        'http://admin:%s@' % PASSWORD)
        error = self.assertRaises(exception.PodManagerUnreachable,
                                  self.make_driver(url=url).get_inventory)
        self.assertNotIn(PASSWORD, str(error))


class TestCompose(DriverTestCase):

    def test_compose_attaches_the_requested_devices(self):
        node = self.compose((base.GPU, 1), (base.NVME, 2))
        self.assertEqual({eem(uri): eem(node.uri)
                          for uri in node.device_uris},
                         self.emu.allocations())
        self.assertEqual(3, len(node.device_uris))

    def test_compose_attaches_devices_of_the_requested_types(self):
        node = self.compose((base.GPU, 1), (base.NVME, 2))
        types = {d.uri: d.type for d in self.driver.get_inventory().devices}
        self.assertEqual([base.GPU, base.NVME, base.NVME],
                         [types[uri] for uri in node.device_uris])

    def test_compose_records_the_server_once_as_allocated(self):
        steps, record = self.steps()
        node = self.driver.compose(request((base.NIC, 1)), record)
        self.assertEqual([(base.STEP_ALLOCATED, node.uri)], steps)

    def test_composed_node_is_assembled_server(self):
        node = self.compose((base.NIC, 1))
        self.assertEqual(('assembled', node.uri), (node.state,
                                                   node.system_uri))

    def test_compose_without_devices_claims_a_server(self):
        node = self.compose()
        self.assertEqual([node.uri], self.driver.list_nodes())

    def test_each_compose_takes_another_server(self):
        first = self.compose()
        second = self.compose()
        self.assertNotEqual(first.uri, second.uri)

    def test_compose_uses_the_named_server_and_devices(self):
        server = self.driver.get_inventory().systems[2].uri
        gpu = self.free(base.GPU)[-1].uri
        node = self.compose((base.GPU, 1), resource_uris=[server, gpu])
        self.assertEqual((server, [gpu]), (node.uri, node.device_uris))

    def test_compose_adds_free_devices_to_the_named_ones(self):
        gpus = [d.uri for d in self.free(base.GPU)]
        node = self.compose((base.GPU, 2), resource_uris=[gpus[-1]])
        self.assertEqual([gpus[-1], gpus[0]], node.device_uris)

    def test_compose_refuses_a_named_server_already_composed(self):
        node = self.compose()
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  resource_uris=[node.uri])
        self.assertIn('is not a free server', str(error))

    def test_compose_refuses_a_named_device_attached_elsewhere(self):
        node = self.compose((base.GPU, 1))
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1),
                                  resource_uris=node.device_uris)
        self.assertIn('is not free', str(error))

    def test_compose_refuses_a_named_device_that_is_gone(self):
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1),
                                  resource_uris=['devices/0x0'])
        self.assertIn('no devices/0x0', str(error))

    def test_compose_short_of_devices_is_refused_untouched(self):
        steps, record = self.steps()
        error = self.assertRaises(exception.CompositionFailed,
                                  self.driver.compose,
                                  request((base.GPU, 50)), record)
        self.assertIn('not enough free GPU: 50 wanted', str(error))
        self.assertEqual((True, [], {}), (error.cleaned_up, steps,
                                          self.emu.allocations()))

    def test_compose_beyond_the_group_maximum_is_refused(self):
        counts = collections.Counter(d.type for d in self.free())
        wanted, total = [], 0
        for kind, count in counts.items():
            take = min(count, 17 - total)
            wanted.append((kind, take))
            total += take
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  *wanted)
        self.assertIn('holds at most 16', str(error))
        self.assertEqual({}, self.emu.allocations())

    def test_compose_without_a_free_server_is_refused(self):
        for _ in range(4):
            self.compose()
        error = self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertIn('no free ExpEther server', str(error))

    def test_compose_in_a_zone_is_refused(self):
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  zone_uri='zones/1')
        self.assertIn('no resource zones', str(error))

    def test_compose_with_remote_drives_is_refused(self):
        error = self.assertRaises(
            exception.CompositionFailed, self.compose,
            remote_drives=[base.DriveRequirement(capacity_gib=100)])
        self.assertIn('no remote volumes', str(error))

    def test_unreported_processor_and_memory_are_not_checked(self):
        node = self.compose(
            processor=base.ProcessorRequirement(cores=64),
            memory=base.MemoryRequirement(capacity_mib=1 << 20))
        self.assertIn(node.uri, self.driver.list_nodes())

    def test_unreachable_pod_fails_the_composition(self):
        driver = self.make_driver(url=closed_port_url())
        error = self.assertRaises(exception.CompositionFailed,
                                  driver.compose, request(),
                                  self.steps()[1])
        self.assertIn('unreachable', str(error))


class TestComposeRollback(DriverTestCase):

    def fail_after_first_device(self, point='attach'):
        """Make the EEM fail every attach after the first device joined."""
        puts = []

        def count(resp):
            if resp.request.method == 'PUT':
                puts.append(resp.status_code)
                if len(puts) == 2:
                    self.emu.fail(point)
        self.on_response(count)

    def test_failed_attach_releases_everything(self):
        self.fail_after_first_device()
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1), (base.NVME, 1))
        self.assertTrue(error.cleaned_up)
        self.assertEqual({}, self.emu.allocations())

    def test_failed_attach_gives_the_server_back(self):
        self.fail_after_first_device()
        self.assertRaises(exception.CompositionFailed, self.compose,
                          (base.GPU, 1), (base.NVME, 1))
        self.assertEqual([], self.driver.list_nodes())

    def test_failed_attach_carries_the_eem_message(self):
        self.fail_after_first_device()
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1), (base.NVME, 1))
        self.assertIn('the EEM failed to attach the device', str(error))

    def test_failed_release_leaves_the_node_to_clean_up(self):
        self.fail_after_first_device()
        self.emu.fail('detach')
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1), (base.NVME, 1))
        self.assertFalse(error.cleaned_up)
        self.assertEqual(error.node_uri, self.driver.list_nodes()[0])

    def test_node_left_by_a_failed_release_can_be_deleted(self):
        self.fail_after_first_device()
        self.emu.fail('detach')
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1), (base.NVME, 1))
        self.emu.clear_faults()
        self.driver.delete_node(error.node_uri)
        self.assertEqual(({}, []), (self.emu.allocations(),
                                    self.driver.list_nodes()))

    def test_device_vanishing_during_compose_is_rolled_back(self):
        self.emu.set_faults({'vanish_rate': 1.0})
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1))
        self.assertIn('has no devices/', str(error))
        self.assertEqual(({}, []), (self.emu.allocations(),
                                    self.driver.list_nodes()))

    def test_lost_answer_to_a_new_group_is_rolled_back(self):
        self.emu.set_faults({'drop_rate': 1.0, 'methods': ['PUT']})
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1))
        self.assertTrue(error.cleaned_up)
        self.assertEqual([], self.driver.list_nodes())

    def test_concurrent_composes_never_share_a_server(self):
        nodes, failures = [], []

        def compose():
            try:
                nodes.append(self.compose((base.GPU, 1)))
            except exception.CompositionFailed as e:
                failures.append(e)
        threads = [threading.Thread(target=compose) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual((4, 4), (len(nodes), len({n.uri for n in nodes})))
        self.assertEqual(4, len(set(self.emu.allocations().values())))


class TestNodes(DriverTestCase):

    def test_get_node_lists_the_devices_in_the_group(self):
        node = self.compose((base.GPU, 1), (base.NIC, 1))
        self.assertEqual(sorted(node.device_uris),
                         sorted(self.driver.get_node(node.uri).device_uris))

    def test_get_node_reports_power_and_the_board_mac(self):
        node = self.driver.get_node(self.compose().uri)
        self.assertEqual((base.POWER_ON, 1), (node.power_state,
                                              len(node.nics)))

    def test_get_node_of_a_free_server_is_not_found(self):
        server = self.driver.get_inventory().systems[0].uri
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.get_node, server)

    def test_get_node_of_an_unknown_device_is_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.get_node, 'devices/0x0')

    def test_get_node_of_an_io_device_is_refused(self):
        self.assertRaises(exception.PodRequestRefused,
                          self.driver.get_node, self.free()[0].uri)

    def test_list_nodes_lists_composed_servers_only(self):
        node = self.compose()
        self.assertEqual([node.uri], self.driver.list_nodes())

    def test_find_node_gives_the_uri_of_a_composed_server(self):
        node = self.compose()
        self.assertEqual(node.uri, self.driver.find_node(node.name))

    def test_find_node_of_a_free_server_is_not_found(self):
        server = self.driver.get_inventory().systems[0]
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.find_node, server.name)

    def test_find_node_of_an_unknown_id_is_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.find_node, '0x0')

    def test_find_node_of_a_path_is_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.find_node, '../api_version')

    def test_delete_node_frees_its_devices_and_server(self):
        node = self.compose((base.GPU, 2))
        self.driver.delete_node(node.uri)
        self.assertEqual(({}, '4094'), (self.emu.allocations(),
                                        self.server_group(node.uri)))

    def test_delete_node_twice_is_no_error(self):
        node = self.compose((base.GPU, 1))
        self.driver.delete_node(node.uri)
        self.driver.delete_node(node.uri)
        self.assertEqual([], self.driver.list_nodes())

    def test_delete_node_of_a_vanished_server_is_no_error(self):
        node = self.compose()
        self.emu.vanish(eem(node.uri))
        self.driver.delete_node(node.uri)
        self.assertEqual([], self.driver.list_nodes())

    def test_delete_node_leaves_other_nodes_alone(self):
        first = self.compose((base.GPU, 1))
        second = self.compose((base.GPU, 1))
        self.driver.delete_node(first.uri)
        self.assertEqual({eem(second.device_uris[0]): eem(second.uri)},
                         self.emu.allocations())

    def test_power_control_is_unsupported(self):
        node = self.compose()
        self.assertRaises(exception.UnsupportedByDriver,
                          self.driver.set_power, node.uri, 'On')

    def test_boot_control_is_unsupported(self):
        node = self.compose()
        self.assertRaises(exception.UnsupportedByDriver,
                          self.driver.set_boot, node.uri, 'Once', 'Pxe')


class TestDevices(DriverTestCase):

    def test_list_attachable_lists_the_free_devices(self):
        node = self.compose()
        self.assertEqual([d.uri for d in self.free()],
                         self.driver.list_attachable(node.uri))

    def test_list_attachable_leaves_out_attached_devices(self):
        other = self.compose((base.GPU, 1))
        node = self.compose()
        self.assertNotIn(other.device_uris[0],
                         self.driver.list_attachable(node.uri))

    def test_list_attachable_is_empty_for_a_full_group(self):
        node = self.compose()
        for device in self.free()[:16]:
            self.driver.attach_device(node.uri, device.uri)
        self.assertEqual([], self.driver.list_attachable(node.uri))

    def test_attach_puts_the_device_in_the_node_group(self):
        node = self.compose()
        device = self.free(base.GPU)[0].uri
        self.assertTrue(self.driver.attach_device(node.uri, device))
        self.assertEqual({eem(device): eem(node.uri)},
                         self.emu.allocations())

    def test_attach_to_a_server_in_its_default_group_makes_a_group(self):
        server = self.driver.get_inventory().systems[0].uri
        device = self.free()[0].uri
        self.driver.attach_device(server, device)
        self.assertEqual({eem(device): eem(server)}, self.emu.allocations())

    def test_attach_twice_is_no_error(self):
        node = self.compose((base.GPU, 1))
        self.assertTrue(self.driver.attach_device(node.uri,
                                                  node.device_uris[0]))

    def test_attach_refuses_a_device_attached_elsewhere(self):
        other = self.compose((base.GPU, 1))
        node = self.compose()
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.attach_device, node.uri,
                                  other.device_uris[0])
        self.assertIn('attached to another server', str(error))

    def test_attach_refuses_beyond_the_group_maximum(self):
        node = self.compose()
        devices = self.free()
        for device in devices[:16]:
            self.driver.attach_device(node.uri, device.uri)
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.attach_device, node.uri,
                                  devices[16].uri)
        self.assertIn('maximum of 16 I/O devices', str(error))

    def test_attach_carries_the_eem_refusal(self):
        other = self.compose()
        node = self.compose()
        device = self.free()[0].uri
        group = self.server_group(other.uri)

        def take_it_first(resp):
            # Someone else attaches the device between the driver's check
            # and its request.
            if resp.request.path_url == eem(device):
                self.raw('PUT', device + '/group_id',
                         json={'group_id': group})
        self.on_response(take_it_first)
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.attach_device, node.uri,
                                  device)
        self.assertIn('release it (DELETE its group_id) first', str(error))

    def test_attach_of_a_device_gone_since_the_inventory_is_not_found(self):
        node = self.compose()
        device = self.free()[0].uri
        self.emu.vanish(eem(device))
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, node.uri, device)

    def test_attach_of_a_device_vanishing_on_attach_is_not_found(self):
        node = self.compose()
        self.emu.set_faults({'vanish_rate': 1.0})
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, node.uri,
                          self.free()[0].uri)

    def test_attach_of_a_server_as_a_device_is_refused(self):
        node = self.compose()
        other = self.driver.get_inventory().systems[-1].uri
        self.assertRaises(exception.PodRequestRefused,
                          self.driver.attach_device, node.uri, other)

    def test_detach_releases_the_device(self):
        node = self.compose((base.GPU, 1))
        self.assertTrue(self.driver.detach_device(node.uri,
                                                  node.device_uris[0]))
        self.assertEqual({}, self.emu.allocations())

    def test_detach_refuses_a_device_of_another_node(self):
        other = self.compose((base.GPU, 1))
        node = self.compose((base.GPU, 1))
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.detach_device, node.uri,
                                  other.device_uris[0])
        self.assertIn('is not attached to %s' % node.uri, str(error))

    def test_detach_of_a_free_device_is_no_error(self):
        node = self.compose()
        self.assertTrue(self.driver.detach_device(node.uri,
                                                  self.free()[0].uri))

    def test_failed_detach_keeps_the_device_attached(self):
        node = self.compose((base.GPU, 1))
        self.emu.fail('detach')
        self.assertRaises(exception.PodManagerError,
                          self.driver.detach_device, node.uri,
                          node.device_uris[0])
        self.assertEqual({eem(node.device_uris[0]): eem(node.uri)},
                         self.emu.allocations())


class TestTLS(DriverTestCase):

    emulator_args = {'tls': True}

    def https_url(self):
        return self.emu.url + '/eem'

    def test_certificate_from_the_ca_bundle_is_trusted(self):
        self.config(ca_bundle=self.emu.verify, group='podmanager')
        driver = self.make_driver(url=self.https_url())
        self.assertEqual(states.ONLINE, driver.get_status().status)

    def test_untrusted_certificate_is_refused(self):
        error = self.assertRaises(exception.PodManagerError,
                                  self.make_driver(url=self.https_url())
                                  .get_inventory)
        self.assertIn('certificate', str(error))

    def test_untrusted_certificate_makes_status_error(self):
        status = self.make_driver(url=self.https_url()).get_status()
        self.assertEqual(states.ERROR, status.status)

    def test_certificate_is_not_checked_when_verification_is_off(self):
        driver = self.make_driver(url=self.https_url(), verify_tls=False)
        self.assertEqual(4, len(driver.get_inventory().systems))
