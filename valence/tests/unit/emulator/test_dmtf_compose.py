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

"""Specific and constrained composition by POST to Systems.

The compute blocks of the test pod (seed 1): Compute-0 and Compute-2 have
2 CPUs of 20 cores and 12 DIMMs of 32 GiB, Compute-1 one CPU of 32 cores
and 8 DIMMs of 32 GiB, Compute-3 2 CPUs of 12 cores and 8 DIMMs of 16 GiB.
"""

from valence.emulator import routing
from valence.tests.unit.emulator import base
from valence.tests.unit.emulator import test_dmtf

SYSTEMS = test_dmtf.SYSTEMS
OVER = {'@Redfish.AllowOverprovisioning': True}


def processors(*items):
    return {'Processors': {'Members': list(items)}}


def cpus(count, **props):
    return dict({'@Redfish.RequestedCount': count, 'ProcessorType': 'CPU'},
                **props)


def gpus(count, **props):
    return dict({'@Redfish.RequestedCount': count, 'ProcessorType': 'GPU'},
                **props)


class TestSpecificComposition(test_dmtf.DMTFTestCase):

    def test_composition_answers_201_with_location(self):
        answer = self.compose(self.specific('Compute-0'))
        self.assertEqual(SYSTEMS + '/Composed-1', answer.headers['Location'])

    def test_answer_is_the_composed_system(self):
        answer = self.compose(self.specific('Compute-0'))
        self.assertEqual(answer.json(),
                         self.ok('GET', answer.headers['Location']))

    def test_composed_system_links_its_blocks(self):
        gpu = self.block_ids('gpu')[0]
        uri = self.system('Compute-0', gpu)
        self.assertEqual(['Compute-0', gpu], self.linked_blocks(uri))

    def test_compute_block_comes_first_whatever_the_order(self):
        gpu = self.block_ids('gpu')[0]
        uri = self.system(gpu, 'Compute-0')
        self.assertEqual(['Compute-0', gpu], self.linked_blocks(uri))

    def test_composed_block_links_its_system(self):
        uri = self.system('Compute-0')
        block = self.ok('GET', self.uri('Compute-0'))
        self.assertEqual(
            ('Composed', 'Active', [{'@odata.id': uri}]),
            (block['CompositionStatus']['CompositionState'], block['Pool'],
             block['Links']['ComputerSystems']))

    def test_composed_system_tells_its_processors_and_memory(self):
        system = self.ok('GET', self.system('Compute-0'))
        self.assertEqual(
            (2, 40, 384),
            (system['ProcessorSummary']['Count'],
             system['ProcessorSummary']['CoreCount'],
             system['MemorySummary']['TotalSystemMemoryGiB']))

    def test_system_processors_include_the_pooled_gpu(self):
        uri = self.system('Compute-0', self.block_ids('gpu')[0])
        self.assertEqual(3, len(self.members(uri + '/Processors')))

    def test_system_storage_lists_the_drive_blocks(self):
        drives = self.block_ids('storage')[:2]
        uri = self.system('Compute-0', *drives)
        self.assertEqual(2, len(self.members(uri + '/Storage')))

    def test_name_boot_and_hostname_come_from_the_request(self):
        system = self.compose(self.specific(
            'Compute-0', Name='web-1', HostName='web-1.example.org',
            Boot={'BootSourceOverrideTarget': 'Pxe',
                  'BootSourceOverrideEnabled': 'Once'})).json()
        self.assertEqual(
            ('web-1', 'web-1.example.org', 'Pxe', 'Once'),
            (system['Name'], system['HostName'],
             system['Boot']['BootSourceOverrideTarget'],
             system['Boot']['BootSourceOverrideEnabled']))

    def test_new_system_is_powered_off(self):
        self.assertEqual('Off',
                         self.ok('GET', self.system('Compute-0'))[
                             'PowerState'])

    def test_unknown_block_is_refused_naming_it(self):
        answer = self.compose(self.specific('Compute-0', 'GPU-99'), 400)
        self.assertEqual(
            (['Base.1.22.ResourceMissingAtURI',
              'Composition.1.1.ResourceBlockNotFound'],
             ['#/Links/ResourceBlocks/1']),
            (self.message_ids(answer), self.related(answer)))

    def test_block_in_use_is_refused_with_409(self):
        self.system('Compute-0', 'NVMe-0')
        answer = self.compose(self.specific('Compute-1', 'NVMe-0'), 409)
        self.assertEqual(['Base.1.22.ResourceInUse',
                          'Composition.1.1.ResourceBlockInUse'],
                         self.message_ids(answer))

    def test_two_compute_blocks_are_refused(self):
        answer = self.compose(self.specific('Compute-0', 'Compute-1'), 400)
        self.assertIn('Composition.1.1.ResourceBlockInvalid',
                      self.message_ids(answer))

    def test_system_without_compute_block_is_refused(self):
        answer = self.compose(self.specific('NVMe-0'), 400)
        self.assertIn('Composition.1.1.ResourceBlockInvalid',
                      self.message_ids(answer))

    def test_block_listed_twice_is_refused(self):
        answer = self.compose(self.specific('Compute-0', 'NVMe-0', 'NVMe-0'),
                              400)
        self.assertEqual(['#/Links/ResourceBlocks/2'], self.related(answer))

    def test_blocks_of_two_zones_are_refused(self):
        self.pod = self.make_pod(systems=16, devices=32)
        last_device = self.pod.personality.inventory.order[-1]
        answer = self.compose(self.specific('Compute-0', last_device), 400)
        self.assertIn('Composition.1.1.IncompatibleZone',
                      self.message_ids(answer))

    def test_unknown_property_is_refused(self):
        answer = self.compose(self.specific('Compute-0', Colour='red'), 400)
        self.assertEqual((['Base.1.22.PropertyUnknown'], ['#/Colour']),
                         (self.message_ids(answer), self.related(answer)))

    def test_request_without_blocks_or_requirements_is_refused(self):
        answer = self.compose({'Name': 'nothing'}, 400)
        self.assertEqual(['#/Links/ResourceBlocks'], self.related(answer))

    def test_blocks_and_requirements_together_are_refused(self):
        body = self.specific('Compute-0', **processors(cpus(1)))
        answer = self.compose(body, 400)
        self.assertEqual(['Base.1.22.PropertyValueConflict'],
                         self.message_ids(answer))

    def test_unknown_boot_target_is_refused(self):
        body = self.specific('Compute-0',
                             Boot={'BootSourceOverrideTarget': 'Floppy'})
        answer = self.compose(body, 400)
        self.assertEqual(['Base.1.22.PropertyValueNotInList'],
                         self.message_ids(answer))

    def test_malformed_json_is_a_400(self):
        answer = self.pod.respond(routing.Request(
            'POST', SYSTEMS, None, {'Authorization': base.BASIC},
            b'{"Links": '))
        self.assertEqual(400, answer.status)

    def test_refused_composition_takes_nothing(self):
        self.compose(self.specific('Compute-0', 'GPU-99'), 400)
        self.assertEqual({}, self.pod.personality.allocations())


class TestConstrainedComposition(test_dmtf.DMTFTestCase):

    def blocks_of(self, answer):
        return self.linked_blocks(answer.headers['Location'])

    def test_exact_cpu_requirement_picks_a_fitting_compute_block(self):
        answer = self.compose(processors(cpus(2, TotalCores=20)))
        self.assertEqual(['Compute-0'], self.blocks_of(answer))

    def test_exact_match_refuses_a_bigger_block(self):
        self.compose(processors(cpus(1, TotalCores=20)), 409)

    def test_overprovisioning_accepts_a_bigger_block(self):
        answer = self.compose(dict(processors(cpus(1, TotalCores=20)),
                                   **OVER))
        self.assertEqual(['Compute-0'], self.blocks_of(answer))

    def test_service_without_overprovisioning_matches_exactly(self):
        self.ok('PATCH', test_dmtf.SERVICE, {'AllowOverprovisioning': False})
        self.compose(dict(processors(cpus(1, TotalCores=20)), **OVER), 409)

    def test_overprovisioning_that_is_not_a_boolean_is_refused(self):
        body = processors(cpus(1))
        body['@Redfish.AllowOverprovisioning'] = 'yes'
        answer = self.compose(body, 400)
        self.assertEqual(['#/@Redfish.AllowOverprovisioning'],
                         self.related(answer))

    def test_memory_requirement_matches_the_compute_block(self):
        answer = self.compose({'Memory': {'Members': [{
            '@Redfish.RequestedCount': 8, 'CapacityMiB': 16384}]}})
        self.assertEqual(['Compute-3'], self.blocks_of(answer))

    def test_model_requirement_matches_exactly(self):
        answer = self.compose(processors(cpus(
            1, Model='AMD EPYC 7543 32-Core Processor')))
        self.assertEqual(['Compute-1'], self.blocks_of(answer))

    def test_gpu_requirement_takes_gpu_blocks(self):
        answer = self.compose(dict(processors(gpus(2)), **OVER))
        self.assertEqual(['compute', 'gpu', 'gpu'], self._kinds(answer))

    def _kinds(self, answer):
        inventory = self.pod.personality.inventory
        return [inventory.blocks[b].kind for b in self.blocks_of(answer)]

    def test_fpga_requirement_takes_fpga_blocks_not_expansion_trays(self):
        answer = self.compose(dict(processors(
            {'@Redfish.RequestedCount': 2, 'ProcessorType': 'FPGA'}),
            **OVER))
        self.assertEqual(['compute', 'fpga', 'fpga'], self._kinds(answer))

    def test_drive_requirement_takes_storage_blocks(self):
        answer = self.compose(dict(OVER, Storage={'Members': [{'Drives': [{
            '@Redfish.RequestedCount': 2, 'CapacityBytes': 10 ** 12}]}]}))
        self.assertEqual(['compute', 'storage', 'storage'],
                         self._kinds(answer))

    def test_storage_member_count_multiplies_its_drives(self):
        answer = self.compose(dict(OVER, Storage={'Members': [{
            '@Redfish.RequestedCount': 3, 'Drives': [{
                '@Redfish.RequestedCount': 2, 'CapacityBytes': 1}]}]}))
        self.assertEqual(6, self._kinds(answer).count('storage'))

    def test_ethernet_requirement_takes_network_blocks(self):
        answer = self.compose(dict(OVER, EthernetInterfaces={'Members': [{
            '@Redfish.RequestedCount': 1, 'SpeedMbps': 25000}]}))
        self.assertEqual(['compute', 'network'], self._kinds(answer))

    def test_unmet_requirement_is_a_409_naming_it(self):
        answer = self.compose(dict(processors(cpus(1), gpus(10)), **OVER),
                              409)
        self.assertEqual(
            (['Base.1.22.ResourceExhaustion',
              'Composition.1.1.NoResourceMatch'],
             ['#/Processors/Members/1']),
            (self.message_ids(answer), self.related(answer)))

    def test_unmet_requirement_message_says_what_was_asked(self):
        answer = self.compose(dict(processors(gpus(10)), **OVER), 409)
        self.assertIn('10 x GPU', answer.json()['error']['message'])

    def test_unmet_cpu_requirement_names_the_cpu_item(self):
        answer = self.compose(processors(cpus(4)), 409)
        self.assertEqual(['#/Processors/Members/0'], self.related(answer))

    def test_taken_compute_blocks_are_not_picked_again(self):
        first = self.compose(processors(cpus(2, TotalCores=20)))
        second = self.compose(processors(cpus(2, TotalCores=20)))
        self.assertEqual((['Compute-0'], ['Compute-2']),
                         (self.blocks_of(first), self.blocks_of(second)))

    def test_missing_requested_count_is_refused(self):
        answer = self.compose(processors({'ProcessorType': 'CPU'}), 400)
        self.assertEqual(
            (['Base.1.22.PropertyMissing'],
             ['#/Processors/Members/0/@Redfish.RequestedCount']),
            (self.message_ids(answer), self.related(answer)))

    def test_zero_requested_count_is_refused(self):
        self.compose(processors(cpus(0)), 400)

    def test_unknown_processor_type_is_refused(self):
        answer = self.compose(processors(
            {'@Redfish.RequestedCount': 1, 'ProcessorType': 'DSP'}), 400)
        self.assertEqual(['Base.1.22.PropertyValueNotInList'],
                         self.message_ids(answer))

    def test_unknown_requirement_property_is_refused(self):
        answer = self.compose(processors(cpus(1, Colour='red')), 400)
        self.assertEqual(['#/Processors/Members/0/Colour'],
                         self.related(answer))

    def test_zone_affinity_keeps_the_composition_in_that_zone(self):
        self.pod = self.make_pod(systems=16, devices=32)
        body = dict(processors(cpus(1)), **OVER)
        body['@Redfish.ZoneAffinity'] = '2'
        answer = self.compose(body)
        block = self.ok('GET', self.uri(self.blocks_of(answer)[0]))
        self.assertEqual(test_dmtf.ZONES + '/2',
                         block['Links']['Zones'][0]['@odata.id'])

    def test_unknown_zone_affinity_is_refused(self):
        answer = self.compose(dict(processors(cpus(1)),
                                   **{'@Redfish.ZoneAffinity': '7'}), 400)
        self.assertEqual(['#/@Redfish.ZoneAffinity'], self.related(answer))
