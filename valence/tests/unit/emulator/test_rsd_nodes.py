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

import threading

from valence.emulator import rsd_nodes
from valence.tests.unit.emulator import base

ROOT = '/redfish/v1'
NODES = ROOT + '/Nodes'
ALLOCATE = NODES + '/Actions/Allocate'


class NodesTestCase(base.PodTestCase):
    personality = 'rsd'
    systems = 6
    devices = 60

    def allocate(self, body=None, status=201):
        answer = self.call('POST', ALLOCATE, body or {'Name': 'n'})
        self.assertEqual(status, answer.status, answer.body)
        return answer

    def node(self, body=None):
        return self.allocate(body).headers['Location']

    def assembled(self, body=None):
        uri = self.node(body)
        self.ok('POST', uri + '/Actions/ComposedNode.Assemble', status=204)
        self.pod.personality.nodes.clock = lambda: float('inf')
        return uri

    def free_endpoint(self, kind):
        inventory = self.pod.personality.inventory
        device = next(inventory.free_of_kind((kind,)))
        return inventory.endpoint_uri(device)


class TestAllocate(NodesTestCase):

    def test_allocate_answers_201_with_location(self):
        answer = self.allocate()
        self.assertEqual(NODES + '/1', answer.headers['Location'])

    def test_new_node_is_allocated_and_off(self):
        node = self.ok('GET', self.node())
        self.assertEqual(('Allocated', 'Off'),
                         (node['ComposedNodeState'], node['PowerState']))

    def test_node_takes_a_system(self):
        uri = self.node()
        system = self.ok('GET', uri)['Links']['ComputerSystem']['@odata.id']
        self.assertEqual(uri, self.pod.personality.allocations()[system])

    def test_processor_requirement_is_honoured(self):
        node = self.ok('GET', self.node({'Processors': [{'TotalCores': 20}]}))
        cpu = self.ok('GET', node['Links']['Processors'][0]['@odata.id'])
        self.assertGreaterEqual(cpu['TotalCores'], 20)

    def test_memory_requirement_is_honoured(self):
        node = self.ok('GET', self.node({'Memory': [{'CapacityMiB': 262144}]}))
        self.assertGreaterEqual(node['Memory']['TotalSystemMemoryGiB'], 256)

    def test_local_drive_requirement_takes_a_big_enough_drive(self):
        node = self.ok('GET', self.node(
            {'LocalDrives': [{'CapacityGiB': 1500}]}))
        drive = self.ok('GET', node['Links']['LocalDrives'][0]['@odata.id'])
        self.assertGreaterEqual(drive['CapacityBytes'], 1500 * 2 ** 30)

    def test_remote_drive_requirement_takes_a_volume(self):
        node = self.ok('GET', self.node(
            {'RemoteDrives': [{'CapacityGiB': 50}]}))
        self.assertIn('/Volumes/',
                      node['Links']['RemoteDrives'][0]['@odata.id'])

    def test_unmet_requirement_is_named_in_extended_info(self):
        answer = self.allocate({'Processors': [{'TotalCores': 999}]},
                               status=409)
        info = answer.json()['error']['@Message.ExtendedInfo'][0]
        self.assertEqual(['#/Processors/0/TotalCores'],
                         info['RelatedProperties'])

    def test_unmet_requirement_takes_nothing(self):
        self.allocate({'LocalDrives': [{'CapacityGiB': 10 ** 6}]},
                      status=409)
        self.assertEqual({}, self.pod.personality.allocations())

    def test_no_free_system_left_is_a_409(self):
        for _ in range(6):
            self.allocate()
        self.allocate(status=409)

    def test_unknown_property_is_a_400(self):
        answer = self.allocate({'Processor': []}, status=400)
        self.assertEqual('Base.1.22.PropertyUnknown',
                         answer.json()['error']['code'])

    def test_wrongly_typed_value_is_a_400(self):
        self.allocate({'Processors': [{'TotalCores': 'many'}]}, status=400)

    def test_allocate_failure_point_fails_with_500(self):
        self.pod.faults.update({'fail': {'allocate': 1}})
        self.allocate(status=500)

    def test_concurrent_allocations_never_share_a_system(self):
        results = []

        def allocate():
            answer = self.call('POST', ALLOCATE, {'Name': 'x'})
            results.append(answer.status)

        threads = [threading.Thread(target=allocate) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        nodes = self.ok('GET', NODES, query={'$expand': '.'})['Members']
        systems = {n['Links']['ComputerSystem']['@odata.id'] for n in nodes}
        self.assertEqual(6, len(systems))
        self.assertEqual(6, results.count(201))
        self.assertEqual(14, results.count(409))


class TestAssembleAndPower(NodesTestCase):

    def test_assemble_moves_through_assembling(self):
        uri = self.node()
        self.ok('POST', uri + '/Actions/ComposedNode.Assemble', status=204)
        self.assertEqual('Assembling',
                         self.ok('GET', uri)['ComposedNodeState'])

    def test_assembly_completes(self):
        uri = self.assembled()
        self.assertEqual('Assembled', self.ok('GET', uri)['ComposedNodeState'])

    def test_assemble_twice_is_a_409(self):
        uri = self.assembled()
        answer = self.call('POST', uri + '/Actions/ComposedNode.Assemble')
        self.assertEqual(409, answer.status)

    def test_assemble_failure_point_leaves_the_node_failed(self):
        uri = self.node()
        self.pod.faults.update({'fail': {'assemble': True}})
        answer = self.call('POST', uri + '/Actions/ComposedNode.Assemble')
        self.assertEqual(500, answer.status)
        self.assertEqual('Failed', self.ok('GET', uri)['ComposedNodeState'])

    def test_reset_on_powers_on(self):
        uri = self.assembled()
        self.ok('POST', uri + '/Actions/ComposedNode.Reset',
                {'ResetType': 'On'}, status=204)
        self.assertEqual('On', self.ok('GET', uri)['PowerState'])

    def test_reset_lists_its_allowable_values(self):
        action = self.ok('GET', self.node())['Actions'][
            '#ComposedNode.Reset']
        self.assertEqual(list(rsd_nodes.RESET_TYPES),
                         action['ResetType@Redfish.AllowableValues'])

    def test_reset_type_outside_the_list_is_a_400(self):
        uri = self.assembled()
        answer = self.call('POST', uri + '/Actions/ComposedNode.Reset',
                           {'ResetType': 'Explode'})
        self.assertEqual('Base.1.22.ActionParameterValueNotInList',
                         answer.json()['error']['code'])

    def test_reset_before_assembly_is_a_409(self):
        answer = self.call('POST', self.node() +
                           '/Actions/ComposedNode.Reset',
                           {'ResetType': 'On'})
        self.assertEqual(409, answer.status)

    def test_boot_override_is_patched(self):
        uri = self.node()
        node = self.ok('PATCH', uri, {'Boot': {
            'BootSourceOverrideEnabled': 'Once',
            'BootSourceOverrideTarget': 'Pxe'}})
        self.assertEqual(('Once', 'Pxe'),
                         (node['Boot']['BootSourceOverrideEnabled'],
                          node['Boot']['BootSourceOverrideTarget']))

    def test_boot_target_outside_the_list_is_a_400(self):
        answer = self.call('PATCH', self.node(), {'Boot': {
            'BootSourceOverrideTarget': 'Floppy'}})
        self.assertEqual(400, answer.status)

    def test_patch_of_a_read_only_property_is_a_400(self):
        answer = self.call('PATCH', self.node(), {'PowerState': 'On'})
        self.assertEqual(400, answer.status)


class TestAttachDetach(NodesTestCase):

    def attach(self, uri, resource, action='AttachResource'):
        return self.call('POST', uri + '/Actions/ComposedNode.' + action,
                         {'Resource': {'@odata.id': resource}})

    def test_attach_resource_adds_the_device(self):
        uri = self.assembled()
        gpu = self.free_endpoint('gpu')
        self.assertEqual(204, self.attach(uri, gpu).status)
        self.assertEqual(1, len(self.ok('GET', uri)['Links']['Oem']
                                ['Intel_RackScale']['PCIeDevices']))

    def test_attach_endpoint_accepts_an_allowable_value(self):
        uri = self.assembled()
        allowed = self.ok('GET', uri)['Actions'][
            '#ComposedNode.AttachEndpoint'][
            'Resource@Redfish.AllowableValues']
        answer = self.attach(uri, allowed[0]['@odata.id'], 'AttachEndpoint')
        self.assertEqual(204, answer.status)

    def test_action_info_lists_attachable_resources(self):
        uri = self.assembled()
        info_uri = self.ok('GET', uri)['Actions'][
            '#ComposedNode.AttachResource']['@Redfish.ActionInfo']
        params = self.ok('GET', info_uri)['Parameters']
        self.assertIn(self.free_endpoint('nvme'),
                      params[0]['AllowableValues'])

    def test_device_of_another_node_is_refused(self):
        first, second = self.assembled(), self.assembled()
        gpu = self.free_endpoint('gpu')
        self.attach(first, gpu)
        answer = self.attach(second, gpu)
        self.assertEqual(409, answer.status)
        owner = self.pod.personality.allocations()
        self.assertEqual(first, [o for r, o in owner.items()
                                 if '/PCIeDevices/' in r][0])

    def test_unknown_resource_is_a_400(self):
        answer = self.attach(self.assembled(),
                             ROOT + '/Fabrics/PCIe/Endpoints/9999')
        self.assertEqual(400, answer.status)

    def test_detach_frees_the_device(self):
        uri = self.assembled()
        gpu = self.free_endpoint('gpu')
        self.attach(uri, gpu)
        self.assertEqual(204, self.attach(uri, gpu, 'DetachResource').status)
        self.assertNotIn(gpu.rsplit('/', 1)[-1], str(
            self.pod.personality.allocations()))

    def test_detach_of_a_device_not_attached_is_a_400(self):
        answer = self.attach(self.assembled(), self.free_endpoint('gpu'),
                             'DetachEndpoint')
        self.assertEqual(400, answer.status)

    def test_attach_failure_point_changes_nothing(self):
        uri = self.assembled()
        before = self.pod.personality.allocations()
        self.pod.faults.update({'fail': {'attach': 1}})
        self.assertEqual(500, self.attach(uri, self.free_endpoint('gpu'))
                         .status)
        self.assertEqual(before, self.pod.personality.allocations())

    def test_detach_failure_point_keeps_the_device(self):
        uri = self.assembled()
        gpu = self.free_endpoint('gpu')
        self.attach(uri, gpu)
        self.pod.faults.update({'fail': {'detach': 1}})
        self.assertEqual(500, self.attach(uri, gpu, 'DetachResource').status)
        self.assertEqual(2, len(self.pod.personality.allocations()))

    def test_vanish_rate_makes_the_device_vanish_at_attach(self):
        uri = self.assembled()
        gpu = self.free_endpoint('gpu')
        self.pod.faults.update({'vanish_rate': 1.0})
        self.assertEqual(400, self.attach(uri, gpu).status)
        self.assertEqual(404, self.call('GET', gpu).status)

    def test_zone_holds_the_attached_endpoints(self):
        uri = self.assembled()
        gpu = self.free_endpoint('gpu')
        self.attach(uri, gpu)
        zone = self.ok('GET', ROOT + '/Fabrics/PCIe/Zones/1')
        self.assertEqual([{'@odata.id': gpu}], zone['Links']['Endpoints'])


class TestDelete(NodesTestCase):

    def test_delete_frees_everything(self):
        uri = self.assembled({'LocalDrives': [{'CapacityGiB': 10}],
                              'RemoteDrives': [{'CapacityGiB': 10}]})
        self.attach_gpu(uri)
        self.ok('DELETE', uri, status=204)
        self.assertEqual({}, self.pod.personality.allocations())

    def attach_gpu(self, uri):
        inventory = self.pod.personality.inventory
        gpu = inventory.endpoint_uri(next(inventory.free_of_kind(('gpu',))))
        self.ok('POST', uri + '/Actions/ComposedNode.AttachResource',
                {'Resource': {'@odata.id': gpu}}, status=204)

    def test_deleted_node_is_gone(self):
        uri = self.node()
        self.ok('DELETE', uri, status=204)
        self.assertEqual(404, self.call('GET', uri).status)

    def test_freed_system_can_be_allocated_again(self):
        uris = [self.node() for _ in range(6)]
        self.ok('DELETE', uris[2], status=204)
        self.allocate()

    def test_state_round_trip_keeps_the_nodes(self):
        uri = self.assembled({'LocalDrives': [{'CapacityGiB': 10}]})
        dumped = self.pod.personality.dump_state()
        other = self.make_pod()
        other.personality.load_state(dumped)
        self.assertEqual(self.pod.personality.allocations(),
                         other.personality.allocations())
        self.assertEqual('Assembled', self.ok('GET', uri, pod=other)
                         ['ComposedNodeState'])
