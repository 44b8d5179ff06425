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

"""Choosing the server and devices of a composition."""

import testtools

from valence.podmanagers import base
from valence.podmanagers.expether import matching


def device(n, kind=base.GPU, model='NVIDIA Tesla V100', vendor='NVIDIA'):
    return base.Device(uri='devices/0x%d' % n, name='0x%d' % n, type=kind,
                       model=model, vendor=vendor,
                       properties={'pcie_vendor_id': '0x10de'})


def gpus(count, **kwargs):
    return base.DeviceRequirement(type=base.GPU, count=count, **kwargs)


class TestPickDevices(testtools.TestCase):

    def test_free_devices_are_taken_in_order(self):
        free = [device(1), device(2), device(3)]
        self.assertEqual(free[:2], matching.pick_devices([gpus(2)], [],
                                                         free))

    def test_devices_of_another_type_are_skipped(self):
        free = [device(1, kind=base.NIC), device(2)]
        self.assertEqual([free[1]],
                         matching.pick_devices([gpus(1)], [], free))

    def test_named_devices_are_used_first(self):
        named = [device(9)]
        chosen = matching.pick_devices([gpus(2)], named, [device(1)])
        self.assertEqual(['devices/0x9', 'devices/0x1'],
                         [d.uri for d in chosen])

    def test_named_device_is_not_taken_twice_from_the_free_list(self):
        named = [device(1)]
        chosen = matching.pick_devices([gpus(2)], named,
                                       [device(1), device(2)])
        self.assertEqual(['devices/0x1', 'devices/0x2'],
                         [d.uri for d in chosen])

    def test_not_enough_devices_says_how_many_are_free(self):
        error = self.assertRaises(matching.NoFit, matching.pick_devices,
                                  [gpus(3)], [], [device(1)])
        self.assertEqual('not enough free GPU: 3 wanted, 1 free',
                         str(error))

    def test_named_device_that_fits_nothing_is_refused(self):
        named = [device(1, kind=base.NIC)]
        error = self.assertRaises(matching.NoFit, matching.pick_devices,
                                  [gpus(1)], named, [device(2)])
        self.assertIn('devices/0x1 named for the node fits no requested',
                      str(error))

    def test_model_matches_as_a_substring(self):
        self.assertTrue(matching.fits(device(1), gpus(1, model='v100')))

    def test_other_model_does_not_fit(self):
        self.assertFalse(matching.fits(device(1), gpus(1, model='A100')))

    def test_vendor_matches_by_name(self):
        self.assertTrue(matching.fits(device(1), gpus(1, vendor='nvidia')))

    def test_vendor_matches_by_pci_id(self):
        self.assertTrue(matching.fits(device(1), gpus(1, vendor='0x10DE')))

    def test_other_vendor_does_not_fit(self):
        self.assertFalse(matching.fits(device(1), gpus(1, vendor='AMD')))


class TestHostRequirements(testtools.TestCase):

    def request(self, cores=None, memory=None):
        return base.ComposeRequest(
            name='n', processor=base.ProcessorRequirement(cores=cores),
            memory=base.MemoryRequirement(capacity_mib=memory))

    def test_unreported_cores_and_memory_are_ignored(self):
        system = base.System(uri='devices/0x1', name='0x1')
        self.assertEqual([], matching.unmet_host_requirements(
            system, self.request(cores=64, memory=1 << 20)))

    def test_reported_cores_below_the_request_are_unmet(self):
        system = base.System(uri='devices/0x1', name='0x1', cores=8)
        self.assertEqual(['16 cores (it has 8)'],
                         matching.unmet_host_requirements(
                             system, self.request(cores=16)))

    def test_reported_memory_below_the_request_is_unmet(self):
        system = base.System(uri='devices/0x1', name='0x1', memory_mib=1024)
        self.assertEqual(['2048 MiB of memory (it has 1024)'],
                         matching.unmet_host_requirements(
                             system, self.request(memory=2048)))

    def test_reported_properties_that_suffice_are_met(self):
        system = base.System(uri='devices/0x1', name='0x1', cores=32,
                             memory_mib=4096)
        self.assertEqual([], matching.unmet_host_requirements(
            system, self.request(cores=16, memory=2048)))
