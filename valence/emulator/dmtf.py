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

"""The DMTF Redfish Composition Service personality.

It serves the shapes of DMTF's composition mockups with the current
schemas: the CompositionService with ResourceBlocks, ResourceZones (each
with ``@Redfish.CollectionCapabilities``), the FreePool and ActivePool,
CompositionReservations and the ``Compose`` action; a rack Chassis per
zone; and ``Systems``, which holds the composed systems only and
advertises specific and constrained composition in its
``@Redfish.CollectionCapabilities``.

Modules: ``dmtf_inventory`` (blocks, zones, their documents),
``dmtf_compose`` (requests and matching), ``dmtf_systems`` (composed
systems and their actions), ``dmtf_manifest`` (the Compose action and
reservations), ``dmtf_errors`` (the refusals).

ETags: a stale ``If-Match`` answers 428, like the stale ETag parameters
of ``AddResourceBlock`` and ``RemoveResourceBlock`` must per the
ComputerSystem schema, so a client sees one status for one mistake.
"""

import re
import uuid

from valence.emulator import dmtf_errors as errors
from valence.emulator import dmtf_inventory as inv
from valence.emulator import dmtf_manifest
from valence.emulator import dmtf_systems
from valence.emulator import redfish

ROOT = inv.ROOT
COMPOSITION = inv.COMPOSITION
BLOCKS = inv.BLOCKS
ZONES = inv.ZONES
CHASSIS = inv.CHASSIS
ACTIVE_POOL = COMPOSITION + '/ActivePool'
FREE_POOL = COMPOSITION + '/FreePool'
DEFAULT_RESERVATION = 'PT10M'
_BLOCK_ITEMS = {
    'Processors': inv.processor_doc,
    'Memory': inv.memory_doc,
    'EthernetInterfaces': inv.nic_doc,
    'Drives': inv.drive_doc,
}
_BLOCK_NAMES = {'compute': 'Compute sled', 'storage': 'NVMe drive',
                'gpu': 'GPU', 'fpga': 'FPGA', 'network': 'Ethernet adapter',
                'expansion': 'PCIe expansion tray'}
_DURATION = re.compile(r'^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?'
                       r'(?:(\d+(?:\.\d+)?)S)?)?$')


def duration_seconds(text):
    """Seconds of an ISO 8601 duration such as ``PT10M``, or None."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ('P', 'PT') or text.endswith('T'):
        return None
    days, hours, minutes, seconds = (float(g or 0) for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


class DMTFPersonality(redfish.RedfishPersonality):
    """A DMTF composition service: resource blocks, zones, compose."""

    name = 'dmtf'
    default_systems = 4
    default_devices = 12
    stale_etag_status = 428
    metadata_namespaces = (
        'ServiceRoot', 'CompositionService', 'ResourceBlockCollection',
        'ResourceBlock', 'ZoneCollection', 'Zone',
        'CompositionReservationCollection', 'CompositionReservation',
        'Manifest', 'ActionInfo', 'ComputerSystemCollection',
        'ComputerSystem', 'ProcessorCollection', 'Processor',
        'MemoryCollection', 'Memory', 'EthernetInterfaceCollection',
        'EthernetInterface', 'StorageCollection', 'Storage', 'Drive',
        'ChassisCollection', 'Chassis', 'CollectionCapabilities',
        'SessionService', 'SessionCollection', 'Session')

    def __init__(self, pod):
        super().__init__(pod)
        self.settings = {}
        self.systems = dmtf_systems.Systems(pod, self.settings)
        self.manifests = dmtf_manifest.Manifests(pod, self.systems,
                                                 self.settings)

    # -- personality interface ----------------------------------------------

    def build(self, rng, systems, devices):
        self.inventory = inv.Inventory(rng, systems, devices)
        self.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self._set_settings(DEFAULT_RESERVATION, True)
        self.systems.reset(self.inventory)
        self.manifests.reset(self.inventory)
        self._pools = None

    def _set_settings(self, duration, overprovisioning):
        self.settings.update({
            'ReservationDuration': duration,
            'seconds': duration_seconds(duration),
            'AllowOverprovisioning': overprovisioning,
        })

    def dump_state(self):
        state = {
            'vanished': sorted(self.inventory.vanished),
            'settings': {k: self.settings[k] for k in (
                'ReservationDuration', 'AllowOverprovisioning')},
        }
        state.update(self.systems.dump())
        state.update(self.manifests.dump())
        return state

    def load_state(self, state):
        for block_id in state.get('vanished', []):
            block = self.inventory.block(block_id)
            if block is not None:
                self.inventory.vanish(block)
        settings = state.get('settings', {})
        self._set_settings(
            settings.get('ReservationDuration', DEFAULT_RESERVATION),
            settings.get('AllowOverprovisioning', True))
        self.systems.load(state)
        self.manifests.load(state)

    def allocations(self):
        result = self.systems.allocations()
        result.update(self.manifests.allocations())
        return result

    def vanish(self, uri):
        block = self.inventory.block_by_uri(uri)
        if block is None:
            return False
        self.vanish_block(block)
        return True

    def vanish_block(self, block):
        """``block`` leaves the pod, and the system that had it."""
        self.systems.forget_block(block)
        self.inventory.vanish(block)

    def service_root_links(self):
        return {'Systems': dmtf_systems.SYSTEMS, 'Chassis': CHASSIS,
                'CompositionService': COMPOSITION,
                'SessionService': ROOT + '/SessionService'}

    def add_routes(self, router):
        super().add_routes(router)

        def add(method, path, handler):
            router.add(method, path, self._expiring(handler))

        add('GET', ROOT, self.get_root)
        add('GET', COMPOSITION, self.get_composition_service)
        add('PATCH', COMPOSITION, self.patch_composition_service)
        add('GET', BLOCKS, self.list_blocks)
        add('GET', BLOCKS + '/{block}', self.get_block)
        for name in _BLOCK_ITEMS:
            add('GET', '%s/{block}/%s/{item}' % (BLOCKS, name),
                self._block_item(name))
        add('GET', BLOCKS + '/{block}/Storage/{item}', self.get_storage)
        add('GET', ZONES, self.list_zones)
        add('GET', ZONES + '/{zone}', self.get_zone)
        add('GET', ACTIVE_POOL, self.list_active_pool)
        add('GET', FREE_POOL, self.list_free_pool)
        add('GET', CHASSIS, self.list_chassis)
        add('GET', CHASSIS + '/{chassis}', self.get_chassis)
        self.systems.add_routes(add)
        self.manifests.add_routes(add)

    def _expiring(self, handler):
        # Reservations expire lazily: before any request looks at them.
        def expire_then_handle(req, **params):
            self.manifests.expire()
            return handler(req, **params)
        return expire_then_handle

    # -- service root and composition service -------------------------------

    def get_root(self, req):
        return {
            '@odata.id': ROOT + '/',
            '@odata.type': '#ServiceRoot.v1_20_0.ServiceRoot',
            'Id': 'RootService',
            'Name': 'Root Service',
            'RedfishVersion': '1.15.0',
            'UUID': self.uuid,
            'Vendor': 'Valence',
            'Product': 'valence-emulator DMTF composition service',
            'ProtocolFeaturesSupported': {
                'ExpandQuery': {'ExpandAll': False, 'Levels': True,
                                'MaxLevels': 1, 'Links': False,
                                'NoLinks': True},
                'TopSkipQuery': True,
                'SelectQuery': False,
                'FilterQuery': False,
                'OnlyMemberQuery': False,
                'ExcerptQuery': False,
            },
            'Systems': inv.link(dmtf_systems.SYSTEMS),
            'Chassis': inv.link(CHASSIS),
            'CompositionService': inv.link(COMPOSITION),
            'SessionService': inv.link(ROOT + '/SessionService'),
            'Links': {'Sessions': inv.link(redfish.SESSIONS)},
        }

    def get_composition_service(self, req):
        return {
            '@odata.id': COMPOSITION,
            '@odata.type': '#CompositionService.v1_2_3.CompositionService',
            'Id': 'CompositionService',
            'Name': 'Composition Service',
            'Status': dict(inv.OK),
            'ServiceEnabled': True,
            'AllowOverprovisioning': self.settings['AllowOverprovisioning'],
            'AllowZoneAffinity': True,
            'ReservationDuration': self.settings['ReservationDuration'],
            'ResourceBlocks': inv.link(BLOCKS),
            'ResourceZones': inv.link(ZONES),
            'ActivePool': inv.link(ACTIVE_POOL),
            'FreePool': inv.link(FREE_POOL),
            'CompositionReservations': inv.link(
                dmtf_manifest.RESERVATIONS),
            'Actions': {'#CompositionService.Compose': {
                'target': dmtf_manifest.COMPOSE_TARGET,
                '@Redfish.ActionInfo': dmtf_manifest.ACTION_INFO}},
        }

    def patch_composition_service(self, req):
        """Change ReservationDuration or AllowOverprovisioning (200)."""
        body = req.json_object()
        current = self.get_composition_service(req)
        duration = self.settings['ReservationDuration']
        overprovisioning = self.settings['AllowOverprovisioning']
        for key, value in body.items():
            if key == 'ReservationDuration':
                if duration_seconds(value) is None:
                    raise errors.bad_type(value, key, '#/' + key)
                duration = value
            elif key == 'AllowOverprovisioning':
                if not isinstance(value, bool):
                    raise errors.bad_type(value, key, '#/' + key)
                overprovisioning = value
            elif key in current:
                raise errors.not_writable(key, '#/' + key)
            else:
                raise errors.unknown_property(key, '#/' + key)
        self._set_settings(duration, overprovisioning)
        return self.get_composition_service(req)

    # -- resource blocks ------------------------------------------------------

    def list_blocks(self, req):
        return self._block_collection(req, BLOCKS, 'Resource Block Collection',
                                      self.inventory.order)

    def list_active_pool(self, req):
        return self._block_collection(req, ACTIVE_POOL,
                                      'Active Pool Collection',
                                      self._pool_lists()[0])

    def list_free_pool(self, req):
        return self._block_collection(req, FREE_POOL, 'Free Pool Collection',
                                      self._pool_lists()[1])

    def _block_collection(self, req, uri, name, ids):
        return redfish.collection(
            req, self.pod, uri,
            '#ResourceBlockCollection.ResourceBlockCollection', name,
            redfish.UriList(BLOCKS, ids))

    def _pool_lists(self):
        """``(active ids, free ids)`` in generation order, cached."""
        version = self.inventory.version
        if self._pools is None or self._pools[0] != version:
            blocks = self.inventory.blocks
            active, free = [], []
            for block_id in self.inventory.order:
                if blocks[block_id].system is None:
                    free.append(block_id)
                else:
                    active.append(block_id)
            self._pools = (version, active, free)
        return self._pools[1], self._pools[2]

    def get_block(self, req, block):
        return self.block_doc(self._block(req, block))

    def block_doc(self, block):
        composed = block.system is not None
        doc = {
            '@odata.id': block.uri,
            '@odata.type': '#ResourceBlock.v1_4_3.ResourceBlock',
            'Id': block.id,
            'Name': '%s %s' % (_BLOCK_NAMES[block.kind],
                               block.id.rsplit('-', 1)[1]),
            'ResourceBlockType': list(inv.BLOCK_TYPES[block.kind]),
            'Status': dict(inv.OK),
            'CompositionStatus': {
                'CompositionState': 'Composed' if composed else 'Unused',
                'Reserved': block.reservation is not None,
                'SharingCapable': False,
                'MaxCompositions': 1,
                'NumberOfCompositions': 1 if composed else 0,
            },
            'Pool': 'Active' if composed else 'Free',
        }
        client = self._client(block)
        if client is not None:
            doc['Client'] = client
        for name in ('Processors', 'Memory', 'EthernetInterfaces', 'Drives',
                     'Storage'):
            members = inv.members(block, name)
            if members:
                doc[name] = inv.links(members)
        systems = [dmtf_systems.SYSTEMS + '/' + block.system] if composed \
            else []
        doc['Links'] = {
            'ComputerSystems': inv.links(systems),
            'Chassis': [inv.link(self.inventory.rack_uri(block.zone))],
            'Zones': [inv.link(self.inventory.zone_uri(block.zone))],
        }
        return doc

    def _client(self, block):
        if block.system is not None:
            return self.systems.records[block.system]['client']
        if block.reservation is not None:
            return self.manifests.records[block.reservation]['client']
        return None

    def _block_item(self, name):
        render = _BLOCK_ITEMS[name]

        def handler(req, block, item):
            found = self._block(req, block)
            doc = render(found, item, self.inventory.rack_uri(found.zone))
            if doc is None:
                raise redfish.not_found(req.path)
            return doc
        return handler

    def get_storage(self, req, block, item):
        doc = inv.storage_doc(self._block(req, block), item)
        if doc is None:
            raise redfish.not_found(req.path)
        return doc

    def _block(self, req, block_id):
        block = self.inventory.block(block_id)
        if block is None:
            raise redfish.not_found(req.path)
        return block

    # -- zones and racks ------------------------------------------------------

    def list_zones(self, req):
        ids = range(1, self.inventory.zone_count + 1)
        return redfish.collection(
            req, self.pod, ZONES, '#ZoneCollection.ZoneCollection',
            'Resource Zone Collection', redfish.UriList(ZONES, ids))

    def get_zone(self, req, zone):
        index = self._zone(req, self.inventory.zone_index(zone))
        uri = self.inventory.zone_uri(index)
        blocks = self.inventory.zone_blocks[index]
        return {
            '@odata.id': uri,
            '@odata.type': '#Zone.v1_6_3.Zone',
            'Id': self.inventory.zone_id(index),
            'Name': 'Resource Zone %d' % (index + 1),
            'Description': 'The resource blocks of rack %d: a composition '
                           'takes its blocks from one zone.' % (index + 1),
            'ZoneType': 'ZoneOfResourceBlocks',
            'Status': dict(inv.OK),
            'Links': {'ResourceBlocks': inv.links(BLOCKS + '/' + b
                                                  for b in blocks)},
            '@Redfish.CollectionCapabilities':
                dmtf_systems.collection_capabilities([uri]),
        }

    def list_chassis(self, req):
        ids = [self.inventory.rack_id(z)
               for z in range(self.inventory.zone_count)]
        return redfish.collection(
            req, self.pod, CHASSIS, '#ChassisCollection.ChassisCollection',
            'Chassis Collection', redfish.UriList(CHASSIS, ids))

    def get_chassis(self, req, chassis):
        index = self._zone(req, self.inventory.rack_index(chassis))
        blocks = self.inventory.zone_blocks[index]
        return {
            '@odata.id': self.inventory.rack_uri(index),
            '@odata.type': '#Chassis.v1_28_0.Chassis',
            'Id': self.inventory.rack_id(index),
            'Name': 'Rack %d' % (index + 1),
            'ChassisType': 'Rack',
            'Manufacturer': 'Valence',
            'Status': dict(inv.OK),
            'Links': {'ResourceBlocks': inv.links(BLOCKS + '/' + b
                                                  for b in blocks)},
        }

    def _zone(self, req, index):
        if index is None:
            raise redfish.not_found(req.path)
        return index
