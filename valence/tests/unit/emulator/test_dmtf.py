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

"""The DMTF personality's inventory, service documents and state."""

import os

import fixtures

from valence.emulator import state
from valence.tests.unit.emulator import base

ROOT = '/redfish/v1'
SYSTEMS = ROOT + '/Systems'
SERVICE = ROOT + '/CompositionService'
BLOCKS = SERVICE + '/ResourceBlocks'
ZONES = SERVICE + '/ResourceZones'
RESERVATIONS = SERVICE + '/CompositionReservations'
COMPOSE = SERVICE + '/Actions/CompositionService.Compose'


class DMTFTestCase(base.PodTestCase):
    """A DMTF pod of seed 1: 4 compute blocks and 24 pooled devices.

    That seed gives every kind of block: 12 NVMe drives, 4 NICs, 4 GPUs,
    2 FPGAs and 2 expansion trays, in one zone.
    """

    personality = 'dmtf'
    systems = 4
    devices = 24

    def block_ids(self, kind):
        inventory = self.pod.personality.inventory
        found = [b for b in inventory.order
                 if inventory.blocks[b].kind == kind]
        self.assertTrue(found, 'no %s block in the test pod' % kind)
        return found

    def uri(self, block_id):
        return BLOCKS + '/' + block_id

    def specific(self, *block_ids, **extra):
        body = {'Links': {'ResourceBlocks': [
            {'@odata.id': self.uri(b)} for b in block_ids]}}
        body.update(extra)
        return body

    def compose(self, body, status=201):
        answer = self.call('POST', SYSTEMS, body)
        self.assertEqual(status, answer.status, answer.body)
        return answer

    def system(self, *block_ids):
        """Compose a system of ``block_ids``; return its URI."""
        return self.compose(self.specific(*block_ids)).headers['Location']

    def linked_blocks(self, system_uri):
        links = self.ok('GET', system_uri)['Links']['ResourceBlocks']
        return [link['@odata.id'].rsplit('/', 1)[1] for link in links]

    def message_ids(self, answer):
        return [m['MessageId'] for m in
                answer.json()['error']['@Message.ExtendedInfo']]

    def related(self, answer):
        return answer.json()['error']['@Message.ExtendedInfo'][0].get(
            'RelatedProperties')

    def members(self, path, **query):
        doc = self.ok('GET', path, query=query or None)
        return [m['@odata.id'] for m in doc['Members']]


class TestServiceDocuments(DMTFTestCase):

    def test_service_root_links_the_composition_service(self):
        root = self.ok('GET', ROOT, auth=False)
        self.assertEqual(SERVICE, root['CompositionService']['@odata.id'])

    def test_composition_service_links_pools_zones_and_reservations(self):
        service = self.ok('GET', SERVICE)
        links = {k: v['@odata.id'] for k, v in service.items()
                 if isinstance(v, dict) and '@odata.id' in v}
        self.assertEqual({'ResourceBlocks': BLOCKS, 'ResourceZones': ZONES,
                          'ActivePool': SERVICE + '/ActivePool',
                          'FreePool': SERVICE + '/FreePool',
                          'CompositionReservations': RESERVATIONS}, links)

    def test_compose_action_advertises_its_target(self):
        actions = self.ok('GET', SERVICE)['Actions']
        self.assertEqual(COMPOSE,
                         actions['#CompositionService.Compose']['target'])

    def test_compose_action_info_lists_the_request_types(self):
        actions = self.ok('GET', SERVICE)['Actions']
        info = self.ok('GET', actions['#CompositionService.Compose'][
            '@Redfish.ActionInfo'])
        types = next(p for p in info['Parameters']
                     if p['Name'] == 'RequestType')
        self.assertEqual(['Preview', 'PreviewReserve', 'Apply'],
                         types['AllowableValues'])

    def test_systems_advertise_specific_and_constrained_composition(self):
        caps = self.ok('GET', SYSTEMS)['@Redfish.CollectionCapabilities']
        self.assertEqual(['ComputerSystemComposition',
                          'ComputerSystemConstrainedComposition'],
                         [c['UseCase'] for c in caps['Capabilities']])

    def test_capabilities_objects_are_served(self):
        caps = self.ok('GET', SYSTEMS)['@Redfish.CollectionCapabilities']
        for capability in caps['Capabilities']:
            self.ok('GET', capability['CapabilitiesObject']['@odata.id'])

    def test_systems_hold_no_system_before_any_composition(self):
        self.assertEqual([], self.members(SYSTEMS))


class TestResourceBlocks(DMTFTestCase):

    def test_resource_blocks_list_every_block(self):
        self.assertEqual(28, len(self.members(BLOCKS)))

    def test_block_types_cover_every_kind_of_the_issue(self):
        types = set()
        for uri in self.members(BLOCKS):
            types.update(self.ok('GET', uri)['ResourceBlockType'])
        self.assertEqual({'Compute', 'Storage', 'Network', 'Processor',
                          'Expansion'}, types)

    def test_free_block_is_unused_and_unreserved(self):
        block = self.ok('GET', self.uri(self.block_ids('gpu')[0]))
        self.assertEqual(
            ({'CompositionState': 'Unused', 'Reserved': False,
              'SharingCapable': False, 'MaxCompositions': 1,
              'NumberOfCompositions': 0}, 'Free'),
            (block['CompositionStatus'], block['Pool']))

    def _first(self, kind, collection):
        block = self.ok('GET', self.uri(self.block_ids(kind)[0]))
        return self.ok('GET', block[collection][0]['@odata.id'])

    def test_gpu_block_holds_a_gpu(self):
        self.assertEqual('GPU',
                         self._first('gpu', 'Processors')['ProcessorType'])

    def test_fpga_block_holds_an_fpga(self):
        self.assertEqual('FPGA',
                         self._first('fpga', 'Processors')['ProcessorType'])

    def test_storage_block_holds_an_nvme_drive(self):
        self.assertEqual('NVMe', self._first('storage', 'Drives')['Protocol'])

    def test_storage_of_a_storage_block_lists_its_drive(self):
        storage = self._first('storage', 'Storage')
        self.assertEqual(1, storage['Drives@odata.count'])

    def test_network_block_holds_an_ethernet_interface(self):
        nic = self._first('network', 'EthernetInterfaces')
        self.assertIn(nic['SpeedMbps'], (25000, 100000))

    def test_compute_block_holds_cpus_and_dimms(self):
        block = self.ok('GET', self.uri(self.block_ids('compute')[0]))
        self.assertEqual((2, 12), (len(block['Processors']),
                                   len(block['Memory'])))

    def test_expansion_block_holds_a_drive_and_an_fpga(self):
        block = self.ok('GET', self.uri(self.block_ids('expansion')[0]))
        self.assertEqual((1, 1), (len(block['Drives']),
                                  len(block['Processors'])))

    def test_unknown_block_is_a_404_redfish_error(self):
        answer = self.call('GET', self.uri('GPU-999'))
        self.assertEqual((404, 'Base.1.22.ResourceMissingAtURI'),
                         (answer.status, answer.json()['error']['code']))

    def test_unknown_processor_of_a_block_is_a_404(self):
        uri = self.uri(self.block_ids('gpu')[0]) + '/Processors/GPU7'
        self.assertEqual(404, self.call('GET', uri).status)

    def test_same_seed_gives_same_blocks(self):
        other = self.make_pod()
        self.assertEqual(
            self.call('GET', BLOCKS, query={'$expand': '.'}).body,
            self.call('GET', BLOCKS, query={'$expand': '.'},
                      pod=other).body)

    def test_top_and_skip_page_the_blocks(self):
        doc = self.ok('GET', BLOCKS, query={'$skip': '2', '$top': '5'})
        self.assertEqual((5, BLOCKS + '?$skip=7&$top=5'),
                         (len(doc['Members']), doc['Members@odata.nextLink']))

    def test_expand_renders_the_blocks(self):
        doc = self.ok('GET', BLOCKS, query={'$expand': '.', '$top': '3'})
        self.assertEqual(3, len([m for m in doc['Members']
                                 if 'CompositionStatus' in m]))


class TestZonesAndRacks(DMTFTestCase):

    def test_one_zone_holds_a_rack_of_blocks(self):
        zone = self.ok('GET', ZONES + '/1')
        self.assertEqual(28, len(zone['Links']['ResourceBlocks']))

    def test_zones_tell_where_to_compose(self):
        zone = self.ok('GET', ZONES + '/1')
        caps = zone['@Redfish.CollectionCapabilities']['Capabilities']
        self.assertEqual({SYSTEMS}, {c['Links']['TargetCollection'][
            '@odata.id'] for c in caps})

    def test_eight_compute_blocks_make_a_zone(self):
        self.pod = self.make_pod(systems=16, devices=32)
        self.assertEqual(2, len(self.members(ZONES)))

    def test_every_block_is_in_exactly_one_zone(self):
        self.pod = self.make_pod(systems=16, devices=32)
        listed = []
        for zone in self.members(ZONES):
            listed += [b['@odata.id'] for b in
                       self.ok('GET', zone)['Links']['ResourceBlocks']]
        self.assertEqual(sorted(self.members(BLOCKS, **{'$top': '100'})),
                         sorted(listed))

    def test_block_links_its_zone_and_rack(self):
        links = self.ok('GET', self.uri('Compute-0'))['Links']
        self.assertEqual(([ZONES + '/1'], [ROOT + '/Chassis/Rack-1']),
                         ([z['@odata.id'] for z in links['Zones']],
                          [c['@odata.id'] for c in links['Chassis']]))

    def test_rack_lists_the_blocks_of_its_zone(self):
        rack = self.ok('GET', ROOT + '/Chassis/Rack-1')
        self.assertEqual(28, len(rack['Links']['ResourceBlocks']))

    def test_unknown_zone_is_a_404(self):
        self.assertEqual(404, self.call('GET', ZONES + '/9').status)


class TestPools(DMTFTestCase):

    def test_free_pool_holds_every_block_at_start(self):
        self.assertEqual(self.members(BLOCKS),
                         self.members(SERVICE + '/FreePool'))

    def test_composed_blocks_move_to_the_active_pool(self):
        self.system('Compute-1', self.block_ids('gpu')[0])
        self.assertEqual(
            [self.uri('Compute-1'), self.uri(self.block_ids('gpu')[0])],
            self.members(SERVICE + '/ActivePool'))

    def test_composed_blocks_leave_the_free_pool(self):
        self.system('Compute-1')
        self.assertNotIn(self.uri('Compute-1'),
                         self.members(SERVICE + '/FreePool'))

    def test_decomposed_blocks_return_to_the_free_pool(self):
        uri = self.system('Compute-1')
        self.ok('DELETE', uri, status=204)
        self.assertEqual(self.members(BLOCKS),
                         self.members(SERVICE + '/FreePool'))


class TestServiceSettings(DMTFTestCase):

    def test_reservation_duration_is_writable(self):
        doc = self.ok('PATCH', SERVICE, {'ReservationDuration': 'PT1H30M'})
        self.assertEqual('PT1H30M', doc['ReservationDuration'])

    def test_malformed_reservation_duration_is_refused(self):
        answer = self.call('PATCH', SERVICE, {'ReservationDuration': '3h'})
        self.assertEqual(['Base.1.22.PropertyValueTypeError'],
                         self.message_ids(answer))

    def test_read_only_service_property_is_refused(self):
        answer = self.call('PATCH', SERVICE, {'ServiceEnabled': False})
        self.assertEqual((400, ['Base.1.22.PropertyNotWritable']),
                         (answer.status, self.message_ids(answer)))

    def test_unknown_service_property_is_refused(self):
        answer = self.call('PATCH', SERVICE, {'Speed': 'ludicrous'})
        self.assertEqual(['Base.1.22.PropertyUnknown'],
                         self.message_ids(answer))

    def test_refused_patch_changes_nothing(self):
        self.call('PATCH', SERVICE, {'ReservationDuration': 'PT1S',
                                     'AllowOverprovisioning': 'yes'})
        self.assertEqual('PT10M',
                         self.ok('GET', SERVICE)['ReservationDuration'])


class TestControl(DMTFTestCase):

    def test_allocations_name_the_owning_system(self):
        uri = self.system('Compute-2')
        self.assertEqual({self.uri('Compute-2'): uri},
                         self.pod.personality.allocations())

    def test_vanished_block_is_gone(self):
        gpu = self.uri(self.block_ids('gpu')[0])
        self.assertTrue(self.pod.personality.vanish(gpu))
        self.assertEqual(404, self.call('GET', gpu).status)

    def test_vanish_of_a_non_block_is_refused(self):
        self.assertFalse(self.pod.personality.vanish(SYSTEMS + '/x'))

    def test_vanished_block_leaves_its_system(self):
        gpu = self.block_ids('gpu')[0]
        uri = self.system('Compute-0', gpu)
        self.pod.personality.vanish(self.uri(gpu))
        self.assertEqual(['Compute-0'], self.linked_blocks(uri))

    def test_system_whose_compute_block_vanished_is_critical(self):
        uri = self.system('Compute-0')
        self.pod.personality.vanish(self.uri('Compute-0'))
        self.assertEqual('Critical', self.ok('GET', uri)['Status']['Health'])

    def test_reset_frees_everything(self):
        self.system('Compute-0')
        self.ok('POST', '/_emulator/reset', status=204)
        self.assertEqual({}, self.pod.personality.allocations())


class TestPersistence(DMTFTestCase):

    def setUp(self):
        super().setUp()
        directory = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(directory, 'state.json')
        self.pod = self.make_pod(state_file=state.StateFile(self.path))

    def restarted(self):
        return self.make_pod(state_file=state.StateFile(self.path))

    def test_restarted_pod_keeps_its_systems(self):
        uri = self.system('Compute-0', self.block_ids('gpu')[0])
        self.pod = self.restarted()
        self.assertEqual(['Compute-0', self.block_ids('gpu')[0]],
                         self.linked_blocks(uri))

    def test_restarted_pod_keeps_expansions(self):
        uri = self.system('Compute-0')
        self.ok('POST', uri + '/Actions/ComputerSystem.AddResourceBlock',
                {'ResourceBlock': {'@odata.id': self.uri('NIC-0')}},
                status=204)
        self.pod = self.restarted()
        self.assertEqual(['Compute-0', 'NIC-0'], self.linked_blocks(uri))

    def test_restarted_pod_numbers_new_systems_after_the_old(self):
        self.system('Compute-0')
        self.pod = self.restarted()
        self.assertEqual(SYSTEMS + '/Composed-2', self.system('Compute-1'))

    def test_restarted_pod_keeps_its_reservations(self):
        answer = self.ok('POST', COMPOSE, {
            'RequestType': 'PreviewReserve', 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem',
                'Request': self.specific('Compute-3')}]}})
        self.pod = self.restarted()
        reservation = self.ok('GET', RESERVATIONS + '/'
                              + answer['ReservationId'])
        self.assertEqual([{'@odata.id': self.uri('Compute-3')}],
                         reservation['ReservedResourceBlocks'])

    def test_restarted_pod_keeps_vanished_blocks_gone(self):
        self.ok('POST', '/_emulator/vanish', {'uri': self.uri('NIC-1')},
                status=204)
        # The vanish itself is no Redfish change: save with one.
        self.system('Compute-0')
        self.pod = self.restarted()
        self.assertEqual(404, self.call('GET', self.uri('NIC-1')).status)

    def test_restarted_pod_keeps_its_settings(self):
        self.ok('PATCH', SERVICE, {'ReservationDuration': 'PT5S'})
        self.pod = self.restarted()
        self.assertEqual('PT5S',
                         self.ok('GET', SERVICE)['ReservationDuration'])
