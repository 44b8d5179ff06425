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

from valence.conductor import requirements
from valence.podmanagers import base as driver_base
from valence.tests import base

FULL = {
    'processor': {'model': 'Intel Xeon', 'total_cores': 16,
                  'arch': 'x86_64'},
    'memory': {'capacity_mib': 65536, 'type': 'DDR4'},
    'local_drives': [{'capacity_gib': 480, 'type': 'SSD', 'count': 2},
                     {'type': 'HDD'}],
    'remote_drives': [{'capacity_gib': 1024,
                       'protocol': 'NVMeOverFabrics'}],
    'nics': [{'speed_mbps': 25000, 'count': 2}],
    'devices': [{'type': 'GPU', 'vendor': 'NVIDIA', 'model': 'Tesla V100',
                 'count': 2}],
}


class TestComposeRequest(base.TestCase):

    def test_every_section_becomes_its_requirement(self):
        request = requirements.compose_request('node-1', 'web', FULL)
        self.assertEqual(driver_base.ComposeRequest(
            name='node-1', description='web',
            processor=driver_base.ProcessorRequirement(
                model='Intel Xeon', cores=16, arch='x86_64'),
            memory=driver_base.MemoryRequirement(capacity_mib=65536,
                                                 type='DDR4'),
            local_drives=[
                driver_base.DriveRequirement(capacity_gib=480, type='SSD',
                                             count=2),
                driver_base.DriveRequirement(type='HDD', count=1)],
            remote_drives=[driver_base.DriveRequirement(
                capacity_gib=1024, protocol='NVMeOverFabrics', count=1)],
            nics=[driver_base.NicRequirement(speed_mbps=25000, count=2)],
            devices=[driver_base.DeviceRequirement(
                type='GPU', vendor='NVIDIA', model='Tesla V100', count=2)],
        ), request)

    def test_no_properties_ask_for_anything(self):
        for properties in ({}, None):
            request = requirements.compose_request('n', None, properties)
            self.assertEqual(driver_base.ComposeRequest(name='n'), request)

    def test_empty_sections_ask_for_anything(self):
        request = requirements.compose_request(
            'n', None, {'processor': {}, 'memory': {}, 'nics': []})
        self.assertIsNone(request.processor)
        self.assertIsNone(request.memory)
        self.assertEqual([], request.nics)

    def test_original_body_keeps_its_meaning(self):
        request = requirements.compose_request('n', None, {
            'processor': {'model': 'Xeon', 'total_cores': 4},
            'memory': {'capacity_mib': 8192, 'type': 'DDR4'}})
        self.assertEqual(driver_base.ProcessorRequirement(model='Xeon',
                                                          cores=4),
                         request.processor)
        self.assertEqual(driver_base.MemoryRequirement(capacity_mib=8192,
                                                       type='DDR4'),
                         request.memory)

    def test_pci_device_types_are_one_device_each(self):
        request = requirements.compose_request('n', None, {
            'devices': [{'type': 'NVMe', 'count': 3}],
            'pci_device': {'type': ['GPU', 'GPU', 'NIC']}})
        self.assertEqual([driver_base.DeviceRequirement(type='NVMe', count=3),
                          driver_base.DeviceRequirement(type='GPU'),
                          driver_base.DeviceRequirement(type='GPU'),
                          driver_base.DeviceRequirement(type='NIC')],
                         request.devices)

    def test_properties_are_not_changed(self):
        properties = {'pci_device': {'type': ['GPU']}, 'devices': []}
        requirements.compose_request('n', None, properties)
        self.assertEqual({'pci_device': {'type': ['GPU']}, 'devices': []},
                         properties)


class TestDescribe(base.TestCase):

    def test_describes_every_requirement(self):
        self.assertEqual(
            '16 cores Intel Xeon x86_64, 65536 MiB DDR4 memory, '
            '2 x 480 GiB SSD local drive, HDD local drive, '
            '1024 GiB NVMeOverFabrics remote drive, 2 x 25000 Mb/s NIC, '
            '2 x GPU NVIDIA Tesla V100',
            requirements.describe(FULL))

    def test_describes_original_properties(self):
        self.assertEqual(
            '4 cores, 8192 MiB memory, GPU, NIC',
            requirements.describe({
                'processor': {'total_cores': 4},
                'memory': {'capacity_mib': 8192},
                'pci_device': {'type': ['GPU', 'NIC']}}))

    def test_nothing_asked_is_any_node(self):
        self.assertEqual('any node', requirements.describe({}))
        self.assertEqual('any node', requirements.describe(None))
