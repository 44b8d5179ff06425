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

"""How the RSD driver reads and writes documents, without a pod.

The functional tests drive the emulator, which speaks RSD 2.4; these feed
the parsing code the shapes of older pods (RSD 2.1 Remote Storage
Services, top-level Nodes, zones with host endpoints, ActionInfo with
object values).
"""

from oslotest import base as test_base
from sushy import exceptions as sushy_exc

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers import redfish
from valence.podmanagers.redfishv1 import attach
from valence.podmanagers.redfishv1 import compose
from valence.podmanagers.redfishv1 import endpoints
from valence.podmanagers.redfishv1 import inventory
from valence.podmanagers.redfishv1 import nodes
from valence.podmanagers.redfishv1 import resources

R = '/redfish/v1'


def ref(uri):
    return {'@odata.id': uri}


class FakeClient:
    """Serves documents from a dict, as resources.Client does from a pod."""

    def __init__(self, docs, root=None):
        self.docs = docs
        self.root = root or docs.get(R + '/', {})
        self.posts = []
        self.gets = []

    def get(self, uri):
        self.gets.append(uri)
        if uri not in self.docs:
            raise exception.PodResourceNotFound(uri=uri)
        return dict(self.docs[uri], **{'@odata.id': uri})

    def get_or_none(self, uri):
        return self.get(uri) if uri in self.docs else None

    def members(self, uri):
        return [self.get(m['@odata.id'])
                for m in self.get(uri).get('Members', [])]

    def members_if_any(self, uri):
        return self.members(uri) if uri in self.docs else []

    def member_uris(self, uri):
        return [m['@odata.id'] for m in self.docs[uri]['Members']]

    def parallel(self, function, items):
        return [function(i) for i in items]

    def post(self, uri, body=None):
        self.posts.append((uri, body))


def collection(*uris):
    return {'Members': [ref(u) for u in uris]}


class FakeResponse:

    def __init__(self, status, body):
        self.status_code = status
        self._body = body

    def json(self):
        return self._body


def http_error(status, message_id='GeneralError', args=(), message='no'):
    body = {'error': {'code': 'Base.1.0.' + message_id, 'message': message,
                      '@Message.ExtendedInfo': [{
                          'MessageId': 'Base.1.0.' + message_id,
                          'Message': message,
                          'MessageArgs': list(args)}]}}
    try:
        sushy_exc.raise_for_response('POST', 'http://pod/x',
                                     FakeResponse(status, body))
    except sushy_exc.HTTPError as e:
        return e


CONNECTION = base.PodConnection('http://pod', 'admin', 'secret')


class TestErrors(test_base.BaseTestCase):

    def test_404_is_resource_not_found(self):
        error = redfish.pod_error(http_error(404), CONNECTION, '/x')
        self.assertIsInstance(error, exception.PodResourceNotFound)

    def test_missing_uri_in_body_names_that_uri(self):
        error = redfish.pod_error(
            http_error(400, 'ResourceMissingAtURI', ['/gpu/1']),
            CONNECTION, '/node/Actions/Attach')
        self.assertIsInstance(error, exception.PodResourceNotFound)
        self.assertIn('/gpu/1', str(error))

    def test_conflict_is_refused_with_the_pods_message(self):
        error = redfish.pod_error(
            http_error(409, 'ResourceInUse', message='in use by node 2'),
            CONNECTION, '/x')
        self.assertIsInstance(error, exception.PodRequestRefused)
        self.assertIn('in use by node 2', str(error))

    def test_server_error_is_a_pod_manager_error(self):
        error = redfish.pod_error(http_error(500), CONNECTION, '/x')
        self.assertIs(exception.PodManagerError, type(error))

    def test_refused_credentials_do_not_show_the_password(self):
        error = redfish.pod_error(http_error(401), CONNECTION, '/x')
        self.assertNotIn('secret', str(error))


class TestAllocateBody(test_base.BaseTestCase):

    def test_empty_request_names_the_node_only(self):
        self.assertEqual({'Name': 'n'},
                         compose.allocate_body(base.ComposeRequest('n')))

    def test_numbers_stay_numbers(self):
        body = compose.allocate_body(base.ComposeRequest(
            'n', processor=base.ProcessorRequirement(cores=8),
            memory=base.MemoryRequirement(capacity_mib=8192)))
        self.assertEqual([{'TotalCores': 8}], body['Processors'])
        self.assertEqual([{'CapacityMiB': 8192}], body['Memory'])

    def test_architecture_becomes_an_instruction_set(self):
        body = compose.allocate_body(base.ComposeRequest(
            'n', processor=base.ProcessorRequirement(arch='x86_64')))
        self.assertEqual('x86-64', body['Processors'][0]['InstructionSet'])

    def test_nvme_drive_asks_for_an_nvme_interface(self):
        body = compose.allocate_body(base.ComposeRequest(
            'n', local_drives=[base.DriveRequirement(capacity_gib=100,
                                                     type='NVMe')]))
        self.assertEqual([{'CapacityGiB': 100, 'Type': 'SSD',
                           'Interface': 'NVMe'}], body['LocalDrives'])

    def test_counts_repeat_requirements(self):
        body = compose.allocate_body(base.ComposeRequest(
            'n', remote_drives=[base.DriveRequirement(
                capacity_gib=10, protocol='NVMeOverFabrics', count=2)],
            nics=[base.NicRequirement(speed_mbps=10000, count=3)]))
        self.assertEqual(2, len(body['RemoteDrives']))
        self.assertEqual([{'SpeedMbps': 10000}] * 3,
                         body['EthernetInterfaces'])

    def test_devices_are_not_allocated(self):
        body = compose.allocate_body(base.ComposeRequest(
            'n', devices=[base.DeviceRequirement(type=base.GPU)]))
        self.assertEqual({'Name': 'n'}, body)


class TestClassify(test_base.BaseTestCase):

    def endpoint(self, entity_type):
        return {'ConnectedEntities': [{'EntityType': entity_type,
                                       'EntityRole': 'Target'}]}

    def test_nvme_drive(self):
        self.assertEqual(base.NVME, endpoints.classify(
            self.endpoint('Drive'), {'Protocol': 'NVMe'}))

    def test_processor_type_tells_a_gpu(self):
        self.assertEqual(base.GPU, endpoints.classify(
            self.endpoint('Processor'), {'ProcessorType': 'GPU'}))

    def test_pcie_class_code_tells_an_fpga(self):
        self.assertEqual(base.FPGA, endpoints.classify(
            self.endpoint('Processor'), {'Name': 'Accelerator'},
            {'ClassCode': '0x120000'}))

    def test_name_tells_a_nic(self):
        self.assertEqual(base.NIC, endpoints.classify(
            {}, {'Name': 'NIC 3', 'Model': 'ConnectX-5'}))

    def test_unknown_device_is_other(self):
        self.assertEqual(base.OTHER, endpoints.classify(
            self.endpoint('Processor'), {'Name': 'Thing'}))


class TestServiceRoot(test_base.BaseTestCase):

    def test_nodes_at_the_top_of_rsd_2_1(self):
        self.assertEqual('/n', nodes.nodes_link({'Nodes': ref('/n')}))

    def test_nodes_in_the_oem_section_of_rsd_2_4(self):
        self.assertEqual('/n', nodes.nodes_link(
            {'Oem': {'Intel_RackScale': {'Nodes': ref('/n')}}}))

    def test_expand_without_links_when_offered(self):
        self.assertEqual('.($levels=1)', resources._expand_query(
            {'ProtocolFeaturesSupported': {'ExpandQuery': {
                'NoLinks': True, 'Levels': True}}}))

    def test_no_expand_when_not_offered(self):
        self.assertIsNone(resources._expand_query({}))


NODE = R + '/Nodes/Node1'
DRIVE = R + '/Chassis/PCIeSwitch1/Drives/Disk.Bay.1'
DRIVE_EP = R + '/Fabrics/PCIe/Endpoints/NVMeDrivePF1'


def rsd21_pod(**node_actions):
    """A small RSD 2.1 pod: top-level Nodes, Remote Storage Services."""
    node = {
        'Name': 'Composed Node', 'ComposedNodeState': 'Assembled',
        'PowerState': 'On',
        'Processors': {'Count': 1, 'Model': 'Xeon'},
        'Memory': {'TotalSystemMemoryGiB': 32},
        'Links': {'ComputerSystem': ref(R + '/Systems/System1'),
                  'Processors': [ref(R + '/Systems/System1/Processors/1')],
                  'LocalDrives': [],
                  'RemoteDrives': [ref(R + '/Services/RSS1/Targets/t1')],
                  'ManagedBy': [ref(R + '/Managers/PODM')]},
        'Actions': node_actions or {
            '#ComposedNode.AttachEndpoint': {
                'target': NODE + '/Actions/ComposedNode.AttachEndpoint',
                'Resource@Redfish.AllowableValues': [ref(DRIVE)]},
            '#ComposedNode.DetachEndpoint': {
                'target': NODE + '/Actions/ComposedNode.DetachEndpoint',
                'Resource@Redfish.AllowableValues': []}},
    }
    return {
        R + '/': {'Nodes': ref(R + '/Nodes'), 'Systems': ref(R + '/Systems'),
                  'Services': ref(R + '/Services'),
                  'Fabrics': ref(R + '/Fabrics'),
                  'Chassis': ref(R + '/Chassis')},
        R + '/Nodes': collection(NODE),
        NODE: node,
        R + '/Chassis': collection(R + '/Chassis/Rack1',
                                   R + '/Chassis/PCIeSwitch1'),
        R + '/Chassis/Rack1': {
            'Name': 'Rack', 'ChassisType': 'Rack',
            'Oem': {'Intel_RackScale': {'Location': {'Id': 'Rack1'}}},
            'Links': {'ComputerSystems': [ref(R + '/Systems/System1')]}},
        R + '/Chassis/PCIeSwitch1': {
            'Name': 'Switch', 'ChassisType': 'Enclosure',
            'Links': {'ContainedBy': ref(R + '/Chassis/Rack1')}},
        R + '/Systems': collection(R + '/Systems/System1'),
        R + '/Systems/System1': {
            'Name': 'System', 'PowerState': 'On',
            'MemorySummary': {'TotalSystemMemoryGiB': 32},
            'Processors': ref(R + '/Systems/System1/Processors')},
        R + '/Systems/System1/Processors': collection(
            R + '/Systems/System1/Processors/1'),
        R + '/Systems/System1/Processors/1': {
            'Model': 'Xeon', 'TotalCores': 8, 'InstructionSet': 'x86-64'},
        R + '/Services': collection(R + '/Services/RSS1'),
        R + '/Services/RSS1': {
            'Name': 'RSS', 'RemoteTargets': ref(R + '/Services/RSS1/Targets'),
            'LogicalDrives': ref(R + '/Services/RSS1/LogicalDrives')},
        R + '/Services/RSS1/Targets': collection(
            R + '/Services/RSS1/Targets/t1', R + '/Services/RSS1/Targets/t2'),
        R + '/Services/RSS1/Targets/t1': {'Name': 't1'},
        R + '/Services/RSS1/Targets/t2': {'Name': 't2'},
        R + '/Services/RSS1/LogicalDrives': collection(
            R + '/Services/RSS1/LogicalDrives/1'),
        R + '/Services/RSS1/LogicalDrives/1': {'Name': 'lv', 'CapacityGiB': 80,
                                               'Type': 'LVM'},
        R + '/Fabrics': collection(R + '/Fabrics/PCIe'),
        R + '/Fabrics/PCIe': {'FabricType': 'PCIe',
                              'Endpoints': ref(R + '/Fabrics/PCIe/Endpoints'),
                              'Zones': ref(R + '/Fabrics/PCIe/Zones')},
        R + '/Fabrics/PCIe/Endpoints': collection(
            DRIVE_EP, R + '/Fabrics/PCIe/Endpoints/Host1'),
        DRIVE_EP: {'EndpointProtocol': 'PCIe', 'ConnectedEntities': [{
            'EntityType': 'Drive', 'EntityRole': 'Target',
            'EntityLink': ref(DRIVE)}]},
        R + '/Fabrics/PCIe/Endpoints/Host1': {
            'EndpointProtocol': 'PCIe', 'ConnectedEntities': [{
                'EntityType': 'RootComplex', 'EntityRole': 'Initiator',
                'EntityLink': ref(R + '/Systems/System1')}]},
        R + '/Fabrics/PCIe/Zones': collection(R + '/Fabrics/PCIe/Zones/1'),
        R + '/Fabrics/PCIe/Zones/1': {'Links': {'Endpoints': [
            ref(R + '/Fabrics/PCIe/Endpoints/Host1'), ref(DRIVE_EP)]}},
        DRIVE: {'Name': 'NVMe', 'Protocol': 'NVMe', 'Manufacturer': 'Intel',
                'Model': 'P4800X', 'CapacityBytes': 400 * 2 ** 30,
                'Links': {'Chassis': [ref(R + '/Chassis/PCIeSwitch1')]}},
    }


class TestRSD21Inventory(test_base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.client = FakeClient(rsd21_pod())
        self.inventory = inventory.Reader(
            self.client, nodes.nodes_link(self.client.root)).read()

    def test_system_of_a_node_is_allocated_to_it(self):
        system = self.inventory.systems[0]
        self.assertEqual((base.ALLOCATED, NODE),
                         (system.state, system.node_uri))

    def test_system_has_its_cores_and_memory(self):
        system = self.inventory.systems[0]
        self.assertEqual((8, 32768, 'x86_64'),
                         (system.cores, system.memory_mib, system.arch))

    def test_system_sits_in_the_rack_listing_it(self):
        self.assertEqual(R + '/Chassis/Rack1',
                         self.inventory.systems[0].rack_uri)

    def test_remote_targets_are_volumes(self):
        targets = {s.uri: s for s in self.inventory.storages}
        self.assertEqual(NODE, targets[R + '/Services/RSS1/Targets/t1']
                         .node_uri)
        self.assertEqual(base.FREE, targets[R + '/Services/RSS1/Targets/t2']
                         .state)

    def test_logical_drive_capacity_in_gib(self):
        drives = [s for s in self.inventory.storages if s.name == 'lv']
        self.assertEqual(80, drives[0].capacity_gib)

    def test_zoned_drive_belongs_to_the_node_of_the_host(self):
        device = self.inventory.devices[0]
        self.assertEqual((DRIVE_EP, base.NVME, base.ALLOCATED, NODE),
                         (device.uri, device.type, device.state,
                          device.node_uri))

    def test_device_sits_in_the_rack_of_its_switch(self):
        self.assertEqual(R + '/Chassis/Rack1',
                         self.inventory.devices[0].rack_uri)

    def test_initiator_endpoints_are_not_devices(self):
        self.assertEqual(1, len(self.inventory.devices))

    def test_nothing_is_read_twice(self):
        self.assertEqual(len(self.client.gets), len(set(self.client.gets)))

    def test_rack_location_comes_from_the_oem_section(self):
        racks = {r.uri: r for r in self.inventory.racks}
        self.assertEqual('Rack1', racks[R + '/Chassis/Rack1'].location)

    def test_system_that_vanished_meanwhile_is_left_out(self):
        docs = rsd21_pod()
        del docs[R + '/Systems/System1/Processors']
        client = FakeClient(docs)
        client.get_or_none = lambda uri: None  # the system is gone too
        self.assertEqual([], inventory.Reader(client, R + '/Nodes').read()
                         .systems)

    def test_missing_part_of_a_present_system_raises(self):
        docs = rsd21_pod()
        del docs[R + '/Systems/System1/Processors']
        self.assertRaises(exception.PodResourceNotFound,
                          inventory.Reader(FakeClient(docs),
                                           R + '/Nodes').read)

    def test_device_that_vanished_meanwhile_is_left_out(self):
        docs = rsd21_pod()
        del docs[DRIVE]
        self.assertEqual([], inventory.Reader(FakeClient(docs),
                                              R + '/Nodes').read().devices)

    def test_wrong_types_raise_naming_the_document(self):
        docs = rsd21_pod()
        docs[R + '/Systems/System1/Processors/1']['TotalCores'] = 'eight'
        client = FakeClient(docs)
        error = self.assertRaises(
            exception.PodManagerError,
            inventory.Reader(client, R + '/Nodes').read)
        self.assertIn('TotalCores', str(error))


class TestAttach(test_base.BaseTestCase):

    def test_attach_names_the_device_as_the_pod_lists_it(self):
        client = FakeClient(rsd21_pod())
        index = endpoints.Index([endpoints.Entry(DRIVE_EP, DRIVE, 'PCIe')])
        attach.attach(client, client.get(NODE), DRIVE_EP, index)
        self.assertEqual(
            [(NODE + '/Actions/ComposedNode.AttachEndpoint',
              {'Resource': ref(DRIVE)})], client.posts)

    def test_attach_resource_reads_the_action_info(self):
        info = NODE + '/Actions/AttachResourceActionInfo'
        docs = rsd21_pod(**{'#ComposedNode.AttachResource': {
            'target': NODE + '/Actions/ComposedNode.AttachResource',
            '@Redfish.ActionInfo': info}})
        docs[info] = {'Parameters': [{'Name': 'Resource',
                                      'AllowableValues': [ref(DRIVE_EP)]}]}
        client = FakeClient(docs)
        self.assertEqual([DRIVE_EP], attach.attachable(
            client, client.get(NODE), endpoints.Index()))

    def test_node_without_attach_actions_refuses(self):
        client = FakeClient(rsd21_pod(**{'#ComposedNode.Reset': {
            'target': NODE + '/Actions/ComposedNode.Reset'}}))
        self.assertRaises(exception.PodRequestRefused, attach.attach,
                          client, client.get(NODE), DRIVE_EP,
                          endpoints.Index())

    def test_volume_needs_no_reboot(self):
        index = endpoints.Index([endpoints.Entry(
            '/ep/1', R + '/StorageServices/1/Volumes/1', 'NVMeOverFabrics')])
        self.assertFalse(attach.needs_reboot(
            index, R + '/StorageServices/1/Volumes/1'))


class TestNodeDescription(test_base.BaseTestCase):

    def test_node_of_rsd_2_1(self):
        client = FakeClient(rsd21_pod())
        node = nodes.read(client, NODE, endpoints.Index())
        self.assertEqual(('assembled', base.POWER_ON, 8, 32768),
                         (node.state, node.power_state, node.cores,
                          node.memory_mib))

    def test_managed_by_is_not_owned_by_the_node(self):
        owners = inventory.node_owners(dict(rsd21_pod()[NODE],
                                            **{'@odata.id': NODE}))
        self.assertNotIn(R + '/Managers/PODM', owners)
        self.assertIn(R + '/Systems/System1', owners)
