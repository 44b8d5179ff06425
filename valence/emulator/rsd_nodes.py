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

"""Composed nodes of the RSD pod: Allocate, Assemble, Reset, boot, attach.

A node is allocated whole or not at all: the requirements are matched
against the free pools and every pick is taken before the 201 goes out;
when one requirement cannot be met, nothing is taken and the 409 names it
in ``@Message.ExtendedInfo`` (``RelatedProperties``), as Intel's PODM did.
Handlers run under the pod lock, so two requests never get one resource.

``ComposedNodeState`` goes Allocated (on Allocate) -> Assembling (on
Assemble) -> Assembled once ``ASSEMBLY_SECONDS`` have passed, or Failed
when the ``assemble`` failure point fires. DELETE frees everything.
"""

import time
import uuid

from valence.emulator import redfish
from valence.emulator import routing
from valence.emulator import rsd_inventory as inv

NODES = inv.ROOT + '/Nodes'
ASSEMBLY_SECONDS = 0.5
#: How many free resources an attach action lists as allowable values;
#: attach accepts any free resource, listed or not.
ALLOWABLE_LIMIT = 64
RESET_TYPES = ('On', 'ForceOff', 'GracefulRestart', 'ForceRestart', 'Nmi',
               'ForceOn', 'PushPowerButton', 'GracefulShutdown')
BOOT_TARGETS = ('None', 'Pxe', 'Hdd', 'RemoteDrive')
BOOT_ENABLED = ('Disabled', 'Once', 'Continuous')
BOOT_MODES = ('Legacy', 'UEFI')
_ALLOCATE_KEYS = ('Name', 'Description', 'Processors', 'Memory',
                  'RemoteDrives', 'LocalDrives', 'EthernetInterfaces',
                  'Security', 'TotalSystemCoreCount', 'TotalSystemMemoryMiB',
                  'ClearTPMOnDelete', 'PersistentMemoryOperationOnDelete',
                  'Oem')
_POWER_AFTER = {'On': 'On', 'ForceOn': 'On', 'ForceOff': 'Off',
                'GracefulShutdown': 'Off', 'GracefulRestart': 'On',
                'ForceRestart': 'On', 'Nmi': None, 'PushPowerButton': None}


def _bad_value(path, value, message_id='PropertyValueTypeError'):
    prop = path.replace('/', '.')
    return routing.HTTPError(
        400, "The value '%s' for the property %s is not acceptable."
        % (value, prop), message_id, [value, prop], ['#/' + path])


def _unmet(path, what):
    text = ('There are no %s available for this allocation request: '
            'the requirement %s is not met.' % (what, path))
    return routing.HTTPError(
        409, 'Conflict during allocation', 'ResourceExhaustion',
        extended=[redfish.message('ResourceExhaustion', [path],
                                  ['#/' + path], text=text)])


def _items(body, key):
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict)
                                              for v in value):
        raise _bad_value(key, value)
    return list(enumerate(value))


def _number(entry, key, path):
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad_value(path, value)
    return value


def _system_requirements(body):
    """``[(JSON path, test of a Config)]`` from an Allocate body."""
    tests = []
    cpus = [(i, p) for i, p in _items(body, 'Processors')
            if p.get('ProcessorType', 'CPU') == 'CPU']
    sockets = len(cpus)
    if sockets:
        tests.append(('Processors', lambda c, n=sockets: c.sockets >= n))
    for i, cpu in cpus:
        path = 'Processors/%d/' % i
        if cpu.get('Model') is not None:
            model = str(cpu['Model']).lower()
            tests.append((path + 'Model', lambda c, m=model:
                          m in c.cpu_model.lower()))
        cores = _number(cpu, 'TotalCores', path + 'TotalCores')
        if cores is not None:
            tests.append((path + 'TotalCores',
                          lambda c, v=cores: c.cores >= v))
        speed = _number(cpu, 'AchievableSpeedMHz', path + 'AchievableSpeedMHz')
        if speed is not None:
            tests.append((path + 'AchievableSpeedMHz',
                          lambda c, v=speed: c.speed >= v))
        if cpu.get('InstructionSet') not in (None, 'x86-64'):
            tests.append((path + 'InstructionSet', lambda c: False))
    memory = _items(body, 'Memory')
    total = 0
    for i, dimm in memory:
        path = 'Memory/%d/' % i
        total += _number(dimm, 'CapacityMiB', path + 'CapacityMiB') or 0
        if dimm.get('MemoryDeviceType') not in (None, 'DDR4'):
            tests.append((path + 'MemoryDeviceType', lambda c: False))
        speed = _number(dimm, 'SpeedMHz', path + 'SpeedMHz')
        if speed is not None:
            tests.append((path + 'SpeedMHz', lambda c, v=speed: v <= 2666))
    if total:
        tests.append(('Memory', lambda c, v=total:
                      c.memory_gib * 1024 >= v))
    for key, attr in (('TotalSystemMemoryMiB', 'memory'),
                      ('TotalSystemCoreCount', 'cores')):
        value = _number(body, key, key)
        if value is None:
            continue
        if attr == 'memory':
            tests.append((key, lambda c, v=value: c.memory_gib * 1024 >= v))
        else:
            tests.append((key, lambda c, v=value: c.cores * c.sockets >= v))
    nics = _items(body, 'EthernetInterfaces')
    ports = len(nics)
    if ports:
        tests.append(('EthernetInterfaces', lambda c, n=ports: c.nics >= n))
    for i, nic in nics:
        path = 'EthernetInterfaces/%d/SpeedMbps' % i
        speed = _number(nic, 'SpeedMbps', path)
        if speed is not None:
            tests.append((path, lambda c, v=speed: c.nic_speed >= v))
    return tests


def _device_requests(body):
    """``[(JSON path, kind, minimum GiB, named URI or None)]``."""
    wanted = []
    for i, p in _items(body, 'Processors'):
        if p.get('ProcessorType', 'CPU') == 'FPGA':
            wanted.append(('Processors/%d' % i, 'fpga', 0, None))
        elif p.get('ProcessorType', 'CPU') != 'CPU':
            raise _bad_value('Processors/%d/ProcessorType' % i,
                             p['ProcessorType'], 'PropertyValueNotInList')
    for key, kind in (('LocalDrives', 'nvme'), ('RemoteDrives', 'volume')):
        for i, drive in _items(body, key):
            path = '%s/%d' % (key, i)
            size = _number(drive, 'CapacityGiB', path + '/CapacityGiB') or 0
            if kind == 'nvme':
                if drive.get('Type') not in (None, 'SSD'):
                    wanted.append((path + '/Type', kind, None, None))
                    continue
                if drive.get('Interface') not in (None, 'NVMe'):
                    wanted.append((path + '/Interface', kind, None, None))
                    continue
            resource = drive.get('Resource')
            uri = resource.get('@odata.id') if isinstance(resource,
                                                          dict) else None
            wanted.append((path, kind, size, uri))
    return wanted


class Nodes:
    """The composed nodes of one RSD pod and their handlers."""

    def __init__(self, pod, clock=time.monotonic):
        self.pod = pod
        self.clock = clock
        self.inventory = None
        self.nodes = {}
        self.next_id = 1

    def reset(self, inventory):
        self.inventory = inventory
        self.nodes = {}
        self.next_id = 1

    def add_routes(self, router):
        node = NODES + '/{node}'
        actions = node + '/Actions/'
        router.add('GET', NODES, self.list_nodes)
        router.add('POST', NODES + '/Actions/Allocate', self.allocate)
        router.add('GET', node, self.get_node)
        router.add('PATCH', node, self.patch_node)
        router.add('DELETE', node, self.delete_node)
        router.add('POST', actions + 'ComposedNode.Assemble', self.assemble)
        router.add('POST', actions + 'ComposedNode.Reset', self.reset_node)
        for name in ('AttachEndpoint', 'AttachResource'):
            router.add('POST', actions + 'ComposedNode.' + name, self.attach)
        for name in ('DetachEndpoint', 'DetachResource'):
            router.add('POST', actions + 'ComposedNode.' + name, self.detach)
        router.add('GET', actions + 'AttachResourceActionInfo',
                   self.attach_info)
        router.add('GET', actions + 'DetachResourceActionInfo',
                   self.detach_info)

    # -- state --------------------------------------------------------------

    def dump(self):
        nodes = []
        for node in self.nodes.values():
            node = dict(node)
            node['state'] = self._state(node)
            node.pop('ready_at', None)
            nodes.append(node)
        return {'next_id': self.next_id, 'nodes': nodes}

    def load(self, state):
        self.next_id = state.get('next_id', 1)
        for node in state.get('nodes', []):
            if node['state'] == 'Assembling':
                # The assembly went on while the emulator was down.
                node['state'] = 'Assembled'
            self.inventory.take_system(
                self.inventory.systems[node['system']].config,
                node['system'])
            for number in node['devices']:
                self.inventory.take_device(self.inventory.devices[number])
            self.nodes[node['id']] = node

    def allocations(self):
        result = {}
        for node in self.nodes.values():
            owner = '%s/%s' % (NODES, node['id'])
            result['%s/Systems/%d' % (inv.ROOT, node['system'])] = owner
            for number in node['devices']:
                device = self.inventory.devices[number]
                result[self.inventory.device_uri(device)] = owner
        return result

    def forget_device(self, number):
        """A device vanished: it leaves the node holding it."""
        for node in self.nodes.values():
            if number in node['devices']:
                node['devices'].remove(number)

    # -- handlers -----------------------------------------------------------

    def list_nodes(self, req):
        return redfish.collection(
            req, self.pod, NODES,
            '#ComposedNodeCollection.ComposedNodeCollection',
            'Composed Nodes Collection',
            redfish.UriList(NODES, sorted(self.nodes)),
            {'Actions': {'#ComposedNodeCollection.Allocate': {
                'target': NODES + '/Actions/Allocate'}}})

    def allocate(self, req):
        body = req.json_object()
        for key in body:
            if key not in _ALLOCATE_KEYS:
                raise routing.HTTPError(
                    400, 'The property %s is not in the list of valid '
                    'properties for the resource.' % key, 'PropertyUnknown',
                    [key], ['#/' + key])
        if self.pod.faults.take_failure('allocate'):
            raise routing.HTTPError(500, 'Allocation failed in the pod.',
                                    'InternalError')
        system = self._pick_system(_system_requirements(body))
        devices = self._pick_devices(_device_requests(body))
        # Every requirement is met: only now is anything taken.
        self.inventory.take_system(self.inventory.systems[system].config,
                                   system)
        for device in devices:
            self.inventory.take_device(device)
        node_id = self.next_id
        self.next_id += 1
        self.nodes[node_id] = {
            'id': node_id,
            'name': str(body.get('Name') or 'Composed Node'),
            'description': str(body.get('Description') or ''),
            'uuid': str(uuid.uuid4()),
            'state': 'Allocated',
            'power': 'Off',
            'boot': {'enabled': 'Disabled', 'target': 'None',
                     'mode': 'Legacy'},
            'system': system,
            'devices': [d.number for d in devices],
            'clear_tpm': bool(body.get('ClearTPMOnDelete', True)),
        }
        uri = '%s/%d' % (NODES, node_id)
        return routing.Response.created(uri, self._doc(self.nodes[node_id]))

    def get_node(self, req, node):
        return self._doc(self._node(node))

    def patch_node(self, req, node):
        record = self._node(node)
        body = req.json_object()
        boot = body.get('Boot', {})
        if not isinstance(boot, dict):
            raise _bad_value('Boot', boot)
        checks = (('BootSourceOverrideEnabled', 'enabled', BOOT_ENABLED),
                  ('BootSourceOverrideTarget', 'target', BOOT_TARGETS),
                  ('BootSourceOverrideMode', 'mode', BOOT_MODES))
        changes = {}
        for prop, key, allowed in checks:
            if prop in boot:
                if boot[prop] not in allowed:
                    raise _bad_value('Boot/' + prop, boot[prop],
                                     'PropertyValueNotInList')
                changes[key] = boot[prop]
        for prop in body:
            if prop not in ('Boot', 'Name', 'Description',
                            'ClearTPMOnDelete'):
                raise routing.HTTPError(
                    400, 'The property %s is a read-only property and '
                    'cannot be assigned a value.' % prop,
                    'PropertyNotWritable', [prop], ['#/' + prop])
        record['boot'] = dict(record['boot'], **changes)
        for prop, key in (('Name', 'name'), ('Description', 'description')):
            if prop in body:
                record[key] = str(body[prop])
        if 'ClearTPMOnDelete' in body:
            record['clear_tpm'] = bool(body['ClearTPMOnDelete'])
        return self._doc(record)

    def delete_node(self, req, node):
        record = self._node(node)
        self.inventory.release_system(record['system'])
        for number in record['devices']:
            self.inventory.release_device(self.inventory.devices[number])
        del self.nodes[record['id']]
        return routing.Response.no_content()

    def assemble(self, req, node):
        record = self._node(node)
        if self._state(record) != 'Allocated':
            raise self._busy(record, 'Assemble')
        if self.pod.faults.take_failure('assemble'):
            record['state'] = 'Failed'
            raise routing.HTTPError(500, 'Assembly of node %s failed.'
                                    % record['id'], 'InternalError')
        record['state'] = 'Assembling'
        record['ready_at'] = self.clock() + ASSEMBLY_SECONDS
        return routing.Response.no_content()

    def reset_node(self, req, node):
        record = self._node(node)
        reset_type = req.json_object().get('ResetType')
        action = 'ComposedNode.Reset'
        if reset_type is None:
            raise routing.HTTPError(
                400, 'The action %s requires the parameter ResetType to be '
                'present in the request body.' % action,
                'ActionParameterMissing', [action, 'ResetType'],
                ['#/ResetType'])
        if reset_type not in RESET_TYPES:
            raise routing.HTTPError(
                400, "The value '%s' for the parameter ResetType in the "
                'action %s is not in the list of acceptable values.'
                % (reset_type, action), 'ActionParameterValueNotInList',
                [reset_type, 'ResetType', action], ['#/ResetType'])
        if self._state(record) != 'Assembled':
            raise self._busy(record, 'Reset')
        power = _POWER_AFTER[reset_type]
        if reset_type == 'PushPowerButton':
            power = 'Off' if record['power'] == 'On' else 'On'
        if power is not None:
            record['power'] = power
        return routing.Response.no_content()

    def attach(self, req, node):
        record = self._node(node)
        device = self._resource_param(req, 'Attach')
        if self._state(record) not in ('Allocated', 'Assembled'):
            raise self._busy(record, 'Attach')
        if self.pod.faults.vanish_now():
            self.pod.personality.vanish_device(device)
            raise self._missing(self.inventory.endpoint_uri(device))
        if not self.inventory.is_free(device):
            raise routing.HTTPError(
                409, 'The resource %s is in use by another node.'
                % self.inventory.endpoint_uri(device), 'ResourceInUse',
                related=['#/Resource'])
        if self.pod.faults.take_failure('attach'):
            raise routing.HTTPError(500, 'Attach failed in the pod.',
                                    'InternalError')
        self.inventory.take_device(device)
        record['devices'].append(device.number)
        return routing.Response.no_content()

    def detach(self, req, node):
        record = self._node(node)
        device = self._resource_param(req, 'Detach')
        if device.number not in record['devices']:
            uri = self.inventory.endpoint_uri(device)
            raise routing.HTTPError(
                400, "The value '%s' for the parameter Resource is not "
                'attached to this node.' % uri,
                'ActionParameterValueNotInList',
                [uri, 'Resource', 'ComposedNode.Detach'], ['#/Resource'])
        if self.pod.faults.take_failure('detach'):
            raise routing.HTTPError(500, 'Detach failed in the pod.',
                                    'InternalError')
        record['devices'].remove(device.number)
        self.inventory.release_device(device)
        return routing.Response.no_content()

    def attach_info(self, req, node):
        record = self._node(node)
        return self._action_info(record, 'Attach', self._attachable())

    def detach_info(self, req, node):
        record = self._node(node)
        return self._action_info(record, 'Detach', self._detachable(record))

    # -- helpers ------------------------------------------------------------

    def _node(self, node):
        try:
            record = self.nodes.get(int(node))
        except ValueError:
            record = None
        if record is None:
            raise redfish.not_found('%s/%s' % (NODES, node))
        return record

    def _state(self, record):
        if (record['state'] == 'Assembling'
                and self.clock() >= record['ready_at']):
            record['state'] = 'Assembled'
            del record['ready_at']
        return record['state']

    def _busy(self, record, action):
        return routing.HTTPError(
            409, 'Node %s is %s: %s is not possible now.'
            % (record['id'], self._state(record), action), 'ResourceInUse')

    def _missing(self, uri):
        return routing.HTTPError(
            400, "The resource at the URI '%s' was not found." % uri,
            'ResourceMissingAtURI', [uri], ['#/Resource'])

    def _resource_param(self, req, verb):
        resource = req.json_object().get('Resource')
        action = 'ComposedNode.%sResource' % verb
        if not isinstance(resource, dict) or not isinstance(
                resource.get('@odata.id'), str):
            raise routing.HTTPError(
                400, 'The action %s requires the parameter Resource to be '
                'present in the request body.' % action,
                'ActionParameterMissing', [action, 'Resource'],
                ['#/Resource'])
        device = self.inventory.device_by_uri(resource['@odata.id'])
        if device is None:
            raise self._missing(resource['@odata.id'])
        return device

    def _pick_system(self, tests):
        candidates = [config for config, free in
                      self.inventory.free_systems.items() if free]
        if not candidates:
            raise _unmet('ComputerSystem', 'computer systems')
        for path, test in tests:
            candidates = [c for c in candidates if test(c)]
            if not candidates:
                raise _unmet(path, 'computer systems')
        return next(iter(self.inventory.free_systems[candidates[0]]))

    def _pick_devices(self, wanted):
        picked = []
        for path, kind, size, uri in wanted:
            if size is None:
                raise _unmet(path, 'drives')
            if uri is not None:
                device = self.inventory.device_by_uri(uri)
                if (device is None or device.kind != kind
                        or not self.inventory.is_free(device)
                        or device in picked):
                    raise _unmet(path + '/Resource', 'drives')
            else:
                device = self.inventory.fitting_device(
                    kind, size, {d.number for d in picked})
                if device is None:
                    raise _unmet(path, 'pooled resources')
            picked.append(device)
        return picked

    def _attachable(self):
        free = self.inventory.free_of_kind(inv.DEVICE_KINDS)
        return [{'@odata.id': self.inventory.endpoint_uri(d)}
                for d in redfish.first(free, ALLOWABLE_LIMIT)]

    def _detachable(self, record):
        return [{'@odata.id': self.inventory.endpoint_uri(
            self.inventory.devices[n])} for n in record['devices']]

    def _action_info(self, record, verb, allowable):
        uri = '%s/%d/Actions/%sResourceActionInfo' % (NODES, record['id'],
                                                      verb)
        return {
            '@odata.id': uri,
            '@odata.type': '#ActionInfo.v1_1_2.ActionInfo',
            'Id': '%sResourceActionInfo' % verb,
            'Name': '%s Resource ActionInfo' % verb,
            'Parameters': [
                {'Name': 'Resource', 'Required': True,
                 'DataType': 'Object', 'ObjectDataType': '#Resource.Resource',
                 'AllowableValues': [a['@odata.id'] for a in allowable]},
                {'Name': 'Protocol', 'Required': False,
                 'DataType': 'String',
                 'AllowableValues': ['PCIe', 'NVMeOverFabrics']},
            ],
        }

    def _doc(self, record):
        inventory = self.inventory
        system = inventory.systems[record['system']]
        config = system.config
        node_uri = '%s/%d' % (NODES, record['id'])
        system_uri = '%s/Systems/%d' % (inv.ROOT, system.number)
        links = {'LocalDrives': [], 'RemoteDrives': [], 'PCIeDevices': []}
        for number in record['devices']:
            device = inventory.devices[number]
            key = {'nvme': 'LocalDrives', 'volume': 'RemoteDrives'}.get(
                device.kind, 'PCIeDevices')
            links[key].append({'@odata.id': inventory.device_uri(device)})
        state = self._state(record)
        health = 'Critical' if state == 'Failed' else 'OK'
        actions = node_uri + '/Actions/'
        return {
            '@odata.id': node_uri,
            '@odata.type': '#ComposedNode.v1_1_0.ComposedNode',
            'Id': str(record['id']),
            'Name': record['name'],
            'Description': record['description'],
            'UUID': record['uuid'],
            'PowerState': record['power'],
            'Status': {'State': 'Enabled', 'Health': health,
                       'HealthRollup': health},
            'ComposedNodeState': state,
            'Processors': {'Count': config.sockets, 'Model': config.cpu_model,
                           'Status': {'State': 'Enabled', 'Health': 'OK'}},
            'Memory': {'TotalSystemMemoryGiB': config.memory_gib,
                       'Status': {'State': 'Enabled', 'Health': 'OK'}},
            'Boot': {
                'BootSourceOverrideEnabled': record['boot']['enabled'],
                'BootSourceOverrideTarget': record['boot']['target'],
                'BootSourceOverrideTarget@Redfish.AllowableValues':
                    list(BOOT_TARGETS),
                'BootSourceOverrideMode': record['boot']['mode'],
                'BootSourceOverrideMode@Redfish.AllowableValues':
                    list(BOOT_MODES),
            },
            'ClearTPMOnDelete': record['clear_tpm'],
            'Links': {
                'ComputerSystem': {'@odata.id': system_uri},
                'Processors': [
                    {'@odata.id': '%s/Processors/CPU%d' % (system_uri, i)}
                    for i in range(1, config.sockets + 1)],
                'Memory': [
                    {'@odata.id': '%s/Memory/Dimm%d' % (system_uri, i)}
                    for i in range(1, inv.dimms(config) + 1)],
                'EthernetInterfaces': [
                    {'@odata.id': '%s/EthernetInterfaces/%d'
                     % (system_uri, i)} for i in range(1, config.nics + 1)],
                'LocalDrives': links['LocalDrives'],
                'RemoteDrives': links['RemoteDrives'],
                'ManagedBy': [{'@odata.id': inv.ROOT + '/Managers/PODM'}],
                'Oem': {'Intel_RackScale': {
                    '@odata.type': '#Intel.Oem.ComposedNodeLinks',
                    'PCIeDevices': links['PCIeDevices']}},
            },
            'Actions': {
                '#ComposedNode.Reset': {
                    'target': actions + 'ComposedNode.Reset',
                    'ResetType@Redfish.AllowableValues': list(RESET_TYPES)},
                '#ComposedNode.Assemble': {
                    'target': actions + 'ComposedNode.Assemble'},
                '#ComposedNode.AttachEndpoint': {
                    'target': actions + 'ComposedNode.AttachEndpoint',
                    'Resource@Redfish.AllowableValues': self._attachable()},
                '#ComposedNode.DetachEndpoint': {
                    'target': actions + 'ComposedNode.DetachEndpoint',
                    'Resource@Redfish.AllowableValues':
                        self._detachable(record)},
                '#ComposedNode.AttachResource': {
                    'target': actions + 'ComposedNode.AttachResource',
                    '@Redfish.ActionInfo':
                        actions + 'AttachResourceActionInfo'},
                '#ComposedNode.DetachResource': {
                    'target': actions + 'ComposedNode.DetachResource',
                    '@Redfish.ActionInfo':
                        actions + 'DetachResourceActionInfo'},
            },
            'Oem': {},
        }
