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

"""Fabric endpoints of an RSD pod and what they lead to.

A pooled PCIe device (GPU, NVMe drive, NIC, FPGA) is reached through an
endpoint of the PCIe fabric, a remote volume through an endpoint of the
NVMe over Fabrics fabric. Valence names a pooled PCIe device by its
endpoint (what RSD 2.2 and later attach) and a volume by the volume itself
(a Storage record); composed nodes link the devices themselves (the
endpoint's "entity"). The index maps one to the other.
"""

import dataclasses
import re
import threading

from valence.podmanagers import base
from valence.podmanagers.redfishv1 import resources as res

PCIE = 'PCIe'
NVME_OF = 'NVMeOverFabrics'

_WORDS = (
    (re.compile(r'\bfpga\b|\barria\b|\bstratix\b|\bagilex\b'), base.FPGA),
    (re.compile(r'\bgpu\b|\btesla\b|\bquadro\b|\bradeon\b|\binstinct\b'),
     base.GPU),
    (re.compile(r'\bnic\b|\bethernet\b|\bconnectx\b|\bnetwork\b'), base.NIC),
    (re.compile(r'\bnvme\b'), base.NVME),
)
# PCI class codes (the upper byte) and the DeviceClass names of PCIeFunction.
_CLASS_CODES = {'01': base.NVME, '02': base.NIC, '03': base.GPU,
                '12': base.FPGA}
_DEVICE_CLASSES = {'MassStorageController': base.NVME,
                   'NetworkController': base.NIC,
                   'DisplayController': base.GPU,
                   'ProcessingAccelerators': base.FPGA}
_PROCESSOR_TYPES = {'GPU': base.GPU, 'FPGA': base.FPGA}


@dataclasses.dataclass
class Entry:
    """One target endpoint and the resource behind it."""

    endpoint_uri: str
    entity_uri: str | None
    protocol: str | None
    # Known once the entity was read: one of base.DEVICE_TYPES, or None.
    device_type: str | None = None

    @property
    def is_volume(self):
        return self.protocol == NVME_OF or (
            self.entity_uri is not None and '/Volumes/' in self.entity_uri)

    @property
    def name(self):
        """What Valence calls it: the volume, or the PCIe endpoint."""
        if self.is_volume and self.entity_uri:
            return self.entity_uri
        return self.endpoint_uri


def target_entity(endpoint):
    """The URI of what a target endpoint leads to; False for initiators."""
    for entity in endpoint.get('ConnectedEntities') or []:
        if not isinstance(entity, dict):
            continue
        if entity.get('EntityRole') == 'Initiator':
            return False
        uri = res.link(entity, 'EntityLink')
        if uri:
            return uri
    return None


def entity_type(endpoint):
    for entity in endpoint.get('ConnectedEntities') or []:
        if isinstance(entity, dict) and entity.get('EntityType'):
            return entity['EntityType']
    return None


def classify(endpoint, entity, function=None):
    """The base.DEVICE_TYPES kind of a pooled PCIe device.

    RSD pods describe GPUs and FPGAs as Processors (with a ProcessorType
    from RSD 2.3 on), NVMe drives as Drives and NICs as network
    controllers; PCIeDevice entities of older pods only say what they are
    through their PCIe function's class or their name.
    """
    kind = entity_type(endpoint)
    entity = entity or {}
    odata_type = str(entity.get('@odata.type', ''))
    if kind == 'Drive' or odata_type.startswith('#Drive.'):
        protocol = entity.get('Protocol') or endpoint.get('EndpointProtocol')
        return base.NVME if protocol in ('NVMe', PCIE) else base.SSD
    if kind in ('NetworkController', 'NetworkInterface') or \
            odata_type.startswith('#NetworkAdapter.'):
        return base.NIC
    found = _PROCESSOR_TYPES.get(entity.get('ProcessorType'))
    if found:
        return found
    if function:
        found = _DEVICE_CLASSES.get(function.get('DeviceClass'))
        code = str(function.get('ClassCode') or '').lower().removeprefix('0x')
        if not found and len(code) >= 5:
            found = _CLASS_CODES.get(code.zfill(6)[:2])
        if found:
            return found
    words = ' '.join(str(entity.get(k) or '') for k in
                     ('Name', 'Model', 'Description')).lower()
    for pattern, found in _WORDS:
        if pattern.search(words):
            return found
    return base.OTHER


class Index:
    """Endpoints by their URI and by the URI of what they lead to.

    Built by each inventory read, or on first need by reading the fabrics;
    endpoints do not move, so it is kept between calls (a device that
    vanished is dropped when the pod says so).
    """

    def __init__(self, entries=()):
        self._lock = threading.Lock()
        self._by_endpoint = {}
        self._by_entity = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry):
        with self._lock:
            self._by_endpoint[_key(entry.endpoint_uri)] = entry
            if entry.entity_uri:
                self._by_entity[_key(entry.entity_uri)] = entry

    def find(self, uri):
        """The entry of an endpoint or entity URI, or None."""
        key = _key(uri)
        return self._by_endpoint.get(key) or self._by_entity.get(key)

    def __len__(self):
        return len(self._by_endpoint)


def read_index(client):
    """Read every fabric's target endpoints into an Index."""
    index = Index()
    fabrics = res.link(client.root, 'Fabrics')
    if not fabrics:
        return index
    for fabric in client.members(fabrics):
        endpoints = res.link(fabric, 'Endpoints')
        if not endpoints:
            continue
        for endpoint in client.members(endpoints):
            entry = entry_of(endpoint, fabric)
            if entry is not None:
                index.add(entry)
    return index


def entry_of(endpoint, fabric):
    entity = target_entity(endpoint)
    if entity is False:
        return None
    protocol = endpoint.get('EndpointProtocol') or fabric.get('FabricType')
    return Entry(endpoint['@odata.id'], entity, protocol)


def _key(uri):
    return res.path_of(uri)
