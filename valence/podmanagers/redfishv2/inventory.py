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

"""Reading a whole composition service into an Inventory.

What is read, each once: the ResourceBlocks collection (expanded), the
documents the blocks link (processors, memory, Ethernet interfaces,
drives: in parallel, unless the service expanded them too), the
ResourceZones and the Chassis collections (expanded). The documents are
turned into records as they arrive; no resource object is built.
"""

from valence.podmanagers import base
from valence.podmanagers.redfishv2 import blocks
from valence.podmanagers.redfishv2 import documents

# Ask for the blocks' contents in the same answer where the service can
# expand two levels: the blocks, and what they link.
_BLOCK_LEVELS = 2


def read(service):
    """The pod's Inventory; raises rather than return part of it."""
    inventory = base.Inventory()
    block_docs = service.members(service.composition_link('ResourceBlocks'),
                                 levels=_BLOCK_LEVELS)
    for block in blocks.read_contents(service, list(block_docs)):
        inventory.resource_blocks.append(blocks.resource_block_record(block))
        if block.compute:
            inventory.systems.append(blocks.system_record(block))
        else:
            inventory.devices.append(blocks.device_record(block))
            inventory.storages.extend(blocks.storage_records(block))
    zones = documents.link(service.composition, 'ResourceZones',
                           'CompositionService')
    if zones:
        inventory.resource_zones = [zone_record(doc)
                                    for doc in service.members(zones)]
    chassis = service.root_link('Chassis')
    if chassis:
        inventory.racks = [rack_record(doc)
                           for doc in service.members(chassis)]
    return inventory


def zone_record(doc):
    uri = documents.odata_id(doc, 'a resource zone')
    return base.ResourceZone(
        uri=uri, name=documents.text(doc, 'Name', uri) or uri,
        block_uris=documents.links(documents.obj(doc, 'Links', uri),
                                   'ResourceBlocks', uri))


def rack_record(doc):
    uri = documents.odata_id(doc, 'a chassis')
    links = documents.obj(doc, 'Links', uri)
    return base.Rack(
        uri=uri, name=documents.text(doc, 'Name', uri) or uri,
        chassis_type=documents.text(doc, 'ChassisType', uri) or 'Unknown',
        parent_uri=documents.link(links, 'ContainedBy', uri),
        location=_location(doc, uri),
        manufacturer=documents.text(doc, 'Manufacturer', uri),
        model=documents.text(doc, 'Model', uri),
        serial_number=documents.text(doc, 'SerialNumber', uri))


def _location(doc, uri):
    """Where the chassis is, in words: "row 3, rack 12", or None."""
    location = documents.obj(doc, 'Location', uri)
    placement = documents.obj(location, 'Placement', uri)
    words = ['%s %s' % (key.lower(), placement[key])
             for key in ('Row', 'Rack', 'RackOffset')
             if placement.get(key) not in (None, '')]
    if words:
        return ', '.join(words)
    part = documents.obj(location, 'PartLocation', uri)
    return documents.text(part, 'ServiceLabel', uri)
