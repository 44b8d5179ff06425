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

"""Pooled devices of a live composed system: resource blocks it can take.

A device is a non-compute resource block; attaching it is the system's
``AddResourceBlock`` action, detaching it ``RemoveResourceBlock``. Both
send the ETags of the system and of the block (as ``If-Match`` and as the
action's ETag parameters), so that a system or block changed by someone
else in between is refused rather than changed blindly; on such a refusal
the driver reads both again and tries once more. The ETag also makes a
repeated request harmless: once the first one took effect, the system's
ETag changed and a repetition is refused.

Only blocks of the system's own resource zones can join it.
"""

import json

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import blocks
from valence.podmanagers.redfishv2 import client as http
from valence.podmanagers.redfishv2 import documents
from valence.podmanagers.redfishv2 import nodes

ADD = '#ComputerSystem.AddResourceBlock'
REMOVE = '#ComputerSystem.RemoveResourceBlock'
# MessageIds of a block the pod does not know (any more).
_GONE = ('ResourceBlockNotFound', 'ResourceMissingAtURI')
# Messages telling that the system must restart to see a change.
_RESET_REQUIRED = ('ResetRequired', 'RestartRequired',
                   'SystemResetRequired')
# Block types that may hold each kind of device, to skip reading others.
_HOLDERS = {base.GPU: ('Processor', 'Expansion'),
            base.FPGA: ('Processor', 'Expansion'),
            base.NVME: ('Storage', 'Expansion'),
            base.SSD: ('Storage', 'Expansion'),
            base.NIC: ('Network', 'Expansion')}
# Candidate blocks read at a time while looking for free ones.
_BATCH = 16


def attach(service, node_uri, device_uri):
    """AddResourceBlock; True when the pod says the node must restart."""
    def attempt(doc, etag):
        if device_uri in nodes.block_uris(doc):
            # Attached already, maybe by an attempt whose answer was lost.
            return False
        return _block_action(service, doc, etag, ADD, device_uri)
    return nodes.with_current_etag(service, node_uri, attempt)


def detach(service, node_uri, device_uri):
    """RemoveResourceBlock; True when the pod says the node must restart."""
    def attempt(doc, etag):
        if device_uri not in nodes.block_uris(doc):
            # Not (or no longer) the system's: a block gone from the pod
            # raises PodResourceNotFound here.
            service.client.get(device_uri)
            return False
        return _block_action(service, doc, etag, REMOVE, device_uri)
    return nodes.with_current_etag(service, node_uri, attempt)


def _block_action(service, doc, etag, action, device_uri):
    target = nodes.action_target(doc, action)
    block_etag = service.client.get(device_uri)[1]
    body = {'ResourceBlock': {'@odata.id': device_uri}}
    if block_etag:
        body['ResourceBlockETag'] = block_etag
    if etag:
        body['ComputerSystemETag'] = etag
    try:
        resp = service.client.request('POST', target, body=body,
                                      headers=nodes.if_match(etag),
                                      safe=bool(etag))
    except exception.PodManagerError as e:
        if http.http_status(e) == 400 and http.names_message(e, *_GONE):
            raise exception.PodResourceNotFound(uri=device_uri)
        raise
    return _reset_required(resp)


def _reset_required(resp):
    try:
        body = json.loads(resp.content) if resp.content else {}
    except ValueError:
        return False
    info = body.get('@Message.ExtendedInfo') if isinstance(body, dict) \
        else None
    return any(isinstance(m, dict) and str(m.get('MessageId', '')).rsplit(
        '.', 1)[-1] in _RESET_REQUIRED for m in info or [])


# -- free blocks near a system ---------------------------------------------

def list_attachable(service, node_uri):
    doc = service.client.get(node_uri)[0]
    own = set(nodes.block_uris(doc))
    candidates = [uri for uri in zone_blocks(service, system_zones(
        service, doc)) if uri not in own]
    found = service.fetch_many(candidates, lambda uri, d: blocks.Block(d))
    return [b.uri for b in found
            if b is not None and not b.compute and b.state == base.FREE]


def system_zones(service, doc):
    """The resource zones of a system's blocks, the compute block's first."""
    found = [blocks.Block(d) for d in service.fetch_many(
        nodes.block_uris(doc), lambda uri, d: d) if d]
    zones = []
    for block in sorted(found, key=lambda b: not b.compute):
        zones.extend(z for z in block.zones if z not in zones)
    return zones


def zone_blocks(service, zone_uris):
    """URIs of the blocks of the given zones, each once, in zone order."""
    seen = []
    for zone in zone_uris:
        doc = service.client.get(zone)[0]
        for uri in documents.links(documents.obj(doc, 'Links', zone),
                                   'ResourceBlocks', zone):
            if uri not in seen:
                seen.append(uri)
    return seen


def free_matching(service, zone_uris, exclude, wanted):
    """Free blocks of the zones that are the device ``wanted`` asks for.

    ``wanted`` is a DeviceRequirement. Blocks are read a batch at a time,
    so that finding the first few costs a few requests.
    """
    candidates = [u for u in zone_blocks(service, zone_uris)
                  if u not in exclude]
    for start in range(0, len(candidates), _BATCH):
        docs = [d for d in service.fetch_many(
            candidates[start:start + _BATCH], lambda uri, d: d) if d]
        free = [d for d in docs if _may_hold(blocks.Block(d), wanted.type)]
        for block in blocks.read_contents(
                service, free, contents=('Processors', 'EthernetInterfaces',
                                         'Drives')):
            if matches(blocks.device_record(block), wanted):
                yield block.uri


def _may_hold(block, device_type):
    if block.compute or block.state != base.FREE:
        return False
    holders = _HOLDERS.get(device_type)
    return not holders or not block.types or any(
        t in holders for t in block.types)


def matches(device, wanted):
    """True when a Device record is what a DeviceRequirement asks for."""
    if device.type != wanted.type:
        return False
    for asked, have in ((wanted.model, device.model),
                        (wanted.vendor, device.vendor)):
        if asked and asked.lower() not in (have or '').lower():
            return False
    return True
