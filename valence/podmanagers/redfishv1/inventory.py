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

"""Read a whole RSD pod into inventory records.

Each collection is read once, with ``$expand`` where the service offers
it, and every document read is kept by URI so nothing is read twice: the
devices behind fabric endpoints are usually already known from the
chassis' Drives and PCIeDevices collections or the storage services.

What is allocated comes from the pod itself: the composed nodes link their
system, drives, volumes and PCIe devices, and a fabric zone holds the
endpoints given to a host.
"""

import contextlib

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv1 import endpoints
from valence.podmanagers.redfishv1 import resources as res

GIB = 2 ** 30
#: Status.State values of a resource that cannot be used.
UNUSABLE = ('Absent', 'Disabled', 'UnavailableOffline', 'StandbyOffline',
            'Deferring', 'Quiesced')
_ARCHES = {'x86-64': 'x86_64', 'x86': 'x86', 'IA-64': 'ia64',
           'ARM-A64': 'aarch64', 'ARM-A32': 'arm', 'MIPS64': 'mips64',
           'MIPS32': 'mips', 'Power': 'ppc64le'}
_POWER = {'On': base.POWER_ON, 'Off': base.POWER_OFF}
# Collections a storage service links, and the kind of their members:
# RSD 2.1 Remote Storage Services, then RSD 2.3+/DMTF storage.
_STORAGE_MEMBERS = (('RemoteTargets', 'volume'), ('LogicalDrives', 'volume'),
                    ('PhysicalDrives', 'drive'), ('Volumes', 'volume'),
                    ('Drives', 'drive'))


@contextlib.contextmanager
def parsing(uri):
    """Turn a document of the wrong shape into a PodManagerError."""
    try:
        yield
    except exception.ValenceException:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise res.malformed(uri, '%s: %s' % (type(e).__name__, e)) from None


def power_state(doc):
    return _POWER.get(doc.get('PowerState'))


def arch_of(processor):
    found = _ARCHES.get(processor.get('InstructionSet'))
    return found or _ARCHES.get(processor.get('ProcessorArchitecture'))


def is_cpu(processor):
    return processor.get('ProcessorType', 'CPU') in ('CPU', None)


def node_owners(node):
    """``{path: node URI}`` of everything a composed node links."""
    owners = {}
    node_uri = node['@odata.id']

    def walk(value, key=None):
        if key == 'ManagedBy':
            return
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            uri = value.get('@odata.id')
            if isinstance(uri, str):
                owners[res.path_of(uri)] = node_uri
            for k, v in value.items():
                if k != '@odata.id':
                    walk(v, k)

    walk(node.get('Links') or {})
    return owners


class Reader:
    """One read of one pod."""

    def __init__(self, client, nodes_uri):
        self.client = client
        self.nodes_uri = nodes_uri
        self.docs = {}  # path -> document, for everything read
        self.owners = {}  # path of a resource -> composed node URI
        self.parents = {}  # chassis path -> parent chassis URI
        self.chassis_types = {}  # chassis path -> ChassisType
        self.located = {}  # path of a resource -> chassis URI
        self.zoned = {}  # endpoint path -> node URI or None
        self.index = endpoints.Index()

    def read(self):
        inventory = base.Inventory()
        root = self.client.root
        if self.nodes_uri:
            for node in self.client.members(self.nodes_uri):
                with parsing(node['@odata.id']):
                    self.owners.update(node_owners(node))
        if res.link(root, 'Chassis'):
            inventory.racks = self.read_chassis(res.link(root, 'Chassis'))
        if res.link(root, 'Systems'):
            inventory.systems = self.read_systems(res.link(root, 'Systems'))
        inventory.storages = self.read_storage(root)
        if res.link(root, 'Fabrics'):
            inventory.devices = self.read_fabrics(res.link(root, 'Fabrics'),
                                                  inventory.storages)
        return inventory

    def _keep(self, docs, chassis=None):
        for doc in docs:
            path = res.path_of(doc['@odata.id'])
            self.docs[path] = doc
            if chassis:
                self.located[path] = chassis
        return docs

    def rack_of(self, chassis_uri):
        """The nearest Rack holding ``chassis_uri``, else the chassis."""
        seen = set()
        uri = chassis_uri
        while uri and res.path_of(uri) not in seen:
            path = res.path_of(uri)
            seen.add(path)
            if self.chassis_types.get(path) == 'Rack':
                return uri
            uri = self.parents.get(path)
        return chassis_uri

    def _state(self, doc, *uris):
        for uri in uris:
            if uri and res.path_of(uri) in self.owners:
                return base.ALLOCATED, self.owners[res.path_of(uri)]
        for uri in uris:
            if uri and res.path_of(uri) in self.zoned:
                return base.ALLOCATED, self.zoned[res.path_of(uri)]
        if res.state_of(doc) in UNUSABLE:
            return base.UNAVAILABLE, None
        return base.FREE, None

    # -- chassis -------------------------------------------------------------

    def read_chassis(self, uri):
        racks = []
        chassis = self._keep(self.client.members(uri))
        holders = {}  # system path -> chassis URIs listing it
        for doc in chassis:
            curi = doc['@odata.id']
            with parsing(curi):
                path = res.path_of(curi)
                self.chassis_types[path] = doc.get('ChassisType')
                parent = res.link(doc, 'Links', 'ContainedBy')
                if parent:
                    self.parents[path] = parent
                for system in res.links(doc, 'Links', 'ComputerSystems'):
                    holders.setdefault(res.path_of(system), []).append(curi)
                location = res.dig(doc, 'Oem', 'Intel_RackScale',
                                   'Location', 'Id')
                if not isinstance(location, str):
                    location = res.dig(doc, 'Location', 'PartLocation',
                                       'ServiceLabel')
                racks.append(base.Rack(
                    uri=curi, name=res.text(doc, 'Name') or doc.get('Id')
                    or curi, chassis_type=doc.get('ChassisType') or 'Unknown',
                    parent_uri=parent,
                    location=location if isinstance(location, str) else None,
                    manufacturer=res.text(doc, 'Manufacturer'),
                    model=res.text(doc, 'Model'),
                    serial_number=res.text(doc, 'SerialNumber')))
        for path, holding in holders.items():
            # The innermost chassis: a sled rather than the rack above it.
            holding.sort(key=lambda c: self.chassis_types.get(
                res.path_of(c)) in ('Rack', 'Pod'))
            self.located[path] = holding[0]
        # Pooled drives and PCIe devices sit in chassis (PCIe switch boxes).
        pools = [(res.link(doc, key), doc['@odata.id']) for doc in chassis
                 for key in ('Drives', 'PCIeDevices') if res.link(doc, key)]
        for docs, (_, curi) in zip(
                self.client.parallel(
                    lambda p: self.client.members_if_any(p[0]), pools),
                pools):
            self._keep(docs, curi)
        return racks

    # -- systems -------------------------------------------------------------

    def read_systems(self, uri):
        systems = self._keep(self.client.members(uri))
        parts = self.client.parallel(self._system_parts, systems)
        return [self._system(doc, part) for doc, part in zip(systems, parts)
                if part is not None]

    def _system_parts(self, doc):
        """The member documents a System record needs besides the system.

        None when the system vanished since its collection was read.
        """
        try:
            return self._read_parts(doc)
        except exception.PodResourceNotFound:
            if self.client.get_or_none(doc['@odata.id']) is None:
                return None
            raise

    def _read_parts(self, doc):
        parts = {}
        keys = ['Processors', 'EthernetInterfaces', 'SimpleStorage']
        if not isinstance(res.dig(doc, 'MemorySummary',
                                  'TotalSystemMemoryGiB'), (int, float)):
            keys.append('Memory')
        for key in keys:
            link = res.link(doc, key)
            parts[key] = self.client.members(link) if link else []
        storage = res.link(doc, 'Storage')
        drives = []
        if storage and not parts['SimpleStorage']:
            for member in self.client.members(storage):
                drives.extend(res.links(member, 'Drives'))
        parts['Drives'] = [d for d in self.client.parallel(
            self.client.get_or_none, drives) if d is not None]
        return parts

    def _system(self, doc, parts):
        uri = doc['@odata.id']
        with parsing(uri):
            cpus = [p for p in parts['Processors'] if is_cpu(p)]
            cores = sum(res.number(p, 'TotalCores', p['@odata.id']) or 0
                        for p in cpus)
            memory = res.dig(doc, 'MemorySummary', 'TotalSystemMemoryGiB')
            if isinstance(memory, (int, float)):
                memory_mib = int(memory * 1024)
            else:
                memory_mib = int(sum(
                    res.number(m, 'CapacityMiB', m['@odata.id']) or 0
                    for m in parts.get('Memory', [])))
            local = sum(res.number(d, 'CapacityBytes', uri) or 0
                        for s in parts['SimpleStorage']
                        for d in s.get('Devices') or []
                        if isinstance(d, dict))
            local += sum(res.number(d, 'CapacityBytes', d['@odata.id']) or 0
                         for d in parts['Drives'])
            macs = []
            for nic in parts['EthernetInterfaces']:
                mac = nic.get('MACAddress') or nic.get('PermanentMACAddress')
                if isinstance(mac, str) and mac:
                    macs.append(mac.lower())
            summary = doc.get('ProcessorSummary') or {}
            chassis = (res.links(doc, 'Links', 'Chassis') or
                       [self.located.get(res.path_of(uri))])[0]
            state, node = self._state(doc, uri)
            return base.System(
                uri=uri, name=res.text(doc, 'Name') or doc.get('Id') or uri,
                state=state, node_uri=node,
                rack_uri=self.rack_of(chassis) if chassis else None,
                uuid=res.text(doc, 'UUID'),
                manufacturer=res.text(doc, 'Manufacturer'),
                model=res.text(doc, 'Model'),
                processor_model=(res.text(summary, 'Model') or
                                 (cpus and res.text(cpus[0], 'Model')) or
                                 None),
                processors=len(cpus) or int(
                    res.number(summary, 'Count', uri) or 0),
                cores=int(cores or res.number(summary, 'CoreCount', uri) or 0),
                arch=next((arch_of(p) for p in cpus if arch_of(p)), None),
                memory_mib=memory_mib, local_gb=int(local // GIB),
                mac_addresses=macs, power_state=power_state(doc))

    # -- storage -------------------------------------------------------------

    def read_storage(self, root):
        services = []
        for key in ('StorageServices', 'Services', 'Storage'):
            link = res.link(root, key) or res.link(root, 'Oem',
                                                    'Intel_RackScale', key)
            if link:
                services.extend(self._keep(self.client.members(link)))
        records = []
        for service in services:
            suri = service['@odata.id']
            records.append(base.Storage(
                uri=suri, name=res.text(service, 'Name') or suri,
                kind='service', state=base.FREE
                if res.state_of(service) not in UNUSABLE
                else base.UNAVAILABLE))
            for key, kind in _STORAGE_MEMBERS:
                link = res.link(service, key)
                if not link:
                    continue
                for doc in self._keep(self.client.members_if_any(link)):
                    records.append(self._storage(doc, kind))
        return records

    def _storage(self, doc, kind):
        uri = doc['@odata.id']
        with parsing(uri):
            size = res.number(doc, 'CapacityBytes', uri)
            if size is not None:
                size = size / GIB
            else:
                size = res.number(doc, 'CapacityGiB', uri) or 0
            protocol = doc.get('Protocol') or doc.get('Interface')
            state, node = self._state(doc, uri)
            return base.Storage(
                uri=uri, name=res.text(doc, 'Name') or doc.get('Id') or uri,
                kind=kind, state=state, node_uri=node,
                capacity_gib=int(size),
                protocol=protocol if isinstance(protocol, str) else None,
                media_type=res.text(doc, 'MediaType') or res.text(doc,
                                                                  'Type'),
                vendor=res.text(doc, 'Manufacturer'),
                model=res.text(doc, 'Model'))

    # -- fabrics and pooled devices -----------------------------------------

    def read_fabrics(self, uri, storages):
        targets = []
        for fabric in self.client.members(uri):
            link = res.link(fabric, 'Endpoints')
            fabric_endpoints = self.client.members_if_any(link) if link \
                else []
            by_path = {}
            for endpoint in fabric_endpoints:
                with parsing(endpoint['@odata.id']):
                    by_path[res.path_of(endpoint['@odata.id'])] = endpoint
                    entry = endpoints.entry_of(endpoint, fabric)
                if entry is not None:
                    self.index.add(entry)
                    targets.append((entry, endpoint))
            zones = res.link(fabric, 'Zones')
            if zones:
                for zone in self.client.members_if_any(zones):
                    self._zone(zone, by_path)
        # Volumes are Storage records: the endpoint tells their protocol
        # and whether a host holds them.
        volumes = {res.path_of(s.uri): s for s in storages
                   if s.kind == 'volume'}
        devices = []
        missing = [e.entity_uri for e, _ in targets
                   if not e.is_volume and e.entity_uri and
                   res.path_of(e.entity_uri) not in self.docs]
        self._keep(d for d in self.client.parallel(self.client.get_or_none,
                                                   missing) if d)
        for entry, endpoint in targets:
            if entry.is_volume:
                volume = volumes.get(res.path_of(entry.entity_uri or ''))
                if volume is not None:
                    volume.protocol = volume.protocol or entry.protocol
                    if volume.state == base.FREE:
                        volume.state, volume.node_uri = self._state(
                            {}, entry.endpoint_uri)
                continue
            entity = self.docs.get(res.path_of(entry.entity_uri or ''))
            if entry.entity_uri and entity is None:
                continue  # it vanished while the pod was read
            devices.append(self._device(entry, endpoint, entity or {}))
        return devices

    def _zone(self, zone, by_path):
        members = res.links(zone, 'Links', 'Endpoints')
        node = None
        for uri in members:
            endpoint = by_path.get(res.path_of(uri))
            if endpoint is None:
                continue
            if endpoints.target_entity(endpoint) is False:
                # The host's end: the zone belongs to the node using it.
                for entity in endpoint.get('ConnectedEntities') or []:
                    host = res.link(entity, 'EntityLink')
                    if host and res.path_of(host) in self.owners:
                        node = self.owners[res.path_of(host)]
        for uri in members:
            self.zoned[res.path_of(uri)] = node

    def _device(self, entry, endpoint, entity):
        uri = entry.endpoint_uri
        with parsing(uri):
            entry.device_type = endpoints.classify(endpoint, entity)
            properties = {'protocol': entry.protocol}
            if entry.entity_uri:
                properties['entity_uri'] = entry.entity_uri
            for key, name in (('SerialNumber', 'serial_number'),
                              ('FirmwareVersion', 'firmware_version')):
                if res.text(entity, key):
                    properties[name] = entity[key]
            size = res.number(entity, 'CapacityBytes', entry.entity_uri)
            if size:
                properties['capacity_gib'] = int(size // GIB)
            for ident in endpoint.get('Identifiers') or []:
                if (isinstance(ident, dict) and
                        ident.get('DurableNameFormat') == 'UUID'):
                    properties['durable_name'] = ident.get('DurableName')
            state, node = self._state(entity or endpoint, entry.entity_uri,
                                      uri)
            if state == base.FREE and res.state_of(endpoint) in UNUSABLE:
                state = base.UNAVAILABLE
            chassis = (res.links(entity, 'Links', 'Chassis') or
                       [self.located.get(res.path_of(entry.entity_uri or
                                                     ''))])[0]
            return base.Device(
                uri=uri,
                name=res.text(entity, 'Name') or res.text(endpoint, 'Name')
                or uri,
                type=entry.device_type, state=state, node_uri=node,
                rack_uri=self.rack_of(chassis) if chassis else None,
                vendor=res.text(entity, 'Manufacturer'),
                model=res.text(entity, 'Model'), properties=properties)
