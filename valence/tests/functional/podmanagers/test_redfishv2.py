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

"""The redfishv2 driver against a real DMTF composition emulator.

The pod has seed 1: one resource zone with 4 compute blocks, 4 GPUs, 2
FPGAs, 2 PCIe expansion trays (an FPGA and a drive each), 4 NICs and 12
NVMe drives.
"""

import collections
from concurrent import futures

import fixtures
import requests

from valence.common import exception
from valence.common import states
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import driver
from valence.podmanagers.redfishv2 import service
from valence.tests import base as test_base
from valence.tests.fixtures import emulator
from valence.tests.functional.podmanagers import base as pm_base

PASSWORD = 'S3cret-dmtf-password'
ROOT = '/redfish/v1'
BLOCKS = ROOT + '/CompositionService/ResourceBlocks/'


closed_port_url = pm_base.closed_port_url
request = pm_base.compose_request


def kind(uri):
    """'GPU' for .../ResourceBlocks/GPU-3: the emulator's block kind."""
    return uri.rsplit('/', 1)[1].split('-')[0]


class DriverTestCase(pm_base.DriverTestCase):
    """One emulated pod per class, back to its first state per test."""

    DRIVER = driver.RedfishV2Driver
    EMULATOR = dict(personality='dmtf', seed=1, systems=4, devices=24)
    PASSWORD = PASSWORD
    REQUEST_TIMEOUT = 10

    def compose(self, *devices, **kwargs):
        return self.driver.compose(request(*devices, **kwargs),
                                   lambda step, uri: None)

    def raw(self, method, path, **kwargs):
        """Ask the pod directly, as someone else than Valence."""
        resp = requests.request(method, self.emu.url + path,
                                auth=(self.emu.username, PASSWORD),
                                timeout=10, **kwargs)
        resp.raise_for_status()
        return resp

    def owned_by(self, node_uri):
        return sorted(b for b, owner in self.emu.allocations().items()
                      if owner == node_uri)

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
        self.assertEqual((states.ERROR, True),
                         (status.status,
                          'refused the credentials' in status.reason))

    def test_closed_port_is_offline(self):
        status = self.make_driver(url=closed_port_url()).get_status()
        self.assertEqual(states.OFFLINE, status.status)

    def test_server_errors_are_an_error(self):
        self.emu.set_faults({'error_rate': 1.0})
        self.assertEqual(states.ERROR, self.driver.get_status().status)


class TestOtherKindOfPod(test_base.TestCase):

    def test_rsd_pod_is_an_error_naming_the_composition_service(self):
        emu = self.useFixture(emulator.EmulatorFixture('rsd'))
        made = driver.RedfishV2Driver(base.PodConnection(
            emu.url, emu.username, emu.password))
        self.addCleanup(made.close)
        status = made.get_status()
        self.assertEqual((states.ERROR, True),
                         (status.status,
                          'CompositionService' in status.reason))


class TestInventory(DriverTestCase):

    def test_every_block_is_a_resource_block(self):
        inventory = self.driver.get_inventory()
        self.assertEqual(28, len(inventory.resource_blocks))

    def test_compute_blocks_are_the_systems(self):
        systems = self.driver.get_inventory().systems
        self.assertEqual([BLOCKS + 'Compute-%d' % n for n in range(4)],
                         sorted(s.uri for s in systems))

    def test_system_adds_up_the_cpus_and_memory_of_its_block(self):
        uri = BLOCKS + 'Compute-0'
        block = self.raw('GET', uri).json()
        cpus = [self.raw('GET', p['@odata.id']).json()
                for p in block['Processors']]
        dimms = [self.raw('GET', m['@odata.id']).json()
                 for m in block['Memory']]
        system = next(s for s in self.driver.get_inventory().systems
                      if s.uri == uri)
        self.assertEqual(
            (len(cpus), sum(c['TotalCores'] for c in cpus),
             sum(m['CapacityMiB'] for m in dimms), cpus[0]['Model'],
             'x86_64'),
            (system.processors, system.cores, system.memory_mib,
             system.processor_model, system.arch))

    def test_system_lists_the_mac_of_its_block(self):
        block = self.raw('GET', BLOCKS + 'Compute-1').json()
        nic = self.raw('GET', block['EthernetInterfaces'][0]['@odata.id'])
        system = next(s for s in self.driver.get_inventory().systems
                      if s.uri == BLOCKS + 'Compute-1')
        self.assertEqual([nic.json()['MACAddress']], system.mac_addresses)

    def test_device_types_follow_what_the_blocks_hold(self):
        types = collections.defaultdict(set)
        for device in self.driver.get_inventory().devices:
            types[kind(device.uri)].add(device.type)
        self.assertEqual({'GPU': {base.GPU}, 'FPGA': {base.FPGA},
                          'Expansion': {base.FPGA}, 'NIC': {base.NIC},
                          'NVMe': {base.NVME}}, dict(types))

    def test_gpu_has_the_vendor_and_model_of_its_processor(self):
        processor = self.raw('GET', BLOCKS + 'GPU-0/Processors/GPU0').json()
        gpu = next(d for d in self.driver.get_inventory().devices
                   if d.uri == BLOCKS + 'GPU-0')
        self.assertEqual((processor['Manufacturer'], processor['Model']),
                         (gpu.vendor, gpu.model))

    def test_nic_device_carries_its_mac_address(self):
        port = self.raw('GET', BLOCKS + 'NIC-0/EthernetInterfaces/Port0')
        nic = next(d for d in self.driver.get_inventory().devices
                   if d.uri == BLOCKS + 'NIC-0')
        self.assertEqual(port.json()['MACAddress'],
                         nic.properties['mac_address'])

    def test_drives_of_pooled_blocks_are_storage_records(self):
        drive = self.raw('GET', BLOCKS + 'NVMe-0/Drives/Drive0').json()
        storage = next(s for s in self.driver.get_inventory().storages
                       if s.uri == BLOCKS + 'NVMe-0/Drives/Drive0')
        self.assertEqual(('drive', drive['CapacityBytes'] // 1024 ** 3,
                          'NVMe'),
                         (storage.kind, storage.capacity_gib,
                          storage.protocol))

    def test_fresh_pod_is_all_free(self):
        inventory = self.driver.get_inventory()
        self.assertEqual({base.FREE}, {
            r.state for r in inventory.systems + inventory.devices
            + inventory.resource_blocks})

    def test_composed_blocks_are_allocated_to_their_system(self):
        node = self.compose((base.GPU, 1))
        inventory = self.driver.get_inventory()
        taken = {r.uri: (r.state, r.node_uri)
                 for r in inventory.systems + inventory.devices
                 if r.state != base.FREE}
        self.assertEqual({uri: (base.ALLOCATED, node.uri)
                          for uri in self.owned_by(node.uri)}, taken)

    def test_reserved_block_is_unavailable_and_marked_reserved(self):
        target = self.raw('GET', ROOT + '/CompositionService').json()[
            'Actions']['#CompositionService.Compose']['target']
        self.raw('POST', target, json={
            'RequestType': 'PreviewReserve', 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem', 'Request': {'Links': {
                    'ResourceBlocks': [{'@odata.id': BLOCKS + 'Compute-2'}],
                }}}]}})
        block = next(b for b in self.driver.get_inventory().resource_blocks
                     if b.uri == BLOCKS + 'Compute-2')
        self.assertEqual((base.UNAVAILABLE, True),
                         (block.state, block.reserved))

    def test_zone_lists_every_block(self):
        inventory = self.driver.get_inventory()
        self.assertEqual(
            [sorted(b.uri for b in inventory.resource_blocks)],
            [sorted(z.block_uris) for z in inventory.resource_zones])

    def test_blocks_sit_in_the_rack_chassis(self):
        inventory = self.driver.get_inventory()
        self.assertEqual(
            ({ROOT + '/Chassis/Rack-1'}, ['Rack']),
            ({d.rack_uri for d in inventory.devices},
             [r.chassis_type for r in inventory.racks]))

    def test_collections_are_read_expanded(self):
        paths = []
        self.on_response(lambda resp: paths.append(resp.request.path_url))
        self.driver.get_inventory()
        self.assertIn('/redfish/v1/CompositionService/ResourceBlocks'
                      '?$expand=.', paths)

    def test_nothing_is_read_twice(self):
        paths = []
        self.on_response(lambda resp: paths.append(resp.request.path_url))
        self.driver.get_inventory()
        self.assertEqual([], [p for p, n in collections.Counter(
            paths).items() if n > 1])

    def test_block_vanishing_during_the_read_is_left_out(self):
        gone = BLOCKS + 'GPU-1'

        def vanish_after_listing(resp):
            if '/ResourceBlocks?' in resp.url:
                self.emu.vanish(gone)
        self.on_response(vanish_after_listing)
        inventory = self.driver.get_inventory()
        self.assertEqual((27, False),
                         (len(inventory.resource_blocks),
                          gone in {b.uri for b in inventory.resource_blocks}))

    def test_gets_replay_with_the_driver_session_alone(self):
        urls = []
        self.on_response(lambda resp: urls.append(resp.url))
        self.driver.get_inventory()
        self.driver.session.hooks['response'].clear()
        replayed = {self.driver.session.get(u).status_code for u in urls}
        self.assertEqual({200}, replayed)


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

    def test_server_error_raises_pod_manager_error_with_its_message(self):
        self.emu.set_faults({'error_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('internal service error', str(error))

    def test_server_errors_are_retried_a_bounded_number_of_times(self):
        self.config(retries=2, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0})
        sends = self.count_sends()
        self.assertRaises(exception.PodManagerError,
                          self.driver.get_inventory)
        self.assertEqual(3, sends.call_count)

    def test_503_is_retried_after_retry_after_and_then_succeeds(self):
        self.config(retries=1, group='podmanager')
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503,
                             'retry_after': 1})
        statuses = []

        def recover(resp):
            statuses.append(resp.status_code)
            self.emu.clear_faults()
        self.on_response(recover)
        self.driver.get_inventory()
        self.assertEqual([503, 200], statuses[:2])

    def test_lasting_503_raises_unreachable_with_the_pod_message(self):
        self.emu.set_faults({'error_rate': 1.0, 'error_status': 503})
        error = self.assertRaises(exception.PodManagerUnreachable,
                                  self.driver.get_inventory)
        self.assertIn('temporarily unavailable', str(error))

    def test_hanging_pod_raises_unreachable(self):
        self.config(request_timeout=0.5, group='podmanager')
        self.emu.set_faults({'hang_rate': 1.0, 'hang_seconds': 3})
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)

    def test_dropped_connection_raises_unreachable(self):
        self.emu.set_faults({'drop_rate': 1.0})
        self.assertRaises(exception.PodManagerUnreachable,
                          self.driver.get_inventory)

    def test_malformed_json_raises_pod_manager_error_saying_so(self):
        self.emu.set_faults({'malformed_rate': 1.0})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('not JSON', str(error))

    def test_truncated_json_raises_pod_manager_error_naming_the_uri(self):
        self.emu.set_faults({'truncated_rate': 1.0,
                             'path_prefix': ROOT + '/CompositionService/'
                                                   'ResourceBlocks'})
        error = self.assertRaises(exception.PodManagerError,
                                  self.driver.get_inventory)
        self.assertIn('GET /redfish/v1/CompositionService/ResourceBlocks',
                      str(error))

    def test_password_is_never_in_an_error(self):
        for made in (self.make_driver(password=PASSWORD + 'x'),
                     self.make_driver(password=PASSWORD + 'x',
                                      auth_type='session')):
            error = self.assertRaises(exception.PodManagerError,
                                      made.get_inventory)
            self.assertNotIn(PASSWORD, str(error) + repr(error.kwargs))


class TestSessions(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.driver = self.make_driver(auth_type='session')

    def test_session_auth_sends_a_token_not_the_password(self):
        self.driver.get_inventory()
        self.assertEqual((None, True),
                         (self.driver.session.auth,
                          'X-Auth-Token' in self.driver.session.headers))

    def test_close_logs_out(self):
        self.driver.get_inventory()
        self.driver.close()
        self.assertEqual(0, self.emu.info()['sessions'])

    def test_lost_session_is_opened_again(self):
        self.driver.get_inventory()
        self.emu.reset()
        self.assertEqual(28, len(self.driver.get_inventory().resource_blocks))


class TestTLS(DriverTestCase):

    emulator_args = {'tls': True}

    def test_verified_with_the_configured_ca_bundle(self):
        self.config(ca_bundle=self.emu.verify, group='podmanager')
        self.assertEqual(states.ONLINE, self.make_driver().get_status().status)

    def test_unknown_certificate_is_refused(self):
        self.assertRaises(exception.PodManagerUnreachable,
                          self.make_driver().get_inventory)

    def test_verification_off_accepts_the_certificate(self):
        made = self.make_driver(verify_tls=False)
        self.assertEqual(28, len(made.get_inventory().resource_blocks))



class TestProxies(DriverTestCase):
    """The environment's proxy settings apply to the pod, as read when
    the driver is made."""

    def test_the_proxy_of_the_environment_is_used(self):
        # A proxy on a closed port: the pod is only unreachable through it.
        self.useFixture(fixtures.EnvironmentVariable('http_proxy',
                                                     closed_port_url()))
        self.useFixture(fixtures.EnvironmentVariable('no_proxy', ''))
        self.assertEqual(states.OFFLINE,
                         self.make_driver().get_status().status)

    def test_a_pod_the_environment_exempts_is_reached_directly(self):
        self.useFixture(fixtures.EnvironmentVariable('http_proxy',
                                                     closed_port_url()))
        self.useFixture(fixtures.EnvironmentVariable('no_proxy',
                                                     '127.0.0.1'))
        self.assertEqual(states.ONLINE,
                         self.make_driver().get_status().status)

    def test_the_environment_is_read_when_the_driver_is_made(self):
        made = self.make_driver()
        self.useFixture(fixtures.EnvironmentVariable('http_proxy',
                                                     closed_port_url()))
        self.useFixture(fixtures.EnvironmentVariable('no_proxy', ''))
        self.assertEqual(states.ONLINE, made.get_status().status)


class TestCompose(DriverTestCase):

    def test_constrained_compose_adds_the_requested_gpus(self):
        node = self.compose((base.GPU, 2))
        self.assertEqual(['Compute', 'GPU', 'GPU'],
                         sorted(kind(u) for u in self.owned_by(node.uri)))

    def test_node_lists_its_devices(self):
        node = self.compose((base.GPU, 2))
        self.assertEqual([u for u in self.owned_by(node.uri)
                          if kind(u) != 'Compute'], sorted(node.device_uris))

    def test_system_is_recorded_before_devices_are_added(self):
        seen = []
        node = self.driver.compose(
            request((base.GPU, 1)),
            lambda step, uri: seen.append((step, uri,
                                           len(self.owned_by(uri)))))
        self.assertEqual([(base.STEP_ALLOCATED, node.uri, 1)], seen)

    def test_specific_compose_takes_the_picked_blocks(self):
        picked = [BLOCKS + 'Compute-3', BLOCKS + 'NIC-2']
        node = self.compose(resource_uris=picked)
        self.assertEqual(sorted(picked), self.owned_by(node.uri))

    def test_picked_devices_count_towards_the_requested_ones(self):
        picked = [BLOCKS + 'Compute-3', BLOCKS + 'GPU-2']
        node = self.compose((base.GPU, 2), resource_uris=picked)
        self.assertEqual(['Compute', 'GPU', 'GPU'],
                         sorted(kind(u) for u in self.owned_by(node.uri)))

    def test_picked_devices_that_cover_the_request_add_nothing(self):
        picked = [BLOCKS + 'Compute-3', BLOCKS + 'GPU-2']
        node = self.compose((base.GPU, 1), resource_uris=picked)
        self.assertEqual(sorted(picked), self.owned_by(node.uri))

    def test_compose_applies_through_the_advertised_action(self):
        posts = []
        self.on_response(lambda resp: posts.append(resp.request.path_url)
                         if resp.request.method == 'POST' else None)
        self.compose()
        self.assertEqual(['/redfish/v1/CompositionService/Actions/'
                          'CompositionService.Compose'], posts)

    def test_without_the_action_compose_posts_to_systems(self):
        self.useFixture(fixtures.MockPatchObject(
            service.Service, 'compose_target', return_value=None))
        posts = []
        self.on_response(lambda resp: posts.append(resp.request.path_url)
                         if resp.request.method == 'POST' else None)
        node = self.compose()
        self.assertEqual((['/redfish/v1/Systems'], ['Compute']),
                         (posts, [kind(u) for u in self.owned_by(node.uri)]))

    def test_unmet_requirement_names_it(self):
        error = self.assertRaises(
            exception.CompositionFailed, self.compose,
            processor=base.ProcessorRequirement(cores=1000))
        self.assertIn('at least 1000 cores', str(error))

    def test_unmet_requirement_leaves_nothing_allocated(self):
        self.assertRaises(exception.CompositionFailed, self.compose,
                          processor=base.ProcessorRequirement(cores=1000))
        self.assertEqual({}, self.emu.allocations())

    def test_too_little_memory_is_decomposed(self):
        error = self.assertRaises(
            exception.CompositionFailed, self.compose,
            memory=base.MemoryRequirement(capacity_mib=1024 ** 3))
        self.assertEqual((True, {}),
                         (error.cleaned_up, self.emu.allocations()))

    def test_failing_compose_raises_and_leaves_nothing(self):
        self.emu.fail('compose')
        error = self.assertRaises(exception.CompositionFailed, self.compose)
        self.assertEqual((True, {}),
                         (error.cleaned_up, self.emu.allocations()))

    def test_failing_add_resource_block_decomposes_the_system(self):
        self.emu.fail('add_resource_block')
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1))
        self.assertEqual((True, None, {}),
                         (error.cleaned_up, error.node_uri,
                          self.emu.allocations()))

    def test_failed_decompose_leaves_the_system_to_clean_up(self):
        self.emu.fail('add_resource_block')
        self.emu.set_faults({'error_rate': 1.0, 'methods': ['DELETE']})
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 1))
        self.assertEqual((False, ['Compute']),
                         (error.cleaned_up,
                          [kind(u) for u in self.owned_by(error.node_uri)]))

    def test_missing_devices_are_decomposed(self):
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  (base.GPU, 5))
        self.assertEqual((True, {}),
                         ('1 missing' in str(error), self.emu.allocations()))

    def test_vanishing_devices_are_decomposed(self):
        self.emu.set_faults({'vanish_rate': 1.0})
        self.assertRaises(exception.CompositionFailed, self.compose,
                          (base.GPU, 1))
        self.assertEqual({}, self.emu.allocations())

    def test_concurrent_composes_share_no_block_and_leak_nothing(self):
        def attempt(n):
            try:
                return self.compose((base.GPU, 1)).uri
            except exception.CompositionFailed:
                return None
        with futures.ThreadPoolExecutor(8) as pool:
            made = [uri for uri in pool.map(attempt, range(8)) if uri]
        owners = collections.defaultdict(list)
        for block, owner in self.emu.allocations().items():
            owners[owner].append(kind(block))
        # Four compute blocks: four nodes, each with its own GPU.
        self.assertEqual((4, {uri: ['Compute', 'GPU'] for uri in made}),
                         (len(made), {o: sorted(k)
                                      for o, k in owners.items()}))

    def test_busy_blocks_are_refused_with_the_pod_message(self):
        first = self.compose(resource_uris=[BLOCKS + 'Compute-0'])
        error = self.assertRaises(exception.CompositionFailed, self.compose,
                                  resource_uris=[BLOCKS + 'Compute-0'])
        self.assertIn(first.uri, str(error))


class TestNodes(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.node = self.compose(resource_uris=[
            BLOCKS + 'Compute-0', BLOCKS + 'GPU-0', BLOCKS + 'NVMe-0'])

    def test_node_has_the_cpus_and_memory_of_the_system(self):
        system = self.raw('GET', self.node.uri).json()
        self.assertEqual(
            (system['ProcessorSummary']['CoreCount'],
             system['MemorySummary']['TotalSystemMemoryGiB'] * 1024),
            (self.node.cores, self.node.memory_mib))

    def test_node_nics_carry_mac_addresses(self):
        macs = [n['mac_address'] for n in self.node.nics]
        self.assertEqual((1, True), (len(macs), all(macs)))

    def test_pooled_drive_is_a_remote_drive(self):
        self.assertEqual(
            [(BLOCKS + 'NVMe-0/Drives/Drive0', base.NVME, True)],
            [(d['uri'], d['type'], d['remote']) for d in self.node.drives])

    def test_node_offers_reset_and_boot_targets(self):
        self.assertEqual((True, True),
                         ('ForceOff' in self.node.reset_types,
                          'Pxe' in self.node.boot['allowed_targets']))

    def test_missing_node_raises_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.get_node, ROOT + '/Systems/Nope')

    def test_list_nodes_gives_the_composed_systems(self):
        self.assertEqual([self.node.uri], self.driver.list_nodes())

    def test_find_node_by_its_index(self):
        index = self.node.uri.rsplit('/', 1)[1]
        self.assertEqual(self.node.uri, self.driver.find_node(index))

    def test_find_unknown_node_raises_not_found(self):
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.find_node, 'Composed-99')

    def test_delete_frees_every_block(self):
        self.driver.delete_node(self.node.uri)
        self.assertEqual({}, self.emu.allocations())

    def test_delete_twice_is_fine(self):
        self.driver.delete_node(self.node.uri)
        self.driver.delete_node(self.node.uri)
        self.assertEqual([], self.driver.list_nodes())

    def test_power_on(self):
        self.driver.set_power(self.node.uri, 'On')
        self.assertEqual(base.POWER_ON,
                         self.driver.get_node(self.node.uri).power_state)

    def test_reset_type_the_node_does_not_allow_is_refused(self):
        self.assertRaises(exception.PodRequestRefused, self.driver.set_power,
                          self.node.uri, 'Nmi')

    def test_boot_override_is_set(self):
        self.driver.set_boot(self.node.uri, 'Once', 'Pxe')
        boot = self.driver.get_node(self.node.uri).boot
        self.assertEqual(('Once', 'Pxe'), (boot['enabled'], boot['target']))

    def test_boot_target_the_node_does_not_allow_is_refused(self):
        self.assertRaises(exception.PodRequestRefused, self.driver.set_boot,
                          self.node.uri, 'Once', 'Floppy')

    def test_boot_override_survives_a_stale_etag(self):
        changed = []

        def change_behind_the_back(resp):
            if (resp.request.method == 'GET' and not changed
                    and resp.url.endswith(self.node.uri)):
                changed.append(self.raw('PATCH', self.node.uri,
                                        json={'HostName': 'other'}))
        self.on_response(change_behind_the_back)
        self.driver.set_boot(self.node.uri, 'Continuous', 'Hdd')
        self.assertEqual('Continuous',
                         self.driver.get_node(self.node.uri).boot['enabled'])


class TestDevices(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.node = self.compose(resource_uris=[BLOCKS + 'Compute-0'])

    def test_attachable_are_the_free_pooled_blocks_of_the_zone(self):
        other = self.compose(resource_uris=[BLOCKS + 'Compute-1',
                                            BLOCKS + 'GPU-0'])
        attachable = self.driver.list_attachable(self.node.uri)
        expected = [BLOCKS + b['Id'] for b in self.raw(
            'GET', ROOT + '/CompositionService/FreePool?$expand=.').json()[
            'Members'] if 'Compute' not in b['ResourceBlockType']]
        self.assertEqual((sorted(expected), False),
                         (sorted(attachable),
                          other.device_uris[0] in attachable))

    def test_attach_adds_the_block_without_reboot(self):
        rebooting = self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.assertEqual((False, [BLOCKS + 'GPU-1']),
                         (rebooting,
                          self.driver.get_node(self.node.uri).device_uris))

    def test_attach_twice_is_fine(self):
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.assertEqual([BLOCKS + 'Compute-0', BLOCKS + 'GPU-1'],
                         self.owned_by(self.node.uri))

    def test_detach_removes_the_block(self):
        self.driver.attach_device(self.node.uri, BLOCKS + 'NIC-1')
        rebooting = self.driver.detach_device(self.node.uri,
                                              BLOCKS + 'NIC-1')
        self.assertEqual((False, [BLOCKS + 'Compute-0']),
                         (rebooting, self.owned_by(self.node.uri)))

    def test_detach_of_a_block_not_attached_is_fine(self):
        self.assertFalse(self.driver.detach_device(self.node.uri,
                                                   BLOCKS + 'NIC-1'))

    def test_block_in_use_elsewhere_is_refused_with_the_pod_message(self):
        other = self.compose(resource_uris=[BLOCKS + 'Compute-1',
                                            BLOCKS + 'GPU-0'])
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.attach_device, self.node.uri,
                                  BLOCKS + 'GPU-0')
        self.assertIn(other.uri, str(error))

    def test_vanishing_block_raises_not_found(self):
        self.emu.set_faults({'vanish_rate': 1.0})
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.attach_device, self.node.uri,
                          BLOCKS + 'GPU-1')

    def test_detach_of_a_vanished_block_raises_not_found(self):
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.emu.vanish(BLOCKS + 'GPU-1')
        self.assertRaises(exception.PodResourceNotFound,
                          self.driver.detach_device, self.node.uri,
                          BLOCKS + 'GPU-1')

    def test_failing_add_resource_block_leaves_the_node_as_it_was(self):
        self.emu.fail('add_resource_block')
        self.assertRaises(exception.PodManagerError,
                          self.driver.attach_device, self.node.uri,
                          BLOCKS + 'GPU-1')
        self.assertEqual([BLOCKS + 'Compute-0'],
                         self.owned_by(self.node.uri))

    def test_failing_remove_resource_block_keeps_the_block_attached(self):
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.emu.fail('remove_resource_block')
        self.assertRaises(exception.PodManagerError,
                          self.driver.detach_device, self.node.uri,
                          BLOCKS + 'GPU-1')
        self.assertEqual([BLOCKS + 'Compute-0', BLOCKS + 'GPU-1'],
                         self.owned_by(self.node.uri))

    def test_failing_add_resource_block_is_retried_under_its_etag(self):
        self.config(retries=1, group='podmanager')
        self.emu.fail('add_resource_block', times=1)
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.assertEqual([BLOCKS + 'Compute-0', BLOCKS + 'GPU-1'],
                         self.owned_by(self.node.uri))

    def test_stale_etag_is_read_again_once(self):
        statuses = []

        def change_behind_the_back(resp):
            statuses.append(resp.status_code)
            if (resp.request.method == 'GET' and len(statuses) == 1):
                self.raw('PATCH', self.node.uri, json={'HostName': 'x'})
        self.on_response(change_behind_the_back)
        self.driver.attach_device(self.node.uri, BLOCKS + 'GPU-1')
        self.assertEqual((True, [BLOCKS + 'Compute-0', BLOCKS + 'GPU-1']),
                         (428 in statuses, self.owned_by(self.node.uri)))

    def test_etag_stale_twice_is_refused(self):
        changes = []

        def change_behind_the_back(resp):
            if (resp.request.method == 'GET'
                    and resp.url.endswith(self.node.uri)):
                changes.append(self.raw('PATCH', self.node.uri, json={
                    'HostName': 'changed-%d' % len(changes)}))
        self.on_response(change_behind_the_back)
        error = self.assertRaises(exception.PodRequestRefused,
                                  self.driver.attach_device, self.node.uri,
                                  BLOCKS + 'GPU-1')
        self.assertEqual(428, error.kwargs['http_status'])
