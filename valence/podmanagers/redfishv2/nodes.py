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

"""Composed systems: reading them as nodes, power, boot, decomposing.

A node is a ComputerSystem whose ``SystemType`` is ``Composed``; its URI
is the node's URI and its system URI alike. The blocks it is made of are
in ``Links.ResourceBlocks``: the compute block, and the pooled devices,
which are the node's devices.
"""

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import blocks
from valence.podmanagers.redfishv2 import client as http
from valence.podmanagers.redfishv2 import documents
from valence.podmanagers.redfishv2 import service as service_module

RESET = '#ComputerSystem.Reset'
BOOT_ENABLED = ('Disabled', 'Once', 'Continuous')
# Status.State of a composed system -> the PodNode state in words.
_NODE_STATES = {'Starting': 'assembling', 'InTest': 'assembling',
                'Updating': 'assembling', 'Absent': 'failed',
                'UnavailableOffline': 'failed'}
_POWER = {'On': base.POWER_ON, 'PoweringOff': base.POWER_ON,
          'Off': base.POWER_OFF, 'PoweringOn': base.POWER_OFF}
# Answers to a request guarded by a stale ETag.
STALE_ETAG = (412, 428)


def with_current_etag(service, uri, attempt):
    """``attempt(document, etag)`` with the resource's current ETag.

    When the pod says the ETag went stale (someone changed the resource in
    between), the resource is read again and the attempt made once more.
    """
    doc, etag = service.client.get(uri)
    try:
        return attempt(doc, etag)
    except exception.PodManagerError as e:
        if http.http_status(e) not in STALE_ETAG:
            raise
    doc, etag = service.client.get(uri)
    return attempt(doc, etag)


def if_match(etag):
    return {'If-Match': etag} if etag else None


def composed(doc, uri):
    """True when a ComputerSystem document is a composed system."""
    system_type = documents.text(doc, 'SystemType', uri)
    if system_type is not None:
        return system_type == 'Composed'
    return bool(block_uris(doc))


def block_uris(doc):
    uri = documents.odata_id(doc, 'a system')
    return documents.links(documents.obj(doc, 'Links', uri),
                           'ResourceBlocks', uri)


# -- reading ------------------------------------------------------------------

def get_node(service, uri):
    doc = service.client.get(uri)[0]
    return pod_node(service, doc)


def pod_node(service, doc):
    """The PodNode of a composed system's document."""
    uri = documents.odata_id(doc, 'a system')
    block_docs = [d for d in service.fetch_many(block_uris(doc),
                                                lambda u, d: d) if d]
    parts = blocks.read_contents(service, block_docs, contents=('Drives',))
    drives = [{'uri': d['uri'],
               'capacity_gib': int((d['capacity_bytes'] or 0)
                                   // blocks.GIB),
               'type': blocks.drive_type(d), 'remote': not b.compute}
              for b in parts for d in b.drives]
    summary = documents.obj(doc, 'ProcessorSummary', uri)
    cpus = [p for p in _subordinates(service, doc, 'Processors',
                                     blocks.processor)
            if p['type'] in (None, 'CPU')]
    cores = documents.number(summary, 'CoreCount', uri)
    if cores is None:
        cores = sum(p['cores'] or 0 for p in cpus)
    count = documents.number(summary, 'Count', uri)
    memory = documents.number(documents.obj(doc, 'MemorySummary', uri),
                              'TotalSystemMemoryGiB', uri)
    if memory is None:
        memory_mib = sum(m['capacity_mib'] or 0 for m in _subordinates(
            service, doc, 'Memory', blocks.memory))
    else:
        memory_mib = memory * 1024
    status = documents.obj(doc, 'Status', uri)
    return base.PodNode(
        uri=uri, name=documents.text(doc, 'Name', uri) or uri,
        state=_NODE_STATES.get(documents.text(status, 'State', uri),
                               'assembled'),
        power_state=_POWER.get(documents.text(doc, 'PowerState', uri)),
        system_uri=uri,
        processor_model=(documents.text(summary, 'Model', uri)
                         or (cpus[0]['model'] if cpus else None)),
        processors=int(len(cpus) if count is None else count),
        cores=int(cores), arch=cpus[0]['arch'] if cpus else None,
        memory_mib=int(memory_mib),
        local_gb=sum(d['capacity_gib'] for d in drives if not d['remote']),
        drives=drives,
        nics=[{'mac_address': n['mac_address'],
               'speed_mbps': n['speed_mbps']}
              for n in _subordinates(service, doc, 'EthernetInterfaces',
                                     blocks.nic)],
        device_uris=[b.uri for b in parts if not b.compute],
        reset_types=reset_types(service, doc),
        boot=_boot(doc, uri))


def _subordinates(service, doc, prop, summarise):
    """Summaries of the members of a system's collection ``prop``."""
    uri = documents.odata_id(doc, 'a system')
    collection = documents.link(doc, prop, uri)
    if collection is None:
        return []
    return [summarise(documents.odata_id(member, collection), member)
            for member in service.members(collection)]


def reset_types(service, doc):
    """The ResetType values the system's Reset action allows."""
    uri = documents.odata_id(doc, 'a system')
    action = _action(doc, RESET, uri)
    if not action:
        return []
    if 'ResetType@Redfish.AllowableValues' in action:
        return documents.strings(action, 'ResetType@Redfish.AllowableValues',
                                 uri)
    info = documents.text(action, '@Redfish.ActionInfo', uri)
    if info:
        return service_module.action_allowable(
            service.client.get(info)[0], 'ResetType', info) or []
    return []


def _boot(doc, uri):
    boot = documents.obj(doc, 'Boot', uri)
    if not boot:
        return {}
    return {'enabled': documents.text(boot, 'BootSourceOverrideEnabled',
                                      uri),
            'target': documents.text(boot, 'BootSourceOverrideTarget', uri),
            'allowed_targets': documents.strings(
                boot, 'BootSourceOverrideTarget@Redfish.AllowableValues',
                uri)}


def _action(doc, name, uri):
    return documents.obj(documents.obj(doc, 'Actions', uri), name, uri)


def action_target(doc, name):
    """The target of action ``name`` of a system; refused if it has none."""
    uri = documents.odata_id(doc, 'a system')
    target = documents.text(_action(doc, name, uri), 'target', uri)
    if not target:
        raise exception.PodRequestRefused(
            reason='%s does not offer the %s action' % (uri, name[1:]))
    return target


def list_nodes(service):
    systems = service.root_link('Systems')
    if systems is None:
        return []
    return [documents.odata_id(doc, systems)
            for doc in service.members(systems)
            if composed(doc, documents.odata_id(doc, systems))]


def find_node(service, node_index):
    systems = service.root_link('Systems')
    for uri in service.member_uris(systems) if systems else []:
        if uri.rstrip('/').rsplit('/', 1)[-1] == node_index:
            if not composed(service.client.get(uri)[0], uri):
                raise exception.PodRequestRefused(
                    reason='%s is not a composed system' % uri)
            return uri
    raise exception.PodResourceNotFound(
        uri='composed system "%s"' % node_index)


# -- acting -------------------------------------------------------------------

def delete_node(service, uri):
    """Decompose: DELETE the system; one already gone is fine."""
    try:
        service.client.request('DELETE', uri)
    except exception.PodResourceNotFound:
        pass


def set_power(service, uri, reset_type):
    doc = service.client.get(uri)[0]
    target = action_target(doc, RESET)
    allowed = reset_types(service, doc)
    if allowed and reset_type not in allowed:
        raise exception.PodRequestRefused(
            reason='%s does not allow the reset type %s (allowed: %s)'
                   % (uri, reset_type, ', '.join(allowed)))
    service.client.request('POST', target, body={'ResetType': reset_type})


def set_boot(service, uri, enabled, target):
    def attempt(doc, etag):
        boot = documents.obj(doc, 'Boot', uri)
        if not boot:
            raise exception.PodRequestRefused(
                reason='%s has no boot override' % uri)
        allowed = (documents.strings(
            boot, 'BootSourceOverrideEnabled@Redfish.AllowableValues', uri)
            or BOOT_ENABLED)
        if enabled not in allowed:
            raise exception.PodRequestRefused(
                reason='%s does not allow the boot override %s (allowed: '
                       '%s)' % (uri, enabled, ', '.join(allowed)))
        targets = documents.strings(
            boot, 'BootSourceOverrideTarget@Redfish.AllowableValues', uri)
        if target is not None and targets and target not in targets:
            raise exception.PodRequestRefused(
                reason='%s cannot boot from %s (allowed: %s)'
                       % (uri, target, ', '.join(targets)))
        change = {'BootSourceOverrideEnabled': enabled}
        if target is not None:
            change['BootSourceOverrideTarget'] = target
        service.client.request('PATCH', uri, body={'Boot': change},
                               headers=if_match(etag))
    with_current_etag(service, uri, attempt)
