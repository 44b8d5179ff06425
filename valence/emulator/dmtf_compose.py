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

"""Composition requests of the DMTF personality: parse, then plan.

A request is a ComputerSystem document, POSTed to ``Systems`` or carried
by a ``ComposeSystem`` stanza of the ``Compose`` action. It is either
specific (``Links.ResourceBlocks`` names the blocks) or constrained
(``Processors``, ``Memory``, ``Storage`` and ``EthernetInterfaces`` list
requirements, each with ``@Redfish.RequestedCount``); mixing both is
refused. A :class:`Plan` chooses blocks without changing the pod, so that
a manifest of several stanzas is checked whole before anything is applied.

Matching rules where DMTF leaves the choice to the service: a composed
system has exactly one Compute block, and its CPU and memory requirements
are matched against that block; GPU, FPGA, drive and Ethernet requirements
take one pooled block per requested item. Unless the request says
``@Redfish.AllowOverprovisioning: true`` (and the service allows it),
counts and numbers must match exactly; with it they are minimums. Strings
always match exactly. All blocks come from one zone.
"""

import itertools

from valence.emulator import dmtf_errors as errors
from valence.emulator import dmtf_inventory as inv

BOOT_TARGETS = ('None', 'Pxe', 'Hdd', 'Cd', 'Usb', 'BiosSetup')
BOOT_ENABLED = ('Disabled', 'Once', 'Continuous')

_TOP_KEYS = ('Name', 'Description', 'HostName', 'Boot', 'Links',
             'Processors', 'Memory', 'Storage', 'EthernetInterfaces',
             '@Redfish.AllowOverprovisioning', '@Redfish.ZoneAffinity')
_CONSTRAINTS = ('Processors', 'Memory', 'Storage', 'EthernetInterfaces')
_PROCESSOR_TYPES = {'CPU': 'cpu', 'GPU': 'gpu', 'FPGA': 'fpga'}

# Requirement properties a client may give, with their JSON types.
_PROPS = {
    'processor': {'ProcessorType': str, 'TotalCores': int, 'Model': str,
                  'Manufacturer': str, 'InstructionSet': str,
                  'MaxSpeedMHz': int},
    'memory': {'CapacityMiB': int, 'MemoryType': str,
               'MemoryDeviceType': str, 'OperatingSpeedMhz': int},
    'drive': {'CapacityBytes': int, 'MediaType': str, 'Protocol': str,
              'Model': str, 'Manufacturer': str},
    'ethernet': {'SpeedMbps': int, 'FullDuplex': bool},
}
_REQUIRED = {'processor': ('ProcessorType',), 'memory': ('CapacityMiB',),
             'drive': ('CapacityBytes',), 'ethernet': ()}
#: Requirement kind -> (block kind, Redfish type named in errors).
_DEVICE_KIND = {'gpu': ('gpu', 'Processor'), 'fpga': ('fpga', 'Processor'),
                'drive': ('storage', 'Drive'),
                'ethernet': ('network', 'EthernetInterface')}
_COUNT = '@Redfish.RequestedCount'


class Requirement:
    """``count`` items of ``kind`` with ``props``, from ``pointer``."""

    def __init__(self, kind, count, props, pointer):
        self.kind = kind
        self.count = count
        self.props = props
        self.pointer = pointer

    def describe(self, exact):
        noun = {'cpu': 'CPU', 'memory': 'DIMM', 'gpu': 'GPU',
                'fpga': 'FPGA', 'drive': 'drive',
                'ethernet': 'Ethernet interface'}[self.kind]
        text = '%d x %s' % (self.count, noun)
        shown = [(k, v) for k, v in sorted(self.props.items())
                 if k != 'ProcessorType']
        if shown:
            words = ['%s %s%r' % (k, '' if exact or not _numeric(v)
                                  else 'at least ', v) for k, v in shown]
            text += ' with ' + ', '.join(words)
        return text


class Request:
    """What a composition request asks for, checked for shape."""

    def __init__(self):
        self.name = None
        self.description = None
        self.hostname = None
        self.boot = {}
        self.uris = None
        self.requirements = []
        self.exact = True
        self.zone = None
        self.pointer = '#'


def _numeric(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is(value, kind):
    if kind is int:
        return _numeric(value)
    return isinstance(value, kind)


def _object(value, prop, pointer):
    if not isinstance(value, dict):
        raise errors.bad_type(value, prop, pointer)
    return value


def _list(value, prop, pointer):
    if not isinstance(value, list) or not value:
        raise errors.bad_type(value, prop, pointer)
    return value


def parse_boot(boot, pointer):
    """``{'target', 'enabled'}`` changes from a ``Boot`` object."""
    _object(boot, 'Boot', pointer)
    changes = {}
    for key, allowed, name in (
            ('BootSourceOverrideTarget', BOOT_TARGETS, 'target'),
            ('BootSourceOverrideEnabled', BOOT_ENABLED, 'enabled')):
        if key in boot:
            if boot[key] not in allowed:
                raise errors.not_in_list(boot[key], key,
                                         pointer + '/' + key)
            changes[name] = boot[key]
    for key in boot:
        if key not in ('BootSourceOverrideTarget',
                       'BootSourceOverrideEnabled'):
            raise errors.unknown_property(key, pointer + '/' + key)
    return changes


def parse_request(doc, pointer, inventory, overprovisioning_allowed):
    """A :class:`Request` from a ComputerSystem composition document."""
    _object(doc, 'Request', pointer)
    request = Request()
    request.pointer = pointer
    for key in doc:
        if key not in _TOP_KEYS and not key.startswith('@odata.'):
            raise errors.unknown_property(key, '%s/%s' % (pointer, key))
    for key in ('Name', 'Description', 'HostName'):
        if key in doc and not isinstance(doc[key], str):
            raise errors.bad_type(doc[key], key, '%s/%s' % (pointer, key))
    request.name = doc.get('Name')
    request.description = doc.get('Description')
    request.hostname = doc.get('HostName')
    if 'Boot' in doc:
        request.boot = parse_boot(doc['Boot'], pointer + '/Boot')
    over = doc.get('@Redfish.AllowOverprovisioning', False)
    if not isinstance(over, bool):
        raise errors.bad_type(over, '@Redfish.AllowOverprovisioning',
                              pointer + '/@Redfish.AllowOverprovisioning')
    request.exact = not (over and overprovisioning_allowed)
    if '@Redfish.ZoneAffinity' in doc:
        request.zone = inventory.zone_index(doc['@Redfish.ZoneAffinity'])
        if request.zone is None:
            raise errors.not_in_list(doc['@Redfish.ZoneAffinity'],
                                     '@Redfish.ZoneAffinity',
                                     pointer + '/@Redfish.ZoneAffinity')
    request.uris = _parse_links(doc, pointer)
    request.requirements = _parse_requirements(doc, pointer)
    constrained = [k for k in _CONSTRAINTS if k in doc]
    if request.uris is not None and constrained:
        raise errors.conflict('Links/ResourceBlocks', constrained[0],
                              pointer + '/' + constrained[0])
    if request.uris is None and not constrained:
        raise errors.missing('Links/ResourceBlocks',
                             pointer + '/Links/ResourceBlocks')
    return request


def _parse_links(doc, pointer):
    if 'Links' not in doc:
        return None
    links = _object(doc['Links'], 'Links', pointer + '/Links')
    for key in links:
        if key != 'ResourceBlocks' and not key.startswith('ResourceBlocks@'):
            raise errors.unknown_property(
                'Links/' + key, '%s/Links/%s' % (pointer, key))
    if 'ResourceBlocks' not in links:
        return None
    where = pointer + '/Links/ResourceBlocks'
    uris = []
    for n, item in enumerate(_list(links['ResourceBlocks'],
                                   'Links/ResourceBlocks', where)):
        uri = item.get('@odata.id') if isinstance(item, dict) else None
        if not isinstance(uri, str):
            raise errors.bad_type(item, 'Links/ResourceBlocks',
                                  '%s/%d' % (where, n))
        uris.append(uri)
    return uris


def _members(doc, key, pointer):
    """``[(pointer, member)]`` of a requirement collection ``key``."""
    where = '%s/%s' % (pointer, key)
    collection = _object(doc[key], key, where)
    for name in collection:
        if name != 'Members' and not name.startswith('@odata.'):
            raise errors.unknown_property('%s/%s' % (key, name),
                                          '%s/%s' % (where, name))
    if 'Members' not in collection:
        raise errors.missing(key + '/Members', where + '/Members')
    found = []
    for n, member in enumerate(_list(collection['Members'],
                                     key + '/Members', where + '/Members')):
        here = '%s/Members/%d' % (where, n)
        found.append((here, _object(member, key + '/Members', here)))
    return found


def _item(member, family, pointer):
    """``(count, props)`` of one requirement item, checked."""
    allowed = _PROPS[family]
    props = {}
    for key, value in member.items():
        if key == _COUNT or key.startswith('@odata.'):
            continue
        if key not in allowed:
            raise errors.unknown_property(key, '%s/%s' % (pointer, key))
        if not _is(value, allowed[key]):
            raise errors.bad_type(value, key, '%s/%s' % (pointer, key))
        props[key] = value
    for key in _REQUIRED[family]:
        if key not in props:
            raise errors.missing(key, '%s/%s' % (pointer, key))
    return _count(member, pointer), props


def _count(member, pointer, required=True):
    """The ``@Redfish.RequestedCount`` of a requirement item."""
    count = member.get(_COUNT)
    if count is None and not required:
        return 1
    if count is None:
        raise errors.missing(_COUNT, '%s/%s' % (pointer, _COUNT))
    if not _numeric(count) or count < 1:
        raise errors.bad_type(count, _COUNT, '%s/%s' % (pointer, _COUNT))
    return count


def _parse_requirements(doc, pointer):
    found = []
    if 'Processors' in doc:
        for here, member in _members(doc, 'Processors', pointer):
            count, props = _item(member, 'processor', here)
            kind = _PROCESSOR_TYPES.get(props['ProcessorType'])
            if kind is None:
                raise errors.not_in_list(props['ProcessorType'],
                                         'ProcessorType',
                                         here + '/ProcessorType')
            found.append(Requirement(kind, count, props, here))
    if 'Memory' in doc:
        for here, member in _members(doc, 'Memory', pointer):
            count, props = _item(member, 'memory', here)
            found.append(Requirement('memory', count, props, here))
    if 'Storage' in doc:
        found.extend(_drive_requirements(doc, pointer))
    if 'EthernetInterfaces' in doc:
        for here, member in _members(doc, 'EthernetInterfaces', pointer):
            count, props = _item(member, 'ethernet', here)
            found.append(Requirement('ethernet', count, props, here))
    return found


def _drive_requirements(doc, pointer):
    found = []
    for here, member in _members(doc, 'Storage', pointer):
        for key in member:
            if key not in (_COUNT, 'Drives') and not key.startswith('@odata.'):
                raise errors.unknown_property(key, '%s/%s' % (here, key))
        # A Storage member is a group of drives: its count multiplies.
        groups = _count(member, here, required=False)
        if 'Drives' not in member:
            raise errors.missing('Drives', here + '/Drives')
        drives = _list(member['Drives'], 'Drives', here + '/Drives')
        for n, drive in enumerate(drives):
            at = '%s/Drives/%d' % (here, n)
            count, props = _item(_object(drive, 'Drives', at), 'drive', at)
            found.append(Requirement('drive', count * groups, props, at))
    return found


# -- what blocks offer ------------------------------------------------------

def _offer(block, kind):
    """``(count, {property: value})`` that ``block`` offers for ``kind``."""
    if kind in ('cpu', 'memory'):
        spec = inv.COMPUTE_SPECS[block.spec]
        if kind == 'cpu':
            return spec['sockets'], {
                'ProcessorType': 'CPU', 'TotalCores': spec['cores'],
                'Model': spec['model'], 'Manufacturer': spec['maker'],
                'InstructionSet': 'x86-64', 'MaxSpeedMHz': spec['mhz']}
        return spec['dimms'], {
            'CapacityMiB': spec['dimm_mib'], 'MemoryType': 'DRAM',
            'MemoryDeviceType': 'DDR4', 'OperatingSpeedMhz': spec['dimm_mhz']}
    if kind in ('gpu', 'fpga'):
        _, spec, proc_type = block.processors()[0]
        return 1, {'ProcessorType': proc_type, 'TotalCores': spec['cores'],
                   'Model': spec['model'], 'Manufacturer': spec['maker'],
                   'MaxSpeedMHz': spec['mhz']}
    if kind == 'drive':
        _, spec = block.drives()[0]
        return 1, {'CapacityBytes': spec['bytes'], 'MediaType': 'SSD',
                   'Protocol': 'NVMe', 'Model': spec['model'],
                   'Manufacturer': spec['maker']}
    _, spec = block.nics()[0]
    return 1, {'SpeedMbps': spec['mbps'], 'FullDuplex': True}


def _fits(have, want, exact):
    if _numeric(want) and not exact:
        return have >= want
    return have == want


def _matches(block, requirement, exact, count=None):
    offered, values = _offer(block, requirement.kind)
    wanted = requirement.count if count is None else count
    if not _fits(offered, wanted, exact):
        return False
    return all(_fits(values.get(k), v, exact)
               for k, v in requirement.props.items())


def _compute_fits(block, requirements, exact):
    # Several CPU (or memory) items all describe the one compute block:
    # their counts add up and each item's properties must hold.
    for kind in ('cpu', 'memory'):
        items = [r for r in requirements if r.kind == kind]
        total = sum(r.count for r in items)
        if any(not _matches(block, r, exact, total) for r in items):
            return False
    return True


class Plan:
    """Blocks chosen for the stanzas of one request, pod unchanged.

    ``reservation`` is the id of the reservation being applied: its
    blocks are usable by this plan and by no other.
    """

    def __init__(self, inventory, reservation=None):
        self.inv = inventory
        self.reservation = reservation
        self.taken = set()
        # Blocks of systems that an earlier stanza decomposes.
        self.released = {}

    def usable(self, block):
        if block.id in self.taken:
            return False
        if block.reservation not in (None, self.reservation):
            return False
        return block.system is None or block.id in self.released

    def release(self, blocks):
        for block in blocks:
            self.released[block.id] = None

    def take(self, blocks):
        self.taken.update(b.id for b in blocks)

    # -- specific -------------------------------------------------------

    def specific(self, uris, pointer):
        """The blocks ``uris`` name, when they may form one system."""
        where = pointer + '/Links/ResourceBlocks'
        blocks = []
        seen = set()
        for n, uri in enumerate(uris):
            here = '%s/%d' % (where, n)
            block = self.inv.block_by_uri(uri)
            if block is None:
                raise errors.block_not_found(uri, here)
            if block.id in seen:
                raise errors.block_invalid(uri, 'it is listed twice', here)
            seen.add(block.id)
            self.check_usable(block, here)
            blocks.append(block)
        computes = [b for b in blocks if b.kind == 'compute']
        if len(computes) != 1:
            uri = computes[1].uri if computes else blocks[0].uri
            raise errors.block_invalid(
                uri, 'a composed system has exactly one Compute resource '
                'block, this request has %d' % len(computes), where)
        if len({b.zone for b in blocks}) > 1:
            raise errors.zones_differ(where)
        # The compute block first: it is what the system is built on.
        return computes + [b for b in blocks if b.kind != 'compute']

    def check_usable(self, block, pointer):
        """Refuse a block that is in use, reserved or already taken."""
        if self.usable(block):
            return
        if block.id in self.taken:
            raise errors.block_in_use(block.uri, 'another stanza of this '
                                      'manifest', pointer)
        if block.reservation not in (None, self.reservation):
            raise errors.block_reserved(block.uri, block.reservation,
                                        pointer)
        raise errors.block_in_use(block.uri, inv.SYSTEMS + '/'
                                  + block.system, pointer)

    # -- constrained ----------------------------------------------------

    def constrained(self, request):
        """Blocks of one zone that meet every requirement, or 409."""
        if request.zone is not None:
            zones = [request.zone]
        else:
            zones = range(self.inv.zone_count)
        best = (-1, None)
        for zone in zones:
            chosen, satisfied, unmet = self._try_zone(zone, request)
            if chosen is not None:
                return chosen
            if satisfied > best[0]:
                best = (satisfied, unmet)
        unmet = best[1]
        if unmet is None:
            raise errors.unmet('one free Compute resource block', 'Compute',
                               request.pointer)
        kind = {'cpu': 'Processor', 'memory': 'Memory'}.get(
            unmet.kind) or _DEVICE_KIND[unmet.kind][1]
        raise errors.unmet(unmet.describe(request.exact), kind,
                           unmet.pointer)

    def _candidates(self, zone, kind):
        free = self.inv.free_blocks(zone, kind)
        released = (self.inv.block(b) for b in self.released)
        for block in itertools.chain(
                (self.inv.block(b) for b in free),
                (b for b in released if b is not None and b.zone == zone
                 and b.kind == kind)):
            if self.usable(block):
                yield block

    def _try_zone(self, zone, request):
        """``(blocks, satisfied, None)`` or ``(None, satisfied, unmet)``."""
        compute_reqs = [r for r in request.requirements
                        if r.kind in ('cpu', 'memory')]
        compute = next((b for b in self._candidates(zone, 'compute')
                        if _compute_fits(b, compute_reqs, request.exact)),
                       None)
        if compute is None:
            return None, 0, compute_reqs[0] if compute_reqs else None
        chosen = [compute]
        picked = {compute.id}
        devices = [r for r in request.requirements
                   if r.kind not in ('cpu', 'memory')]
        for n, req in enumerate(devices):
            kind = _DEVICE_KIND[req.kind][0]
            found = list(itertools.islice(
                (b for b in self._candidates(zone, kind)
                 if b.id not in picked and _matches(b, req, request.exact,
                                                    1)),
                req.count))
            if len(found) < req.count:
                return None, n + 1, req
            chosen.extend(found)
            picked.update(b.id for b in found)
        return chosen, len(devices) + 1, None
