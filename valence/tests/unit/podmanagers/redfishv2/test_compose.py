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

"""The composition requests the redfishv2 driver writes."""

from oslotest import base as test_base

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import compose
from valence.tests.unit.podmanagers.redfishv2 import fakes

ROOT = '/redfish/v1/'
COMPOSITION = '/redfish/v1/CompositionService'
ZONE = COMPOSITION + '/ResourceZones/7'


def service(overprovisioning=True, zone_affinity=True):
    return fakes.make_service({
        ROOT: {'CompositionService': fakes.ref(COMPOSITION)},
        COMPOSITION: {'AllowOverprovisioning': overprovisioning,
                      'AllowZoneAffinity': zone_affinity},
        ZONE: {'@odata.id': ZONE, 'Id': '7'}})


class TestSystemRequest(test_base.BaseTestCase):

    def test_picked_blocks_make_a_specific_request(self):
        body, _ = compose.system_request(service(), base.ComposeRequest(
            name='n', resource_uris=['/b/1', '/b/2']))
        self.assertEqual({'Name': 'n', 'Links': {'ResourceBlocks': [
            {'@odata.id': '/b/1'}, {'@odata.id': '/b/2'}]}}, body)

    def test_requirements_make_a_constrained_request(self):
        body, _ = compose.system_request(service(), base.ComposeRequest(
            name='n', zone_uri=ZONE,
            processor=base.ProcessorRequirement(cores=16, arch='x86_64'),
            remote_drives=[base.DriveRequirement(capacity_gib=100,
                                                 type='NVMe')],
            nics=[base.NicRequirement(speed_mbps=25000, count=2)]))
        self.assertEqual({
            'Name': 'n',
            '@Redfish.AllowOverprovisioning': True,
            '@Redfish.ZoneAffinity': '7',
            'Processors': {'Members': [{
                '@Redfish.RequestedCount': 1, 'ProcessorType': 'CPU',
                'TotalCores': 16, 'InstructionSet': 'x86-64'}]},
            'Storage': {'Members': [{'Drives': [{
                '@Redfish.RequestedCount': 1,
                'CapacityBytes': 100 * 1024 ** 3, 'Protocol': 'NVMe'}]}]},
            'EthernetInterfaces': {'Members': [{
                '@Redfish.RequestedCount': 2, 'SpeedMbps': 25000}]},
        }, body)

    def test_annotations_the_service_refuses_are_left_out(self):
        body, _ = compose.system_request(
            service(overprovisioning=False, zone_affinity=False),
            base.ComposeRequest(name='n', zone_uri=ZONE))
        self.assertEqual(['Name', 'Processors'], sorted(body))


class TestExplain(test_base.BaseTestCase):

    def test_pointer_into_a_manifest_names_the_requirement(self):
        _, described = compose.system_request(service(), base.ComposeRequest(
            name='n', processor=base.ProcessorRequirement(cores=64)))
        refusal = exception.PodRequestRefused(
            reason='No free resource block fits.', related=[
                '#/Manifest/Stanzas/0/Request/Processors/Members/0'])
        self.assertEqual('No free resource block fits. (unmet: a processor '
                         'with at least 64 cores)',
                         compose._explain(refusal, described))
