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

"""The Intel RSD 2.x pod manager personality (PODM API 2.1 to 2.4).

It serves the shapes of RSD 2.4: the service root links the composed
nodes under ``Oem.Intel_RackScale.Nodes`` (top-level ``Nodes`` of RSD 2.1
is not a DMTF ServiceRoot property), Chassis (pod, racks, drawers, sleds,
PCIe switch boxes), Systems with Processors, Memory and
EthernetInterfaces, a PCIe fabric whose endpoints, switches and zones hold
the pooled GPUs, NVMe drives, NICs and FPGAs, and an NVMe-oF fabric for
remote volumes. The remote volumes live under DMTF's ``Storage`` rather
than RSD's Swordfish ``StorageServices``, which the current DMTF schemas
no longer define. Composed nodes are in ``rsd_nodes.py``.
"""

from valence.emulator import redfish
from valence.emulator import rsd_inventory as inv
from valence.emulator import rsd_nodes

ROOT = inv.ROOT
OK = {'State': 'Enabled', 'Health': 'OK'}
_ENTITY = {'nvme': 'Drive', 'gpu': 'Processor', 'nic': 'NetworkController',
           'fpga': 'Processor', 'volume': 'Volume'}
_VENDOR = {'nvme': 'Intel', 'gpu': 'NVIDIA', 'nic': 'Mellanox',
           'fpga': 'Intel', 'volume': 'Intel'}


def _link(uri):
    return {'@odata.id': uri}


def _links(uris):
    return [{'@odata.id': u} for u in uris]


class RSDPersonality(redfish.RedfishPersonality):
    """An RSD 2.x PODM: compose by Allocate and Assemble."""

    name = 'rsd'
    default_systems = 4
    default_devices = 12
    metadata_namespaces = (
        'ServiceRoot', 'ComputerSystemCollection', 'ComputerSystem',
        'ProcessorCollection', 'Processor', 'MemoryCollection', 'Memory',
        'EthernetInterfaceCollection', 'EthernetInterface',
        'ChassisCollection', 'Chassis', 'DriveCollection', 'Drive',
        'PCIeDeviceCollection', 'PCIeDevice', 'FabricCollection', 'Fabric',
        'EndpointCollection', 'Endpoint', 'ZoneCollection', 'Zone',
        'SwitchCollection', 'Switch', 'StorageCollection', 'Storage',
        'VolumeCollection', 'Volume', 'ManagerCollection', 'Manager',
        'ActionInfo', 'SessionService', 'SessionCollection', 'Session')

    def __init__(self, pod):
        super().__init__(pod)
        self.nodes = rsd_nodes.Nodes(pod)

    # -- personality interface ----------------------------------------------

    def build(self, rng, systems, devices):
        self.inventory = inv.Inventory(rng, systems, devices)
        self.uuid = inv.new_uuid(rng)
        sleds = systems
        self.drawers = (sleds + inv.SLEDS_PER_DRAWER - 1) // \
            inv.SLEDS_PER_DRAWER
        self.racks = max(1, (self.drawers + inv.DRAWERS_PER_RACK - 1)
                         // inv.DRAWERS_PER_RACK)
        self.chassis_ids = (
            ['pod'] + ['rack%d' % r for r in range(1, self.racks + 1)]
            + ['drawer%d' % d for d in range(1, self.drawers + 1)]
            + ['sled%d' % n for n in range(1, sleds + 1)]
            + ['PCIeSwitch%d' % b for b in range(1, self.inventory.boxes + 1)])
        self.nodes.reset(self.inventory)

    def dump_state(self):
        state = self.nodes.dump()
        state['vanished'] = sorted(self.inventory.vanished)
        return state

    def load_state(self, state):
        for number in state.get('vanished', []):
            self.vanish_device(self.inventory.devices[number])
        self.nodes.load(state)

    def allocations(self):
        return self.nodes.allocations()

    def vanish(self, uri):
        device = self.inventory.device_by_uri(uri)
        if device is None:
            return False
        self.vanish_device(device)
        return True

    def vanish_device(self, device):
        self.nodes.forget_device(device.number)
        self.inventory.vanish(device)

    def service_root_links(self):
        return {name: ROOT + '/' + name for name in (
            'Systems', 'Chassis', 'Managers', 'Fabrics', 'Storage',
            'SessionService', 'Nodes')}

    def add_routes(self, router):
        super().add_routes(router)
        add = router.add
        add('GET', ROOT, self.get_root)
        add('GET', ROOT + '/Systems', self.list_systems)
        system = ROOT + '/Systems/{system}'
        add('GET', system, self.get_system)
        add('GET', system + '/Processors', self.list_processors)
        add('GET', system + '/Processors/{cpu}', self.get_processor)
        add('GET', system + '/Memory', self.list_memory)
        add('GET', system + '/Memory/{dimm}', self.get_memory)
        add('GET', system + '/EthernetInterfaces', self.list_nics)
        add('GET', system + '/EthernetInterfaces/{nic}', self.get_nic)
        add('GET', ROOT + '/Chassis', self.list_chassis)
        add('GET', ROOT + '/Chassis/{chassis}', self.get_chassis)
        add('GET', ROOT + '/Chassis/{chassis}/Drives', self.list_drives)
        add('GET', ROOT + '/Chassis/{chassis}/Drives/{dev}', self.get_drive)
        add('GET', ROOT + '/Chassis/{chassis}/PCIeDevices',
            self.list_pcie_devices)
        add('GET', ROOT + '/Chassis/{chassis}/PCIeDevices/{dev}',
            self.get_pcie_device)
        add('GET', ROOT + '/Managers', self.list_managers)
        add('GET', ROOT + '/Managers/PODM', self.get_manager)
        add('GET', ROOT + '/Fabrics', self.list_fabrics)
        fabric = ROOT + '/Fabrics/{fabric}'
        add('GET', fabric, self.get_fabric)
        add('GET', fabric + '/Endpoints', self.list_endpoints)
        add('GET', fabric + '/Endpoints/{dev}', self.get_endpoint)
        add('GET', fabric + '/Zones', self.list_zones)
        add('GET', fabric + '/Zones/{zone}', self.get_zone)
        add('GET', fabric + '/Switches', self.list_switches)
        add('GET', fabric + '/Switches/{switch}', self.get_switch)
        add('GET', ROOT + '/Storage', self.list_storage)
        storage = ROOT + '/Storage/' + inv.STORAGE_ID
        add('GET', storage, self.get_storage)
        add('GET', storage + '/Volumes', self.list_volumes)
        add('GET', storage + '/Volumes/{dev}', self.get_volume)
        self.nodes.add_routes(router)

    # -- service root and managers ------------------------------------------

    def get_root(self, req):
        return {
            '@odata.id': ROOT + '/',
            '@odata.type': '#ServiceRoot.v1_9_0.ServiceRoot',
            'Id': 'RootService',
            'Name': 'Root Service',
            'RedfishVersion': '1.9.0',
            'UUID': self.uuid,
            'Systems': _link(ROOT + '/Systems'),
            'Chassis': _link(ROOT + '/Chassis'),
            'Managers': _link(ROOT + '/Managers'),
            'Fabrics': _link(ROOT + '/Fabrics'),
            'Storage': _link(ROOT + '/Storage'),
            'SessionService': _link(ROOT + '/SessionService'),
            'Links': {'Sessions': _link(redfish.SESSIONS)},
            'ProtocolFeaturesSupported': {
                'ExpandQuery': {'ExpandAll': True, 'Levels': True,
                                'Links': True, 'NoLinks': True,
                                'MaxLevels': 1},
                'FilterQuery': False,
                'SelectQuery': False,
            },
            'Oem': {'Intel_RackScale': {
                '@odata.type': '#Intel.Oem.ServiceRoot',
                'ApiVersion': '2.4.0',
                'Nodes': _link(rsd_nodes.NODES),
            }},
        }

    def list_managers(self, req):
        return redfish.collection(
            req, self.pod, ROOT + '/Managers',
            '#ManagerCollection.ManagerCollection', 'Managers',
            [ROOT + '/Managers/PODM'])

    def get_manager(self, req):
        return {
            '@odata.id': ROOT + '/Managers/PODM',
            '@odata.type': '#Manager.v1_7_0.Manager',
            'Id': 'PODM',
            'Name': 'Pod Manager',
            'ManagerType': 'Service',
            'Manufacturer': 'OpenStack Valence',
            'Model': 'valence-emulator RSD 2.4 PODM',
            'FirmwareVersion': '2.4.0',
            'Status': OK,
        }

    # -- systems ------------------------------------------------------------

    def _system(self, req, system):
        record = self.inventory.system(system)
        if record is None:
            raise redfish.not_found(req.path)
        return record

    def list_systems(self, req):
        return redfish.collection(
            req, self.pod, ROOT + '/Systems',
            '#ComputerSystemCollection.ComputerSystemCollection',
            'Computer System Collection',
            redfish.UriList(ROOT + '/Systems',
                            range(1, len(self.inventory.systems))))

    def get_system(self, req, system):
        s = self._system(req, system)
        c = s.config
        uri = '%s/Systems/%d' % (ROOT, s.number)
        return {
            '@odata.id': uri,
            '@odata.type': '#ComputerSystem.v1_5_0.ComputerSystem',
            'Id': str(s.number),
            'Name': 'Compute sled %d' % s.number,
            'SystemType': 'Physical',
            'Manufacturer': 'Intel Corporation',
            'Model': 'S2600BPB',
            'SerialNumber': 'SLED%06d' % s.number,
            'UUID': s.uuid,
            'PowerState': 'Off',
            'Status': OK,
            'ProcessorSummary': {'Count': c.sockets, 'Model': c.cpu_model},
            'MemorySummary': {'TotalSystemMemoryGiB': c.memory_gib},
            'Processors': _link(uri + '/Processors'),
            'Memory': _link(uri + '/Memory'),
            'EthernetInterfaces': _link(uri + '/EthernetInterfaces'),
            'Links': {
                'Chassis': [_link('%s/Chassis/sled%d' % (ROOT, s.number))],
                'ManagedBy': [_link(ROOT + '/Managers/PODM')],
            },
        }

    def list_processors(self, req, system):
        s = self._system(req, system)
        uri = '%s/Systems/%d/Processors' % (ROOT, s.number)
        return redfish.collection(
            req, self.pod, uri, '#ProcessorCollection.ProcessorCollection',
            'Processors Collection',
            ['%s/CPU%d' % (uri, i) for i in range(1, s.config.sockets + 1)])

    def get_processor(self, req, system, cpu):
        c = self._system(req, system).config
        socket = cpu[3:] if cpu.startswith('CPU') else ''
        if not socket.isdigit() or not 1 <= int(socket) <= c.sockets:
            raise redfish.not_found(req.path)
        return {
            '@odata.id': req.path,
            '@odata.type': '#Processor.v1_3_0.Processor',
            'Id': cpu,
            'Name': 'Processor %s' % socket,
            'Socket': 'CPU %s' % socket,
            'ProcessorType': 'CPU',
            'ProcessorArchitecture': 'x86',
            'InstructionSet': 'x86-64',
            'Manufacturer': 'Intel(R) Corporation',
            'Model': c.cpu_model,
            'MaxSpeedMHz': c.speed,
            'TotalCores': c.cores,
            'TotalThreads': c.cores * 2,
            'Status': OK,
        }

    def list_memory(self, req, system):
        s = self._system(req, system)
        uri = '%s/Systems/%d/Memory' % (ROOT, s.number)
        return redfish.collection(
            req, self.pod, uri, '#MemoryCollection.MemoryCollection',
            'Memory Collection',
            ['%s/Dimm%d' % (uri, i) for i in range(1, inv.dimms(s.config)
                                                     + 1)])

    def get_memory(self, req, system, dimm):
        c = self._system(req, system).config
        slot = dimm[4:] if dimm.startswith('Dimm') else ''
        if not slot.isdigit() or not 1 <= int(slot) <= inv.dimms(c):
            raise redfish.not_found(req.path)
        return {
            '@odata.id': req.path,
            '@odata.type': '#Memory.v1_6_0.Memory',
            'Id': dimm,
            'Name': 'DIMM %s' % slot,
            'MemoryType': 'DRAM',
            'MemoryDeviceType': 'DDR4',
            'CapacityMiB': 32768,
            'OperatingSpeedMhz': 2666,
            'DataWidthBits': 64,
            'Manufacturer': 'Samsung',
            'Status': OK,
        }

    def list_nics(self, req, system):
        s = self._system(req, system)
        uri = '%s/Systems/%d/EthernetInterfaces' % (ROOT, s.number)
        return redfish.collection(
            req, self.pod, uri,
            '#EthernetInterfaceCollection.EthernetInterfaceCollection',
            'Ethernet Interface Collection',
            ['%s/%d' % (uri, i) for i in range(1, s.config.nics + 1)])

    def get_nic(self, req, system, nic):
        s = self._system(req, system)
        if not nic.isdigit() or not 1 <= int(nic) <= s.config.nics:
            raise redfish.not_found(req.path)
        # Locally administered, unique per system and port.
        value = (0x02 << 40) | (s.number << 8) | int(nic)
        mac = ':'.join('%02x' % ((value >> shift) & 0xff)
                       for shift in range(40, -1, -8))
        return {
            '@odata.id': req.path,
            '@odata.type': '#EthernetInterface.v1_4_0.EthernetInterface',
            'Id': nic,
            'Name': 'Ethernet Interface %s' % nic,
            'MACAddress': mac,
            'PermanentMACAddress': mac,
            'SpeedMbps': s.config.nic_speed,
            'LinkStatus': 'LinkUp',
            'InterfaceEnabled': True,
            'Status': OK,
        }

    # -- chassis ------------------------------------------------------------

    def list_chassis(self, req):
        return redfish.collection(
            req, self.pod, ROOT + '/Chassis',
            '#ChassisCollection.ChassisCollection', 'Chassis Collection',
            redfish.UriList(ROOT + '/Chassis', self.chassis_ids))

    def _chassis_kind(self, req, chassis):
        for prefix, count in (('rack', self.racks),
                              ('drawer', self.drawers),
                              ('sled', len(self.inventory.systems) - 1),
                              ('PCIeSwitch', self.inventory.boxes)):
            number = chassis[len(prefix):]
            if (chassis.startswith(prefix) and number.isdigit()
                    and str(int(number)) == number
                    and 1 <= int(number) <= count):
                return prefix, int(number)
        if chassis == 'pod':
            return 'pod', 0
        raise redfish.not_found(req.path)

    def get_chassis(self, req, chassis):
        kind, number = self._chassis_kind(req, chassis)
        uri = ROOT + '/Chassis/' + chassis
        links = {'ManagedBy': [_link(ROOT + '/Managers/PODM')]}
        doc = {
            '@odata.id': uri,
            '@odata.type': '#Chassis.v1_14_0.Chassis',
            'Id': chassis,
            'Status': OK,
            'Links': links,
        }
        chassis_uri = ROOT + '/Chassis/'
        if kind == 'pod':
            doc.update(Name='Pod', ChassisType='Pod')
            links['Contains'] = _links(chassis_uri + 'rack%d' % r
                                       for r in range(1, self.racks + 1))
        elif kind == 'rack':
            doc.update(Name='Rack %d' % number, ChassisType='Rack')
            first = (number - 1) * inv.DRAWERS_PER_RACK + 1
            last = min(first + inv.DRAWERS_PER_RACK - 1, self.drawers)
            boxes = range(number, self.inventory.boxes + 1, self.racks)
            links['Contains'] = _links(
                [chassis_uri + 'drawer%d' % d for d in range(first, last + 1)]
                + [chassis_uri + 'PCIeSwitch%d' % b for b in boxes])
            links['ContainedBy'] = _link(chassis_uri + 'pod')
        elif kind == 'drawer':
            doc.update(Name='Drawer %d' % number, ChassisType='Drawer')
            first = (number - 1) * inv.SLEDS_PER_DRAWER + 1
            last = min(first + inv.SLEDS_PER_DRAWER - 1,
                       len(self.inventory.systems) - 1)
            links['Contains'] = _links(chassis_uri + 'sled%d' % n
                                       for n in range(first, last + 1))
            links['ContainedBy'] = _link(chassis_uri + 'rack%d' % (
                (number - 1) // inv.DRAWERS_PER_RACK + 1))
        elif kind == 'sled':
            doc.update(Name='Sled %d' % number, ChassisType='Sled')
            links['ComputerSystems'] = [_link('%s/Systems/%d'
                                              % (ROOT, number))]
            links['ContainedBy'] = _link(chassis_uri + 'drawer%d' % (
                (number - 1) // inv.SLEDS_PER_DRAWER + 1))
        else:
            doc.update(Name='PCIe switch %d' % number,
                       ChassisType='Enclosure',
                       Drives=_link(uri + '/Drives'),
                       PCIeDevices=_link(uri + '/PCIeDevices'))
            links['ContainedBy'] = _link(chassis_uri + 'rack%d' % (
                (number - 1) % self.racks + 1))
        return doc

    def _box_devices(self, req, chassis, kinds):
        kind, number = self._chassis_kind(req, chassis)
        if kind != 'PCIeSwitch':
            raise redfish.not_found(req.path)
        devices = (self.inventory.devices[n]
                   for n in self.inventory.box_members(number))
        return [self.inventory.device_uri(d) for d in devices
                if d.kind in kinds]

    def list_drives(self, req, chassis):
        return redfish.collection(
            req, self.pod, req.path, '#DriveCollection.DriveCollection',
            'Drive Collection', self._box_devices(req, chassis, ('nvme',)))

    def list_pcie_devices(self, req, chassis):
        return redfish.collection(
            req, self.pod, req.path,
            '#PCIeDeviceCollection.PCIeDeviceCollection',
            'PCIe Device Collection',
            self._box_devices(req, chassis, ('gpu', 'nic', 'fpga')))

    def _device(self, req, dev, kinds, canonical=True):
        device = self.inventory.device(dev)
        if device is None or device.kind not in kinds:
            raise redfish.not_found(req.path)
        if canonical and self.inventory.device_uri(device) != req.path:
            raise redfish.not_found(req.path)
        return device

    def get_drive(self, req, chassis, dev):
        d = self._device(req, dev, ('nvme',))
        return {
            '@odata.id': req.path,
            '@odata.type': '#Drive.v1_6_0.Drive',
            'Id': str(d.number),
            'Name': 'NVMe drive %d' % d.number,
            'Manufacturer': 'Intel',
            'Model': d.model,
            'SerialNumber': 'NVME%06d' % d.number,
            'CapacityBytes': d.capacity * 2 ** 30,
            'MediaType': 'SSD',
            'Protocol': 'NVMe',
            'Status': OK,
            'Links': {'Endpoints': [_link(self.inventory.endpoint_uri(d))]},
        }

    def get_pcie_device(self, req, chassis, dev):
        d = self._device(req, dev, ('gpu', 'nic', 'fpga'))
        return {
            '@odata.id': req.path,
            '@odata.type': '#PCIeDevice.v1_4_0.PCIeDevice',
            'Id': str(d.number),
            'Name': '%s %d' % (d.kind.upper(), d.number),
            'Manufacturer': _VENDOR[d.kind],
            'Model': d.model,
            'SerialNumber': 'PCIE%06d' % d.number,
            'DeviceType': 'SingleFunction',
            'Status': OK,
            'Links': {'Chassis': [_link(ROOT + '/Chassis/'
                                        + self.inventory.box_of(d.number))]},
        }

    # -- fabrics ------------------------------------------------------------

    def _fabric(self, req, fabric):
        if fabric not in ('PCIe', 'NVMeoE'):
            raise redfish.not_found(req.path)
        return fabric

    def list_fabrics(self, req):
        return redfish.collection(
            req, self.pod, ROOT + '/Fabrics',
            '#FabricCollection.FabricCollection', 'Fabric Collection',
            [ROOT + '/Fabrics/PCIe', ROOT + '/Fabrics/NVMeoE'])

    def get_fabric(self, req, fabric):
        self._fabric(req, fabric)
        uri = ROOT + '/Fabrics/' + fabric
        doc = {
            '@odata.id': uri,
            '@odata.type': '#Fabric.v1_2_0.Fabric',
            'Id': fabric,
            'Name': '%s fabric' % fabric,
            'FabricType': 'PCIe' if fabric == 'PCIe' else 'NVMeOverFabrics',
            'Status': OK,
            'Endpoints': _link(uri + '/Endpoints'),
            'Zones': _link(uri + '/Zones'),
        }
        if fabric == 'PCIe':
            doc['Switches'] = _link(uri + '/Switches')
        return doc

    def list_endpoints(self, req, fabric):
        self._fabric(req, fabric)
        numbers = (self.inventory.pcie_endpoints if fabric == 'PCIe'
                   else self.inventory.by_kind['volume'])
        return redfish.collection(
            req, self.pod, req.path,
            '#EndpointCollection.EndpointCollection', 'Endpoint Collection',
            redfish.UriList(req.path, numbers))

    def get_endpoint(self, req, fabric, dev):
        self._fabric(req, fabric)
        kinds = ('volume',) if fabric == 'NVMeoE' else inv.PCIE_KINDS
        d = self._device(req, dev, kinds, canonical=False)
        protocol = 'NVMeOverFabrics' if d.kind == 'volume' else 'PCIe'
        return {
            '@odata.id': req.path,
            '@odata.type': '#Endpoint.v1_3_0.Endpoint',
            'Id': str(d.number),
            'Name': 'Endpoint %d' % d.number,
            'EndpointProtocol': protocol,
            'ConnectedEntities': [{
                'EntityType': _ENTITY[d.kind],
                'EntityRole': 'Target',
                'EntityLink': _link(self.inventory.device_uri(d)),
            }],
            'Identifiers': [{'DurableNameFormat': 'UUID',
                             'DurableName': d.uuid}],
            'Status': OK,
        }

    def _zones(self, fabric):
        """Zone id (the node id) -> endpoint URIs, for ``fabric``."""
        zones = {}
        for node in self.nodes.nodes.values():
            for number in node['devices']:
                device = self.inventory.devices[number]
                if (device.kind == 'volume') == (fabric == 'NVMeoE'):
                    zones.setdefault(node['id'], []).append(
                        self.inventory.endpoint_uri(device))
        return zones

    def list_zones(self, req, fabric):
        self._fabric(req, fabric)
        return redfish.collection(
            req, self.pod, req.path, '#ZoneCollection.ZoneCollection',
            'Zone Collection',
            redfish.UriList(req.path, sorted(self._zones(fabric))))

    def get_zone(self, req, fabric, zone):
        self._fabric(req, fabric)
        endpoints = self._zones(fabric).get(int(zone) if zone.isdigit()
                                            else None)
        if endpoints is None:
            raise redfish.not_found(req.path)
        return {
            '@odata.id': req.path,
            '@odata.type': '#Zone.v1_4_0.Zone',
            'Id': zone,
            'Name': 'Zone of composed node %s' % zone,
            'Status': OK,
            'Links': {'Endpoints': _links(endpoints)},
        }

    def list_switches(self, req, fabric):
        self._fabric(req, fabric)
        count = self.inventory.boxes if fabric == 'PCIe' else 0
        return redfish.collection(
            req, self.pod, req.path, '#SwitchCollection.SwitchCollection',
            'Switch Collection',
            redfish.UriList(req.path, range(1, count + 1)))

    def get_switch(self, req, fabric, switch):
        self._fabric(req, fabric)
        if (fabric != 'PCIe' or not switch.isdigit()
                or not 1 <= int(switch) <= self.inventory.boxes):
            raise redfish.not_found(req.path)
        return {
            '@odata.id': req.path,
            '@odata.type': '#Switch.v1_3_0.Switch',
            'Id': switch,
            'Name': 'PCIe switch %s' % switch,
            'SwitchType': 'PCIe',
            'Status': OK,
            'Links': {'Chassis': _link(ROOT + '/Chassis/PCIeSwitch'
                                       + switch)},
        }

    # -- remote storage -----------------------------------------------------

    def list_storage(self, req):
        return redfish.collection(
            req, self.pod, ROOT + '/Storage',
            '#StorageCollection.StorageCollection', 'Storage Collection',
            [ROOT + '/Storage/' + inv.STORAGE_ID])

    def get_storage(self, req):
        uri = ROOT + '/Storage/' + inv.STORAGE_ID
        return {
            '@odata.id': uri,
            '@odata.type': '#Storage.v1_8_0.Storage',
            'Id': inv.STORAGE_ID,
            'Name': 'NVMe over Fabrics storage service',
            'Status': OK,
            'Volumes': _link(uri + '/Volumes'),
        }

    def list_volumes(self, req):
        return redfish.collection(
            req, self.pod, req.path, '#VolumeCollection.VolumeCollection',
            'Volume Collection',
            redfish.UriList(req.path, self.inventory.by_kind['volume']))

    def get_volume(self, req, dev):
        d = self._device(req, dev, ('volume',))
        return {
            '@odata.id': req.path,
            '@odata.type': '#Volume.v1_4_0.Volume',
            'Id': str(d.number),
            'Name': 'Volume %d' % d.number,
            'CapacityBytes': d.capacity * 2 ** 30,
            'Identifiers': [{'DurableNameFormat': 'UUID',
                             'DurableName': d.uuid}],
            'Status': OK,
        }
