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

from valence.emulator import rsd_inventory
from valence.tests.unit.emulator import base

ROOT = '/redfish/v1'


class RSDTestCase(base.PodTestCase):
    personality = 'rsd'
    systems = 12
    devices = 80


class TestInventory(RSDTestCase):

    def test_root_links_nodes_under_the_rsd_oem(self):
        root = self.ok('GET', ROOT + '/', auth=False)
        self.assertEqual(ROOT + '/Nodes',
                         root['Oem']['Intel_RackScale']['Nodes']['@odata.id'])

    def test_root_advertises_expand(self):
        root = self.ok('GET', ROOT, auth=False)
        self.assertTrue(root['ProtocolFeaturesSupported']['ExpandQuery']
                        ['NoLinks'])

    def test_systems_are_listed(self):
        doc = self.ok('GET', ROOT + '/Systems')
        self.assertEqual(12, doc['Members@odata.count'])

    def test_system_summarises_its_processors(self):
        system = self.ok('GET', ROOT + '/Systems/3')
        cpus = self.ok('GET', ROOT + '/Systems/3/Processors', query={
            '$expand': '.'})['Members']
        self.assertEqual(system['ProcessorSummary']['Count'], len(cpus))
        self.assertEqual(system['ProcessorSummary']['Model'],
                         cpus[0]['Model'])

    def test_memory_adds_up_to_the_summary(self):
        system = self.ok('GET', ROOT + '/Systems/3')
        dimms = self.ok('GET', ROOT + '/Systems/3/Memory',
                        query={'$expand': '.'})['Members']
        self.assertEqual(system['MemorySummary']['TotalSystemMemoryGiB'],
                         sum(d['CapacityMiB'] for d in dimms) // 1024)

    def test_mac_addresses_differ_between_systems(self):
        macs = {self.ok('GET', ROOT + '/Systems/%d/EthernetInterfaces/1'
                        % n)['MACAddress'] for n in range(1, 13)}
        self.assertEqual(12, len(macs))

    def test_non_canonical_system_id_is_a_404(self):
        self.assertEqual(404, self.call('GET', ROOT + '/Systems/01').status)

    def test_sled_chassis_holds_its_system(self):
        sled = self.ok('GET', ROOT + '/Chassis/sled5')
        self.assertEqual([{'@odata.id': ROOT + '/Systems/5'}],
                         sled['Links']['ComputerSystems'])

    def test_chassis_tree_goes_pod_rack_drawer_sled(self):
        drawer = self.ok('GET', ROOT + '/Chassis/sled5')['Links'][
            'ContainedBy']['@odata.id']
        rack = self.ok('GET', drawer)['Links']['ContainedBy']['@odata.id']
        pod = self.ok('GET', rack)['Links']['ContainedBy']['@odata.id']
        self.assertEqual('Pod', self.ok('GET', pod)['ChassisType'])

    def test_every_pcie_endpoint_names_its_device(self):
        endpoints = self.ok('GET', ROOT + '/Fabrics/PCIe/Endpoints',
                            query={'$expand': '.'})['Members']
        for endpoint in endpoints:
            entity = endpoint['ConnectedEntities'][0]['EntityLink']
            self.assertEqual(200, self.call('GET', entity['@odata.id'])
                             .status)

    def test_pooled_devices_of_every_kind_are_generated(self):
        kinds = {d.kind for d in self.pod.personality.inventory.devices[1:]}
        self.assertEqual(set(rsd_inventory.DEVICE_KINDS), kinds)

    def test_volumes_have_nvme_of_endpoints(self):
        volume = self.ok('GET', ROOT + '/Storage/NVMeoE1/Volumes',
                         query={'$expand': '.', '$top': '1'})['Members'][0]
        endpoint = self.ok('GET', ROOT + '/Fabrics/NVMeoE/Endpoints/'
                           + volume['Id'])
        self.assertEqual('NVMeOverFabrics', endpoint['EndpointProtocol'])

    def test_same_seed_gives_same_documents(self):
        other = self.make_pod()
        self.assertEqual(self.call('GET', ROOT + '/Systems/7').body,
                         self.call('GET', ROOT + '/Systems/7',
                                   pod=other).body)

    def test_other_seed_gives_other_systems(self):
        other = self.make_pod(seed=2)
        bodies = [self.call('GET', ROOT + '/Systems/7', pod=p).body
                  for p in (self.pod, other)]
        self.assertNotEqual(*bodies)

    def test_hundred_thousand_resources_build(self):
        pod = self.make_pod(systems=10000, devices=90000)
        doc = self.ok('GET', ROOT + '/Fabrics/PCIe/Endpoints', pod=pod,
                      query={'$skip': '60000', '$top': '2'})
        self.assertEqual(2, len(doc['Members']))
        self.assertEqual(200, self.call('GET', ROOT + '/Systems/10000',
                                        pod=pod).status)

    def test_metadata_is_xml(self):
        answer = self.call('GET', ROOT + '/$metadata', auth=False)
        self.assertTrue(answer.body.startswith(b'<?xml'))
