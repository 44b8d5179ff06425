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

"""Resource blocks, zones and racks of the DMTF composition personality.

The pod is a set of resource blocks grouped in resource zones, one zone
per rack: a composition takes its blocks from one zone. Kinds of blocks:

``compute``    ResourceBlockType Compute: CPUs, DIMMs and an onboard NIC.
``storage``    Storage: one NVMe drive.
``gpu``        Processor: one GPU.
``fpga``       Processor: one FPGA.
``network``    Network: one Ethernet port.
``expansion``  Expansion: a PCIe expansion tray with an FPGA and a drive,
               for specific composition and AddResourceBlock only.

A block is a small record; its documents are rendered on demand from its
kind's spec table. Who holds a block (a system or a reservation) lives on
the record, and the blocks nobody holds are indexed per zone and kind, so
that finding a free block never scans the pod.
"""

import datetime
import itertools

from valence.emulator import redfish

ROOT = '/redfish/v1'
COMPOSITION = ROOT + '/CompositionService'
BLOCKS = COMPOSITION + '/ResourceBlocks'
ZONES = COMPOSITION + '/ResourceZones'
CHASSIS = ROOT + '/Chassis'
SYSTEMS = ROOT + '/Systems'

#: Compute blocks per zone (one zone per rack).
COMPUTE_PER_ZONE = 8

OK = {'State': 'Enabled', 'Health': 'OK'}

_PREFIX = {'compute': 'Compute', 'storage': 'NVMe', 'gpu': 'GPU',
           'fpga': 'FPGA', 'network': 'NIC', 'expansion': 'Expansion'}
BLOCK_TYPES = {'compute': ['Compute'], 'storage': ['Storage'],
               'gpu': ['Processor'], 'fpga': ['Processor'],
               'network': ['Network'], 'expansion': ['Expansion']}
#: Share of each kind among the pooled (non-compute) blocks, in percent.
_DEVICE_SHARES = (('storage', 35), ('gpu', 20), ('network', 25),
                  ('fpga', 10), ('expansion', 10))

COMPUTE_SPECS = (
    {'model': 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
     'maker': 'Intel(R) Corporation', 'vendor': 'GenuineIntel',
     'cores': 20, 'threads': 40, 'mhz': 2500, 'sockets': 2,
     'dimms': 12, 'dimm_mib': 32768, 'dimm_mhz': 2933},
    {'model': 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz',
     'maker': 'Intel(R) Corporation', 'vendor': 'GenuineIntel',
     'cores': 12, 'threads': 24, 'mhz': 2200, 'sockets': 2,
     'dimms': 8, 'dimm_mib': 16384, 'dimm_mhz': 2400},
    {'model': 'AMD EPYC 7543 32-Core Processor',
     'maker': 'Advanced Micro Devices, Inc.', 'vendor': 'AuthenticAMD',
     'cores': 32, 'threads': 64, 'mhz': 2800, 'sockets': 1,
     'dimms': 8, 'dimm_mib': 32768, 'dimm_mhz': 3200},
)
GPU_SPECS = (
    {'model': 'NVIDIA Tesla V100-PCIE-32GB', 'maker': 'NVIDIA Corporation',
     'cores': 5120, 'mhz': 1380},
    {'model': 'NVIDIA A100-PCIE-40GB', 'maker': 'NVIDIA Corporation',
     'cores': 6912, 'mhz': 1410},
    {'model': 'AMD Radeon Instinct MI50', 'maker': 'Advanced Micro Devices, '
     'Inc.', 'cores': 3840, 'mhz': 1725},
)
FPGA_SPECS = (
    {'model': 'Intel PAC with Arria 10 GX FPGA', 'maker': 'Intel Corporation',
     'cores': 1, 'mhz': 400},
    {'model': 'Xilinx Alveo U250', 'maker': 'Xilinx, Inc.', 'cores': 1,
     'mhz': 300},
)
DRIVE_SPECS = (
    {'model': 'Intel SSD DC P4510 2TB', 'maker': 'Intel Corporation',
     'bytes': 2000398934016},
    {'model': 'Intel SSD DC P4610 1.6TB', 'maker': 'Intel Corporation',
     'bytes': 1600321314816},
    {'model': 'Samsung PM1733 3.84TB', 'maker': 'Samsung Electronics',
     'bytes': 3840755982336},
)
NIC_SPECS = (
    {'model': 'Mellanox ConnectX-5 25GbE', 'maker': 'Mellanox Technologies',
     'mbps': 25000},
    {'model': 'Mellanox ConnectX-5 100GbE', 'maker': 'Mellanox Technologies',
     'mbps': 100000},
    {'model': 'Intel Ethernet Network Adapter E810', 'maker': 'Intel '
     'Corporation', 'mbps': 100000},
)
ONBOARD_NIC = {'model': 'Onboard 1GbE', 'maker': 'Intel Corporation',
               'mbps': 1000}


def link(uri):
    return {'@odata.id': uri}


def links(uris):
    return [{'@odata.id': u} for u in uris]


def timestamp(seconds):
    """An Edm.DateTimeOffset for a POSIX time."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.isoformat(timespec='seconds')


class Block:
    """One resource block: what it is, where it is, who holds it."""

    __slots__ = ('id', 'index', 'kind', 'zone', 'spec', 'system',
                 'reservation')

    def __init__(self, block_id, index, kind, zone, spec):
        self.id = block_id
        self.index = index
        self.kind = kind
        self.zone = zone
        # An index into the kind's spec table; (fpga, drive) for expansion.
        self.spec = spec
        self.system = None
        self.reservation = None

    @property
    def uri(self):
        return BLOCKS + '/' + self.id

    @property
    def free(self):
        return self.system is None and self.reservation is None

    # -- what the block holds -------------------------------------------

    def processors(self):
        """``[(id, spec, ProcessorType)]`` of the block's processors."""
        if self.kind == 'compute':
            spec = COMPUTE_SPECS[self.spec]
            return [('CPU%d' % n, spec, 'CPU')
                    for n in range(spec['sockets'])]
        if self.kind == 'gpu':
            return [('GPU0', GPU_SPECS[self.spec], 'GPU')]
        if self.kind == 'fpga':
            return [('FPGA0', FPGA_SPECS[self.spec], 'FPGA')]
        if self.kind == 'expansion':
            return [('FPGA0', FPGA_SPECS[self.spec[0]], 'FPGA')]
        return []

    def memory(self):
        if self.kind != 'compute':
            return []
        spec = COMPUTE_SPECS[self.spec]
        return [('DIMM%d' % n, spec) for n in range(spec['dimms'])]

    def nics(self):
        if self.kind == 'compute':
            return [('NIC0', ONBOARD_NIC)]
        if self.kind == 'network':
            return [('Port0', NIC_SPECS[self.spec])]
        return []

    def drives(self):
        if self.kind == 'storage':
            return [('Drive0', DRIVE_SPECS[self.spec])]
        if self.kind == 'expansion':
            return [('Drive0', DRIVE_SPECS[self.spec[1]])]
        return []

    def storage(self):
        return ['NVMe'] if self.drives() else []


class Records:
    """Numbered records of one pod (composed systems, reservations)."""

    def reset(self, inventory):
        self.inv = inventory
        self.records = {}
        self.next_number = 1

    def _record(self, req, key):
        record = self.records.get(key)
        if record is None:
            raise redfish.not_found(req.path)
        return record


class Inventory:
    """Every block, zone and rack of one pod, with O(1) lookups."""

    def __init__(self, rng, computes, devices):
        self.blocks = {}
        # Generation order, which is the order of the ResourceBlocks list.
        self.order = []
        self.zone_count = max(1, -(-computes // COMPUTE_PER_ZONE))
        self.zone_blocks = [[] for _ in range(self.zone_count)]
        # zone -> kind -> {block id: None}: the free blocks, in order.
        self.free = [{kind: {} for kind in _PREFIX}
                     for _ in range(self.zone_count)]
        self.vanished = set()
        # Bumped by every change of who holds what, for cached listings.
        self.version = 0
        self._counters = dict.fromkeys(_PREFIX, 0)
        for n in range(computes):
            self._add('compute', n // COMPUTE_PER_ZONE,
                      rng.randrange(len(COMPUTE_SPECS)))
        kinds = list(itertools.chain.from_iterable(
            [kind] * share for kind, share in _DEVICE_SHARES))
        for n in range(devices):
            kind = rng.choice(kinds)
            # Spread the pooled devices evenly over the racks.
            self._add(kind, n * self.zone_count // devices,
                      self._device_spec(rng, kind))

    def _device_spec(self, rng, kind):
        if kind == 'expansion':
            return (rng.randrange(len(FPGA_SPECS)),
                    rng.randrange(len(DRIVE_SPECS)))
        table = {'storage': DRIVE_SPECS, 'gpu': GPU_SPECS,
                 'fpga': FPGA_SPECS, 'network': NIC_SPECS}[kind]
        return rng.randrange(len(table))

    def _add(self, kind, zone, spec):
        number = self._counters[kind]
        self._counters[kind] = number + 1
        block = Block('%s-%d' % (_PREFIX[kind], number), len(self.order),
                      kind, zone, spec)
        self.blocks[block.id] = block
        self.order.append(block.id)
        self.zone_blocks[zone].append(block.id)
        self.free[zone][kind][block.id] = None

    # -- lookups --------------------------------------------------------

    def block(self, block_id):
        return self.blocks.get(block_id)

    def block_by_uri(self, uri):
        """The block a URI names, or None (also for sub-resources)."""
        if not isinstance(uri, str):
            return None
        uri = '/' + uri.strip('/')
        if not uri.startswith(BLOCKS + '/'):
            return None
        rest = uri[len(BLOCKS) + 1:]
        if '/' in rest:
            return None
        return self.blocks.get(rest)

    def zone_id(self, zone):
        return str(zone + 1)

    def zone_index(self, zone_id):
        """The index of zone ``zone_id`` ("1", "2"...), or None."""
        if not isinstance(zone_id, str) or not zone_id.isdigit():
            return None
        index = int(zone_id) - 1
        return index if 0 <= index < self.zone_count else None

    def zone_uri(self, zone):
        return ZONES + '/' + self.zone_id(zone)

    def rack_id(self, zone):
        return 'Rack-%d' % (zone + 1)

    def rack_index(self, rack_id):
        if not isinstance(rack_id, str) or not rack_id.startswith('Rack-'):
            return None
        return self.zone_index(rack_id[len('Rack-'):])

    def rack_uri(self, zone):
        return CHASSIS + '/' + self.rack_id(zone)

    def free_blocks(self, zone, kind):
        """Ids of the blocks of ``kind`` in ``zone`` nobody holds."""
        return self.free[zone][kind]

    # -- changes --------------------------------------------------------

    def hold(self, block, system=None, reservation=None):
        """Give ``block`` to a system and/or a reservation (None frees)."""
        block.system = system
        block.reservation = reservation
        self.version += 1
        free = self.free[block.zone][block.kind]
        if block.free:
            free[block.id] = None
        else:
            free.pop(block.id, None)

    def vanish(self, block):
        """The block leaves the pod, as if pulled from the rack."""
        self.free[block.zone][block.kind].pop(block.id, None)
        self.version += 1
        del self.blocks[block.id]
        # Rare: a linear removal keeps the listings in generation order.
        self.order.remove(block.id)
        self.zone_blocks[block.zone].remove(block.id)
        self.vanished.add(block.id)


# -- documents of the block contents --------------------------------------

def processor_doc(block, item, chassis):
    found = [p for p in block.processors() if p[0] == item]
    if not found:
        return None
    proc_id, spec, proc_type = found[0]
    doc = {
        '@odata.id': '%s/Processors/%s' % (block.uri, proc_id),
        '@odata.type': '#Processor.v1_22_0.Processor',
        'Id': proc_id,
        'Name': '%s %s' % (proc_type, proc_id[-1]),
        'ProcessorType': proc_type,
        'Manufacturer': spec['maker'],
        'Model': spec['model'],
        'MaxSpeedMHz': spec['mhz'],
        'TotalCores': spec['cores'],
        'Status': dict(OK),
        'Links': {'Chassis': link(chassis)},
    }
    if proc_type == 'CPU':
        doc.update({
            'Socket': 'CPU %s' % proc_id[3:],
            'ProcessorArchitecture': 'x86',
            'InstructionSet': 'x86-64',
            'TotalThreads': spec['threads'],
            'ProcessorId': {'VendorId': spec['vendor']},
        })
    return doc


def memory_doc(block, item, chassis):
    found = [m for m in block.memory() if m[0] == item]
    if not found:
        return None
    dimm_id, spec = found[0]
    slot = int(dimm_id[4:])
    return {
        '@odata.id': '%s/Memory/%s' % (block.uri, dimm_id),
        '@odata.type': '#Memory.v1_23_0.Memory',
        'Id': dimm_id,
        'Name': 'DIMM %d' % slot,
        'CapacityMiB': spec['dimm_mib'],
        'MemoryType': 'DRAM',
        'MemoryDeviceType': 'DDR4',
        'OperatingSpeedMhz': spec['dimm_mhz'],
        'MemoryLocation': {'Socket': slot % spec['sockets'],
                           'Channel': slot // 2, 'Slot': slot % 2},
        'Status': dict(OK),
        'Links': {'Chassis': link(chassis)},
    }


def mac_address(block, port):
    """A locally administered MAC made from the block's place."""
    number = block.index * 4 + port
    octets = [0x02, 0x00] + [(number >> s) & 0xff for s in (24, 16, 8, 0)]
    return ':'.join('%02X' % o for o in octets)


def nic_doc(block, item, chassis):
    found = [n for n in block.nics() if n[0] == item]
    if not found:
        return None
    nic_id, spec = found[0]
    mac = mac_address(block, 0)
    return {
        '@odata.id': '%s/EthernetInterfaces/%s' % (block.uri, nic_id),
        '@odata.type': '#EthernetInterface.v1_12_4.EthernetInterface',
        'Id': nic_id,
        'Name': spec['model'],
        'Description': '%s port of %s' % (spec['model'], spec['maker']),
        'InterfaceEnabled': True,
        'LinkStatus': 'LinkUp',
        'MACAddress': mac,
        'PermanentMACAddress': mac,
        'SpeedMbps': spec['mbps'],
        'FullDuplex': True,
        'AutoNeg': True,
        'MTUSize': 1500,
        'Status': dict(OK),
        'Links': {'Chassis': link(chassis)},
    }


def drive_doc(block, item, chassis):
    found = [d for d in block.drives() if d[0] == item]
    if not found:
        return None
    drive_id, spec = found[0]
    return {
        '@odata.id': '%s/Drives/%s' % (block.uri, drive_id),
        '@odata.type': '#Drive.v1_22_0.Drive',
        'Id': drive_id,
        'Name': spec['model'],
        'Manufacturer': spec['maker'],
        'Model': spec['model'],
        'SerialNumber': 'SN%08d' % block.index,
        'CapacityBytes': spec['bytes'],
        'MediaType': 'SSD',
        'Protocol': 'NVMe',
        'Status': dict(OK),
        'Links': {'Chassis': link(chassis)},
    }


def storage_doc(block, item):
    if item not in block.storage():
        return None
    drives = ['%s/Drives/%s' % (block.uri, d[0]) for d in block.drives()]
    return {
        '@odata.id': '%s/Storage/%s' % (block.uri, item),
        '@odata.type': '#Storage.v1_21_0.Storage',
        'Id': item,
        'Name': 'NVMe storage of %s' % block.id,
        'Status': dict(OK),
        'Drives': links(drives),
        'Drives@odata.count': len(drives),
    }


def members(block, collection):
    """URIs of the block's members of ``collection`` (e.g. Processors)."""
    if collection == 'Processors':
        items = [p[0] for p in block.processors()]
    elif collection == 'Memory':
        items = [m[0] for m in block.memory()]
    elif collection == 'EthernetInterfaces':
        items = [n[0] for n in block.nics()]
    elif collection == 'Drives':
        items = [d[0] for d in block.drives()]
    else:
        items = block.storage()
    return ['%s/%s/%s' % (block.uri, collection, i) for i in items]
