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

"""Resource blocks into records, for shapes the emulator does not serve.

The documents follow DMTF's DSP2046 examples and public mockups: blocks
with a Compute and a Network part, drives reached through Storage, SATA
SSDs, blocks without CompositionStatus, contents already expanded.
"""

from oslotest import base as test_base

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import blocks
from valence.tests.unit.podmanagers.redfishv2 import fakes

B = '/redfish/v1/CompositionService/ResourceBlocks/'


def block(name, types, state='Unused', reserved=False, systems=(),
          **contents):
    doc = {'@odata.id': B + name, 'Id': name, 'Name': name,
           'ResourceBlockType': types,
           'Status': {'State': 'Enabled', 'Health': 'OK'},
           'CompositionStatus': {'CompositionState': state,
                                 'Reserved': reserved},
           'Links': {'ComputerSystems': [fakes.ref(s) for s in systems],
                     'Zones': [fakes.ref('/redfish/v1/CompositionService/'
                                         'ResourceZones/1')]}}
    doc.update(contents)
    return doc


def processor(uri, kind, model='M', maker='V', cores=4):
    return {'@odata.id': uri, 'Id': uri.rsplit('/', 1)[1],
            'ProcessorType': kind, 'Model': model, 'Manufacturer': maker,
            'TotalCores': cores, 'InstructionSet': 'ARM-A64'}


def drive(uri, media='SSD', protocol='SATA', capacity=480 * 1024 ** 3):
    return {'@odata.id': uri, 'Id': uri.rsplit('/', 1)[1], 'Name': 'disk',
            'MediaType': media, 'Protocol': protocol,
            'CapacityBytes': capacity, 'Model': 'D', 'Manufacturer': 'W'}


class TestState(test_base.BaseTestCase):

    def test_composed_block_is_allocated_to_its_system(self):
        found = blocks.Block(block('c', ['Compute'], 'Composed',
                                   systems=['/redfish/v1/Systems/S1']))
        self.assertEqual((base.ALLOCATED, '/redfish/v1/Systems/S1'),
                         (found.state, found.node_uri))

    def test_reserved_block_is_unavailable(self):
        found = blocks.Block(block('c', ['Compute'], reserved=True))
        self.assertEqual(base.UNAVAILABLE, found.state)

    def test_absent_block_is_unavailable(self):
        doc = block('c', ['Compute'])
        doc['Status']['State'] = 'Absent'
        self.assertEqual(base.UNAVAILABLE, blocks.Block(doc).state)

    def test_block_without_composition_status_is_free_unless_linked(self):
        doc = block('n', ['Network'])
        del doc['CompositionStatus']
        self.assertEqual(base.FREE, blocks.Block(doc).state)

    def test_block_type_that_is_not_a_list_names_the_property(self):
        error = self.assertRaises(exception.PodManagerError, blocks.Block,
                                  block('g', 'Processor'))
        self.assertIn('ResourceBlockType', str(error))


class TestRecords(test_base.BaseTestCase):

    def read(self, doc, docs=None):
        service = fakes.make_service(docs or {})
        found = blocks.read_contents(service, [doc])
        return found[0], service.client.gets

    def test_expanded_contents_are_not_read_again(self):
        doc = block('c', ['Compute', 'Network'], Processors=[
            processor(B + 'c/Processors/0', 'CPU', cores=64)])
        found, gets = self.read(doc)
        self.assertEqual(([], 64, 'aarch64'),
                         (gets, blocks.system_record(found).cores,
                          blocks.system_record(found).arch))

    def test_drives_are_found_through_storage(self):
        storage = B + 's/Storage/1'
        doc = block('s', ['Storage'], Storage=[fakes.ref(storage)])
        found, _ = self.read(doc, {
            storage: {'@odata.id': storage, 'Id': '1',
                      'Drives': [fakes.ref(B + 's/Drives/0')]},
            B + 's/Drives/0': drive(B + 's/Drives/0')})
        self.assertEqual([B + 's/Drives/0'],
                         [s.uri for s in blocks.storage_records(found)])

    def test_sata_ssd_block_is_an_ssd(self):
        found, _ = self.read(block('s', ['Storage'], Drives=[
            drive(B + 's/Drives/0')]))
        self.assertEqual((base.SSD, 480),
                         (blocks.device_record(found).type,
                          blocks.device_record(found).properties[
                              'capacity_gib']))

    def test_expansion_tray_is_wanted_for_its_fpga(self):
        found, _ = self.read(block(
            'e', ['Expansion'],
            Processors=[processor(B + 'e/Processors/0', 'FPGA', 'U250')],
            Drives=[drive(B + 'e/Drives/0', protocol='NVMe')]))
        record = blocks.device_record(found)
        self.assertEqual((base.FPGA, 'U250'), (record.type, record.model))

    def test_block_holding_nothing_known_is_other(self):
        found, _ = self.read(block('m', ['Memory']))
        self.assertEqual(base.OTHER, blocks.device_record(found).type)

    def test_block_gone_while_its_contents_are_read_is_left_out(self):
        doc = block('g', ['Processor'],
                    Processors=[fakes.ref(B + 'g/Processors/0')])
        service = fakes.make_service({})
        self.assertEqual([], blocks.read_contents(service, [doc]))

    def test_block_still_there_keeps_what_could_be_read(self):
        doc = block('g', ['Processor'],
                    Processors=[fakes.ref(B + 'g/Processors/0')])
        service = fakes.make_service({B + 'g': doc})
        found = blocks.read_contents(service, [doc])
        self.assertEqual([(B + 'g', base.OTHER)],
                         [(b.uri, blocks.device_record(b).type)
                          for b in found])
