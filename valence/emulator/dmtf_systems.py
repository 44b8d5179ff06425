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

"""Composed systems of the DMTF personality, and how they come and go.

``POST Systems`` composes (specific or constrained, see
``dmtf_compose.py``), ``AddResourceBlock`` and ``RemoveResourceBlock``
expand and shrink a system, ``DELETE`` decomposes it. Every change runs
with the pod lock held, so two requests never get the same block.
"""

import uuid

from valence.emulator import dmtf_compose as compose
from valence.emulator import dmtf_errors as errors
from valence.emulator import dmtf_inventory as inv
from valence.emulator import pod as pod_module
from valence.emulator import redfish
from valence.emulator import routing

SYSTEMS = inv.SYSTEMS
SPECIFIC_CAPABILITIES = SYSTEMS + '/Capabilities'
CONSTRAINED_CAPABILITIES = SYSTEMS + '/ConstrainedCompositionCapabilities'
RESET_TYPES = ('On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart',
               'ForceRestart', 'PowerCycle')
_POWER_AFTER = {'On': 'On', 'ForceOff': 'Off', 'GracefulShutdown': 'Off',
                'GracefulRestart': 'On', 'ForceRestart': 'On',
                'PowerCycle': 'On'}
_SUBORDINATES = {
    'Processors': ('#ProcessorCollection.ProcessorCollection',
                   'Processors Collection'),
    'Memory': ('#MemoryCollection.MemoryCollection', 'Memory Collection'),
    'EthernetInterfaces': (
        '#EthernetInterfaceCollection.EthernetInterfaceCollection',
        'Ethernet Interface Collection'),
    'Storage': ('#StorageCollection.StorageCollection',
                'Storage Collection'),
}
_WRITABLE = ('Boot', 'HostName')
_ADD = 'ComputerSystem.AddResourceBlock'
_REMOVE = 'ComputerSystem.RemoveResourceBlock'


def collection_capabilities(related=()):
    """The ``@Redfish.CollectionCapabilities`` of how to POST Systems."""
    def capability(uri, use_case):
        return {'CapabilitiesObject': inv.link(uri), 'UseCase': use_case,
                'Links': {'TargetCollection': inv.link(SYSTEMS),
                          'RelatedItem': inv.links(related)}}
    return {
        '@odata.type': '#CollectionCapabilities.v1_4_1.'
                       'CollectionCapabilities',
        'Capabilities': [
            capability(SPECIFIC_CAPABILITIES, 'ComputerSystemComposition'),
            capability(CONSTRAINED_CAPABILITIES,
                       'ComputerSystemConstrainedComposition'),
        ],
    }


def summary(blocks):
    """What a system made of ``blocks`` has: CPUs, memory, its blocks."""
    compute = [b for b in blocks if b.kind == 'compute']
    doc = {'ProcessorSummary': {'Count': 0, 'CoreCount': 0,
                                'LogicalProcessorCount': 0},
           'MemorySummary': {'TotalSystemMemoryGiB': 0}}
    if compute:
        spec = inv.COMPUTE_SPECS[compute[0].spec]
        doc['ProcessorSummary'] = {
            'Count': spec['sockets'],
            'CoreCount': spec['sockets'] * spec['cores'],
            'LogicalProcessorCount': spec['sockets'] * spec['threads'],
            'Model': spec['model'],
        }
        doc['MemorySummary'] = {
            'TotalSystemMemoryGiB': spec['dimms'] * spec['dimm_mib'] // 1024}
    doc['Links'] = {'ResourceBlocks': inv.links(b.uri for b in blocks)}
    return doc


class Systems(inv.Records):
    """The composed systems of one pod and their handlers."""

    def __init__(self, pod, settings):
        self.pod = pod
        # Service-wide settings shared with the CompositionService.
        self.settings = settings

    def add_routes(self, add):
        add('GET', SYSTEMS, self.list_systems)
        add('POST', SYSTEMS, self.create_system)
        add('GET', SPECIFIC_CAPABILITIES, self.get_specific_capabilities)
        add('GET', CONSTRAINED_CAPABILITIES,
            self.get_constrained_capabilities)
        system = SYSTEMS + '/{system}'
        add('GET', system, self.get_system)
        add('PATCH', system, self.patch_system)
        add('DELETE', system, self.delete_system)
        for name in _SUBORDINATES:
            add('GET', system + '/' + name, self._subordinates(name))
        actions = system + '/Actions/ComputerSystem.'
        add('POST', actions + 'Reset', self.reset_system)
        add('POST', actions + 'AddResourceBlock', self.add_block)
        add('POST', actions + 'RemoveResourceBlock', self.remove_block)

    # -- state --------------------------------------------------------------

    def dump(self):
        # Copies: the dump may be serialised after the pod lock is gone.
        return {'systems': [dict(r, blocks=list(r['blocks']),
                                 boot=dict(r['boot']))
                            for r in self.records.values()],
                'next_system': self.next_number}

    def load(self, state):
        self.next_number = state.get('next_system', self.next_number)
        for saved in state.get('systems', []):
            record = dict(saved)
            record['blocks'] = [b for b in record['blocks']
                                if self.inv.block(b) is not None]
            for block_id in record['blocks']:
                self.inv.hold(self.inv.block(block_id), system=record['id'])
            self.records[record['id']] = record

    def allocations(self):
        return {inv.BLOCKS + '/' + b: SYSTEMS + '/' + r['id']
                for r in self.records.values() for b in r['blocks']}

    def forget_block(self, block):
        """``block`` vanishes: its system loses it."""
        record = self.records.get(block.system)
        if record is not None:
            record['blocks'].remove(block.id)

    # -- composition, shared with the Compose action ----------------------

    def parse(self, doc, pointer):
        return compose.parse_request(doc, pointer, self.inv,
                                     self.settings['AllowOverprovisioning'])

    def plan(self, plan, request, vanish=False):
        """Choose the blocks of ``request`` in ``plan``, or refuse.

        ``vanish``: the blocks are about to be taken, so the vanishing
        device fault may strike (not for a preview or a reservation).
        """
        if request.uris is not None:
            if vanish:
                self._maybe_vanish(request.uris)
            blocks = plan.specific(request.uris, request.pointer)
        else:
            blocks = plan.constrained(request)
        plan.take(blocks)
        return blocks

    def compose(self, request, blocks, user):
        """Make the system; ``blocks`` were planned, so they are free."""
        number = self.next_number
        self.next_number += 1
        system_id = 'Composed-%d' % number
        boot = {'target': 'None', 'enabled': 'Disabled'}
        boot.update(request.boot)
        record = {
            'id': system_id,
            'name': request.name or 'Composed System %d' % number,
            'description': request.description,
            'hostname': request.hostname,
            'uuid': str(uuid.uuid5(uuid.NAMESPACE_URL, 'valence-emulator:'
                                   'dmtf:%s:%s' % (self.pod.seed,
                                                   system_id))),
            'zone': blocks[0].zone,
            'blocks': [b.id for b in blocks],
            'power': 'Off',
            'boot': boot,
            'client': user,
        }
        for block in blocks:
            self.inv.hold(block, system=system_id)
        self.records[system_id] = record
        return record

    def decompose(self, record):
        """Every block of the system goes back to the free pool."""
        for block_id in record['blocks']:
            self.inv.hold(self.inv.block(block_id))
        del self.records[record['id']]

    def blocks_of(self, record):
        return [self.inv.block(b) for b in record['blocks']]

    def _maybe_vanish(self, uris):
        """The vanishing-device fault: a named block leaves the pod."""
        if not self.pod.faults.vanish_now():
            return
        named = [self.inv.block_by_uri(u) for u in uris]
        named = [b for b in named if b is not None]
        # A pooled device rather than the compute sled, when there is one.
        devices = [b for b in named if b.kind != 'compute'] or named
        if devices:
            self.pod.personality.vanish_block(devices[-1])

    # -- documents ----------------------------------------------------------

    def doc(self, record):
        uri = SYSTEMS + '/' + record['id']
        blocks = self.blocks_of(record)
        healthy = any(b.kind == 'compute' for b in blocks)
        doc = {
            '@odata.id': uri,
            '@odata.type': '#ComputerSystem.v1_27_0.ComputerSystem',
            'Id': record['id'],
            'Name': record['name'],
            'SystemType': 'Composed',
            'UUID': record['uuid'],
            'PowerState': record['power'],
            # A system whose compute block vanished cannot run.
            'Status': dict(inv.OK) if healthy else {
                'State': 'UnavailableOffline', 'Health': 'Critical'},
            'Boot': {
                'BootSourceOverrideTarget': record['boot']['target'],
                'BootSourceOverrideEnabled': record['boot']['enabled'],
                'BootSourceOverrideTarget@Redfish.AllowableValues':
                    list(compose.BOOT_TARGETS),
            },
            'Composition': {'UseCases': ['ExpandableSystem']},
        }
        doc.update(summary(blocks))
        doc['Links']['Chassis'] = [inv.link(self.inv.rack_uri(
            record['zone']))]
        for name in _SUBORDINATES:
            doc[name] = inv.link(uri + '/' + name)
        for key, prop in (('description', 'Description'),
                          ('hostname', 'HostName')):
            if record[key] is not None:
                doc[prop] = record[key]
        actions = uri + '/Actions/ComputerSystem.'
        doc['Actions'] = {
            '#ComputerSystem.Reset': {
                'target': actions + 'Reset',
                'ResetType@Redfish.AllowableValues': list(RESET_TYPES)},
            '#' + _ADD: {'target': actions + 'AddResourceBlock'},
            '#' + _REMOVE: {'target': actions + 'RemoveResourceBlock'},
        }
        return doc

    def preview(self, request, blocks):
        """What a system composed from ``blocks`` would look like."""
        doc = {'@odata.type': '#ComputerSystem.v1_27_0.ComputerSystem',
               'Name': request.name or 'Composed System',
               'SystemType': 'Composed'}
        doc.update(summary(blocks))
        return doc

    # -- handlers -----------------------------------------------------------

    def list_systems(self, req):
        return redfish.collection(
            req, self.pod, SYSTEMS,
            '#ComputerSystemCollection.ComputerSystemCollection',
            'Computer System Collection',
            redfish.UriList(SYSTEMS, list(self.records)),
            extra={'@Redfish.CollectionCapabilities':
                   collection_capabilities()})

    def create_system(self, req):
        """Compose; on success return 201 with the system and Location."""
        request = self.parse(req.json_object(), '#')
        blocks = self.plan(compose.Plan(self.inv), request, vanish=True)
        if self.pod.faults.take_failure('compose'):
            raise errors.failed('compose the system')
        record = self.compose(request, blocks, req.user)
        return routing.Response.created(SYSTEMS + '/' + record['id'],
                                        self.doc(record))

    def get_system(self, req, system):
        return self.doc(self._record(req, system))

    def patch_system(self, req, system):
        record = self._record(req, system)
        body = req.json_object()
        current = self.doc(record)
        for key in body:
            if key in _WRITABLE or key.startswith('@odata.'):
                continue
            if key in current:
                raise errors.not_writable(key, '#/' + key)
            raise errors.unknown_property(key, '#/' + key)
        if 'HostName' in body and not isinstance(body['HostName'], str):
            raise errors.bad_type(body['HostName'], 'HostName', '#/HostName')
        boot = compose.parse_boot(body.get('Boot', {}), '#/Boot')
        record['boot'].update(boot)
        if 'HostName' in body:
            record['hostname'] = body['HostName']
        return self.doc(record)

    def delete_system(self, req, system):
        """Decompose; on success return 204, the blocks are free again."""
        self.decompose(self._record(req, system))
        return routing.Response.no_content()

    def reset_system(self, req, system):
        record = self._record(req, system)
        body = req.json_object()
        action = 'ComputerSystem.Reset'
        if 'ResetType' not in body:
            raise errors.action_missing(action, 'ResetType')
        if body['ResetType'] not in RESET_TYPES:
            raise errors.action_bad_value(body['ResetType'], 'ResetType',
                                          action)
        record['power'] = _POWER_AFTER[body['ResetType']]
        return routing.Response.no_content()

    def add_block(self, req, system):
        """Expand the system by one free block of its zone (204)."""
        record, body, uri = self._block_action(req, system, _ADD)
        self._maybe_vanish([uri])
        block = self.inv.block_by_uri(uri)
        if block is None:
            raise errors.block_not_found(uri, '#/ResourceBlock')
        self._check_etag(body, 'ResourceBlockETag', block.uri, _ADD)
        if block.system == record['id']:
            raise errors.block_in_use(uri, 'this system', '#/ResourceBlock')
        compose.Plan(self.inv).check_usable(block, '#/ResourceBlock')
        if block.kind == 'compute':
            raise errors.action_invalid(
                'ResourceBlock', _ADD, 'a composed system has exactly one '
                'Compute resource block')
        if block.zone != record['zone']:
            raise errors.zones_differ('#/ResourceBlock')
        if self.pod.faults.take_failure('add_resource_block'):
            raise errors.failed('add the resource block')
        self.inv.hold(block, system=record['id'])
        record['blocks'].append(block.id)
        return routing.Response.no_content()

    def remove_block(self, req, system):
        """Shrink the system; the block goes back to the free pool (204)."""
        record, body, uri = self._block_action(req, system, _REMOVE)
        block = self.inv.block_by_uri(uri)
        if block is None or block.system != record['id']:
            raise errors.action_invalid(
                'ResourceBlock', _REMOVE, '%s is not a resource block of '
                'this system' % uri)
        self._check_etag(body, 'ResourceBlockETag', block.uri, _REMOVE)
        if block.kind == 'compute':
            raise errors.action_invalid(
                'ResourceBlock', _REMOVE, 'the Compute resource block '
                'cannot be removed; DELETE the system to decompose it')
        if self.pod.faults.take_failure('remove_resource_block'):
            raise errors.failed('remove the resource block')
        self.inv.hold(block)
        record['blocks'].remove(block.id)
        return routing.Response.no_content()

    def get_specific_capabilities(self, req):
        return {
            '@odata.id': SPECIFIC_CAPABILITIES,
            '@odata.type': '#ComputerSystem.v1_27_0.ComputerSystem',
            'Id': 'Capabilities',
            'Name': 'Capabilities of specific composition',
            'Description': 'POST to Systems with the resource blocks of the '
                           'new system in Links.ResourceBlocks.',
            **_common_capabilities(),
            'Links@Redfish.RequiredOnCreate': True,
            'Links': {'ResourceBlocks@Redfish.RequiredOnCreate': True},
        }

    def get_constrained_capabilities(self, req):
        # DMTF's mockup describes each requirement item inside embedded
        # Processors, Memory... objects; those are navigation properties,
        # which the Redfish Service Validator only accepts as references,
        # so the items are described in words and only annotated here.
        return {
            '@odata.id': CONSTRAINED_CAPABILITIES,
            '@odata.type': '#ComputerSystem.v1_27_0.ComputerSystem',
            'Id': 'ConstrainedCompositionCapabilities',
            'Name': 'Capabilities of constrained composition',
            'Description': (
                'POST to Systems the wanted items as Members of Processors '
                '(ProcessorType CPU, GPU or FPGA; TotalCores, Model, '
                'Manufacturer, InstructionSet, MaxSpeedMHz), Memory '
                '(CapacityMiB; MemoryType, MemoryDeviceType, '
                'OperatingSpeedMhz), Storage (Drives: CapacityBytes; '
                'MediaType, Protocol, Model, Manufacturer) and '
                'EthernetInterfaces (SpeedMbps, FullDuplex), each with '
                '@Redfish.RequestedCount. Add '
                '@Redfish.AllowOverprovisioning true to treat numbers as '
                'minimums, @Redfish.ZoneAffinity to pick the zone.'),
            **_common_capabilities(),
            'Processors@Redfish.OptionalOnCreate': True,
            'Memory@Redfish.OptionalOnCreate': True,
            'Storage@Redfish.OptionalOnCreate': True,
            'EthernetInterfaces@Redfish.OptionalOnCreate': True,
        }

    # -- helpers --------------------------------------------------------------

    def _subordinates(self, name):
        odata_type, title = _SUBORDINATES[name]

        def handler(req, system):
            record = self._record(req, system)
            uris = []
            for block in self.blocks_of(record):
                uris.extend(inv.members(block, name))
            return redfish.collection(req, self.pod, req.path, odata_type,
                                      title, uris)
        return handler

    def _block_action(self, req, system, action):
        """``(record, body, block URI)`` of Add/RemoveResourceBlock."""
        record = self._record(req, system)
        body = req.json_object()
        uri = self._block_param(body, action)
        self._check_etag(body, 'ComputerSystemETag', req.path, action)
        return record, body, uri

    def _block_param(self, body, action):
        if 'ResourceBlock' not in body:
            raise errors.action_missing(action, 'ResourceBlock')
        value = body['ResourceBlock']
        uri = value.get('@odata.id') if isinstance(value, dict) else None
        if not isinstance(uri, str):
            raise errors.action_bad_type(value, 'ResourceBlock', action)
        for key in body:
            if key not in ('ResourceBlock', 'ResourceBlockETag',
                           'ComputerSystemETag'):
                raise errors.action_invalid(key, action, 'unknown parameter')
        return uri

    def _check_etag(self, body, param, uri, action):
        """Refuse (428) when the ETag parameter names an old version."""
        given = body.get(param)
        if given is None:
            return
        if not isinstance(given, str):
            raise errors.action_bad_type(given, param, action)
        current = self.pod.render(uri.split('/Actions/')[0])
        tag = pod_module.etag_of(pod_module.encode(current))
        if given.strip().removeprefix('W/') != tag:
            raise errors.stale_etag(param)


def _common_capabilities():
    return {
        'Name@Redfish.OptionalOnCreate': True,
        'Name@Redfish.SetOnlyOnCreate': True,
        'Description@Redfish.OptionalOnCreate': True,
        'Description@Redfish.SetOnlyOnCreate': True,
        'HostName@Redfish.OptionalOnCreate': True,
        'HostName@Redfish.UpdatableAfterCreate': True,
        'Boot@Redfish.OptionalOnCreate': True,
        'Boot': {
            'BootSourceOverrideEnabled@Redfish.OptionalOnCreate': True,
            'BootSourceOverrideEnabled@Redfish.UpdatableAfterCreate': True,
            'BootSourceOverrideTarget@Redfish.OptionalOnCreate': True,
            'BootSourceOverrideTarget@Redfish.UpdatableAfterCreate': True,
            'BootSourceOverrideTarget@Redfish.AllowableValues':
                list(compose.BOOT_TARGETS),
        },
    }
