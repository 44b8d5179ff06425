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

"""Resource blocks, what they hold, and the records they make.

A DMTF composition service hands out resource blocks. A block that holds
a Compute part is what a composed system is built on: it becomes a System
record. Any other block (GPUs, FPGAs, NVMe drives, Ethernet adapters) is a
pooled device that a composed system can take with AddResourceBlock: it
becomes a Device record, and its drives also Storage records. Every block
is also a ResourceBlock record. All of them are named by the block's URI,
which is what Valence hands back to compose with or to attach.

A block's document only links what it holds (Processors, Memory,
EthernetInterfaces, Drives, Storage); :func:`read_contents` reads those
documents, unless the service already expanded them in place.
"""

from valence.podmanagers import base
from valence.podmanagers.redfishv2 import documents

COMPUTE = 'Compute'
CONTENTS = ('Processors', 'Memory', 'EthernetInterfaces', 'Drives')
_COMPOSED = ('Composed', 'ComposedAndAvailable', 'Composing')
_BROKEN = ('Failed', 'Unavailable')
_ABSENT = ('Absent', 'Disabled', 'UnavailableOffline')
# Redfish InstructionSet -> the architecture names Ironic and Nova use.
ARCHES = {'x86-64': 'x86_64', 'x86': 'i686', 'IA-64': 'ia64',
          'ARM-A32': 'armv7l', 'ARM-A64': 'aarch64', 'MIPS32': 'mips',
          'MIPS64': 'mips64', 'PowerISA': 'ppc64le', 'RV32': 'riscv32',
          'RV64': 'riscv64'}
GIB = 1024 ** 3


class Block:
    """What one block's document says, and its contents once read."""

    def __init__(self, doc):
        self.uri = documents.odata_id(doc, 'a resource block')
        where = self.uri
        self.name = (documents.text(doc, 'Name', where)
                     or documents.text(doc, 'Id', where) or self.uri)
        self.types = documents.strings(doc, 'ResourceBlockType', where)
        status = documents.obj(doc, 'CompositionStatus', where)
        self.composition_state = documents.text(status, 'CompositionState',
                                                where)
        self.reserved = bool(documents.flag(status, 'Reserved', where))
        self.sharing_capable = bool(documents.flag(status, 'SharingCapable',
                                                   where))
        self.health_state = documents.text(
            documents.obj(doc, 'Status', where), 'State', where)
        links = documents.obj(doc, 'Links', where)
        self.systems = documents.links(links, 'ComputerSystems', where)
        self.zones = documents.links(links, 'Zones', where)
        self.chassis = documents.links(links, 'Chassis', where)
        self.entries = {name: documents.entries(doc, name, where)
                        for name in CONTENTS + ('Storage',)}
        # Filled by read_contents: summaries of the linked documents.
        self.contents = {name: [] for name in CONTENTS}
        self.missing = False

    @property
    def compute(self):
        return COMPUTE in self.types

    @property
    def node_uri(self):
        return self.systems[0] if self.systems else None

    @property
    def state(self):
        if (self.health_state in _ABSENT
                or self.composition_state in _BROKEN):
            return base.UNAVAILABLE
        if self.composition_state in _COMPOSED or (
                self.composition_state is None and self.systems):
            return base.ALLOCATED
        # A reserved block is held for a composition about to be applied.
        if self.reserved:
            return base.UNAVAILABLE
        return base.FREE

    @property
    def processors(self):
        return self.contents['Processors']

    @property
    def nics(self):
        return self.contents['EthernetInterfaces']

    @property
    def drives(self):
        return self.contents['Drives']


# -- summaries of what blocks hold --------------------------------------------

def arch_of(doc, where):
    instruction_set = documents.text(doc, 'InstructionSet', where)
    if instruction_set:
        return ARCHES.get(instruction_set, instruction_set)
    architecture = documents.text(doc, 'ProcessorArchitecture', where)
    return architecture.lower() if architecture else None


def processor(uri, doc):
    return {'type': documents.text(doc, 'ProcessorType', uri),
            'model': documents.text(doc, 'Model', uri),
            'manufacturer': documents.text(doc, 'Manufacturer', uri),
            'cores': documents.number(doc, 'TotalCores', uri),
            'speed_mhz': documents.number(doc, 'MaxSpeedMHz', uri),
            'arch': arch_of(doc, uri)}


def memory(uri, doc):
    return {'capacity_mib': documents.number(doc, 'CapacityMiB', uri)}


def nic(uri, doc):
    return {'mac_address': (documents.text(doc, 'MACAddress', uri)
                            or documents.text(doc, 'PermanentMACAddress',
                                              uri)),
            'speed_mbps': documents.number(doc, 'SpeedMbps', uri)}


def drive(uri, doc):
    return {'uri': uri,
            'name': documents.text(doc, 'Name', uri),
            'capacity_bytes': documents.number(doc, 'CapacityBytes', uri),
            'media_type': documents.text(doc, 'MediaType', uri),
            'protocol': documents.text(doc, 'Protocol', uri),
            'model': documents.text(doc, 'Model', uri),
            'manufacturer': documents.text(doc, 'Manufacturer', uri),
            'serial_number': documents.text(doc, 'SerialNumber', uri)}


_SUMMARIES = {'Processors': processor, 'Memory': memory,
              'EthernetInterfaces': nic, 'Drives': drive}


def drive_type(summary):
    """'NVMe', 'SSD' or 'HDD' (or None) for a drive summary."""
    if summary['protocol'] in ('NVMe', 'NVMeOverFabrics'):
        return base.NVME
    return summary['media_type']


def read_contents(service, block_docs, contents=CONTENTS):
    """Blocks from their documents, with what they hold read.

    ``contents`` names what to read (by default everything). A block whose
    contents cannot all be read is read again: when it is gone it is left
    out (it vanished since its collection was read), otherwise it is kept
    with what could be read.
    """
    blocks = [Block(doc) for doc in block_docs]
    wanted = {}
    storages = {}
    for block in blocks:
        for name in contents:
            _take(block, name, block.entries[name], wanted)
        if 'Drives' in contents and not block.entries['Drives']:
            for entry in block.entries['Storage']:
                if documents.expanded(entry):
                    _take(block, 'Drives', documents.entries(
                        entry, 'Drives', entry['@odata.id']), wanted)
                else:
                    storages[entry['@odata.id']] = block
    _fetch(service, wanted)
    if storages:
        # Storage documents only to find their drives: a second round.
        drive_links = service.fetch_many(
            list(storages), lambda uri, doc: documents.entries(
                doc, 'Drives', uri))
        wanted = {}
        for (uri, block), found in zip(storages.items(), drive_links):
            if found is None:
                block.missing = True
            else:
                _take(block, 'Drives', found, wanted)
        _fetch(service, wanted)
    return _without_vanished(service, blocks)


def _take(block, name, entries, wanted):
    """Summarise expanded entries now; note the others to be read."""
    for entry in entries:
        uri = entry['@odata.id']
        if documents.expanded(entry):
            block.contents[name].append(_SUMMARIES[name](uri, entry))
        else:
            wanted.setdefault(uri, []).append((block, name))


def _fetch(service, wanted):
    uris = list(wanted)
    summaries = service.fetch_many(
        uris, lambda uri, doc: _SUMMARIES[wanted[uri][0][1]](uri, doc))
    for uri, summary in zip(uris, summaries):
        for block, name in wanted[uri]:
            if summary is None:
                block.missing = True
            else:
                block.contents[name].append(summary)


def _without_vanished(service, blocks):
    incomplete = [b.uri for b in blocks if b.missing]
    if not incomplete:
        return blocks
    still_there = service.fetch_many(incomplete, lambda uri, doc: True)
    gone = {uri for uri, there in zip(incomplete, still_there) if not there}
    return [b for b in blocks if b.uri not in gone]


# -- records ----------------------------------------------------------------

def resource_block_record(block):
    return base.ResourceBlock(
        uri=block.uri, name=block.name, block_types=list(block.types),
        state=block.state, node_uri=block.node_uri,
        zone_uris=list(block.zones), reserved=block.reserved,
        sharing_capable=block.sharing_capable)


def system_record(block):
    """The System record of a block that holds a Compute part."""
    cpus = [p for p in block.processors if p['type'] in (None, 'CPU')]
    first = cpus[0] if cpus else {}
    return base.System(
        uri=block.uri, name=block.name, state=block.state,
        node_uri=block.node_uri, rack_uri=_first(block.chassis),
        processor_model=first.get('model'),
        processors=len(cpus),
        cores=int(sum(p['cores'] or 0 for p in cpus)),
        arch=first.get('arch'),
        memory_mib=int(sum(m['capacity_mib'] or 0
                           for m in block.contents['Memory'])),
        local_gb=int(sum(d['capacity_bytes'] or 0
                         for d in block.drives) // GIB),
        mac_addresses=[n['mac_address'] for n in block.nics
                       if n['mac_address']])


def device_record(block):
    """The Device record of a pooled (non-compute) block."""
    kind, item = device_kind(block)
    properties = {'block_types': list(block.types)}
    if block.drives:
        properties['capacity_gib'] = int(sum(
            d['capacity_bytes'] or 0 for d in block.drives) // GIB)
        properties['drives'] = len(block.drives)
        for key in ('media_type', 'protocol', 'serial_number'):
            if block.drives[0][key]:
                properties[key] = block.drives[0][key]
    if block.nics:
        properties['ports'] = len(block.nics)
        if block.nics[0]['mac_address']:
            properties['mac_address'] = block.nics[0]['mac_address']
        speeds = [n['speed_mbps'] for n in block.nics if n['speed_mbps']]
        if speeds:
            properties['speed_mbps'] = max(speeds)
    if kind in (base.GPU, base.FPGA):
        properties['cores'] = item['cores']
        properties['speed_mhz'] = item['speed_mhz']
    memory_mib = sum(m['capacity_mib'] or 0 for m in block.contents['Memory'])
    if memory_mib:
        properties['memory_mib'] = memory_mib
    return base.Device(
        uri=block.uri, name=block.name, type=kind, state=block.state,
        node_uri=block.node_uri, rack_uri=_first(block.chassis),
        vendor=item.get('manufacturer'), model=item.get('model'),
        zone_uri=_first(block.zones),
        properties={k: v for k, v in properties.items() if v is not None})


def device_kind(block):
    """``(device type, summary of the part that decided it)``.

    Accelerators first: a PCIe expansion tray with an FPGA and a drive is
    wanted for its FPGA.
    """
    for wanted in (base.GPU, base.FPGA):
        for item in block.processors:
            if item['type'] == wanted:
                return wanted, item
    for wanted in (base.NVME, base.SSD):
        for item in block.drives:
            if drive_type(item) == wanted:
                return wanted, item
    if block.nics:
        return base.NIC, {}
    return base.OTHER, {}


def storage_records(block):
    """Storage records of the drives of a pooled block."""
    return [base.Storage(
        uri=d['uri'], name=d['name'] or d['model'] or d['uri'],
        kind='drive', state=block.state, node_uri=block.node_uri,
        rack_uri=_first(block.chassis),
        capacity_gib=int((d['capacity_bytes'] or 0) // GIB),
        protocol=d['protocol'], media_type=d['media_type'],
        vendor=d['manufacturer'], model=d['model'])
        for d in block.drives]


def _first(uris):
    return uris[0] if uris else None
