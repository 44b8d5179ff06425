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

"""Composing a node, and undoing it when a later step fails.

1. The system: when the scheduler picked resource blocks
   (``ComposeRequest.resource_uris``), a specific composition of exactly
   those blocks; otherwise a constrained one, where the pod picks blocks
   that meet the processor, drive and NIC requirements. The request goes
   to the CompositionService's ``Compose`` action (``Apply``) when the
   service advertises it, else it is POSTed to ``Systems`` if its
   ``@Redfish.CollectionCapabilities`` offers that kind of composition.
2. As soon as the system exists, ``record_step(STEP_ALLOCATED, uri)``.
3. The pooled devices of ``ComposeRequest.devices`` that the picked blocks
   do not already provide are added with AddResourceBlock, taking free
   blocks of the system's zone that match each requirement.
4. A constrained composition is checked for memory, which Redfish can
   only ask per memory module while Valence asks a total.

When anything fails after the system exists, it is decomposed (DELETE)
and CompositionFailed raised, with ``cleaned_up`` false and the system's
URI when decomposing failed too. A composition the pod refuses raises
CompositionFailed with the pod's message and, where the pod points at a
property of the request, the requirement it came from.
"""

from urllib import parse

from oslo_log import log

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import blocks
from valence.podmanagers.redfishv2 import client as http
from valence.podmanagers.redfishv2 import devices
from valence.podmanagers.redfishv2 import documents
from valence.podmanagers.redfishv2 import nodes

LOG = log.getLogger(__name__)

SPECIFIC = 'ComputerSystemComposition'
CONSTRAINED = 'ComputerSystemConstrainedComposition'
_COUNT = '@Redfish.RequestedCount'
_INSTRUCTION_SETS = {arch: name for name, arch in blocks.ARCHES.items()}
# Drive kinds Valence names -> the Drive property that says so.
_DRIVE_KINDS = {'NVMe': ('Protocol', 'NVMe'), 'SSD': ('MediaType', 'SSD'),
                'HDD': ('MediaType', 'HDD')}
_DRIVE_PROTOCOLS = ('NVMe', 'SAS', 'SATA', 'FC', 'iSCSI')


def compose(service, request, record_step):
    specific = bool(request.resource_uris)
    body, described = system_request(service, request)
    system_uri = _create(service, body, described, specific)
    try:
        record_step(base.STEP_ALLOCATED, system_uri)
        doc = service.client.get(system_uri)[0]
        if not specific:
            _check_memory(request, doc)
        if _add_devices(service, request, doc):
            doc = service.client.get(system_uri)[0]
        return nodes.pod_node(service, doc)
    except Exception as e:
        if not isinstance(e, exception.ValenceException):
            LOG.exception('Composing %s failed', system_uri)
        raise _undone(service, system_uri, _reason(e))


# -- the composition request ------------------------------------------------

def system_request(service, request):
    """``(ComputerSystem request body, {JSON pointer: requirement})``."""
    body = {'Name': request.name}
    if request.description:
        body['Description'] = request.description
    if request.resource_uris:
        body['Links'] = {'ResourceBlocks': [{'@odata.id': uri}
                                            for uri in request.resource_uris]}
        return body, {}
    described = {}
    composition = service.composition
    # Valence's numbers are minimums; without this a pod matches exactly.
    if composition.get('AllowOverprovisioning') is True:
        body['@Redfish.AllowOverprovisioning'] = True
    if request.zone_uri and composition.get('AllowZoneAffinity') is True:
        zone = service.client.get(request.zone_uri)[0]
        body['@Redfish.ZoneAffinity'] = documents.text(
            zone, 'Id', request.zone_uri)
    body['Processors'] = {'Members': [_processor(request.processor)]}
    described['#/Processors/Members/0'] = _describe_processor(
        request.processor)
    drives = [('local drive', d) for d in request.local_drives] + \
        [('remote drive', d) for d in request.remote_drives]
    if drives:
        body['Storage'] = {'Members': []}
    for n, (kind, drive) in enumerate(drives):
        body['Storage']['Members'].append({'Drives': [_drive(drive)]})
        described['#/Storage/Members/%d/Drives/0' % n] = '%s x %s' % (
            drive.count, _describe_drive(kind, drive))
    if request.nics:
        body['EthernetInterfaces'] = {'Members': []}
    for n, nic in enumerate(request.nics):
        member = {_COUNT: nic.count}
        if nic.speed_mbps:
            member['SpeedMbps'] = nic.speed_mbps
        body['EthernetInterfaces']['Members'].append(member)
        described['#/EthernetInterfaces/Members/%d' % n] = '%d x NIC%s' % (
            nic.count, ' of %d Mbps' % nic.speed_mbps
            if nic.speed_mbps else '')
    return body, described


def _processor(wanted):
    # Redfish asks per processor, as RSD and the original Valence did: a
    # processor of at least ``cores`` cores.
    member = {_COUNT: 1, 'ProcessorType': 'CPU'}
    if wanted is not None:
        if wanted.cores:
            member['TotalCores'] = wanted.cores
        if wanted.model:
            member['Model'] = wanted.model
        if wanted.arch:
            member['InstructionSet'] = _INSTRUCTION_SETS.get(wanted.arch,
                                                             wanted.arch)
    return member


def _describe_processor(wanted):
    words = []
    if wanted is not None:
        if wanted.cores:
            words.append('at least %d cores' % wanted.cores)
        if wanted.model:
            words.append('model %s' % wanted.model)
        if wanted.arch:
            words.append('architecture %s' % wanted.arch)
    return 'a processor' + (' with ' + ', '.join(words) if words else '')


def _drive(wanted):
    item = {_COUNT: wanted.count,
            'CapacityBytes': (wanted.capacity_gib or 0) * blocks.GIB}
    if wanted.type in _DRIVE_KINDS:
        prop, value = _DRIVE_KINDS[wanted.type]
        item[prop] = value
    if wanted.protocol in _DRIVE_PROTOCOLS:
        item['Protocol'] = wanted.protocol
    return item


def _describe_drive(kind, wanted):
    words = [kind]
    if wanted.type:
        words.insert(0, wanted.type)
    if wanted.capacity_gib:
        words.append('of %d GiB' % wanted.capacity_gib)
    return ' '.join(words)


# -- asking the pod ---------------------------------------------------------

def _create(service, body, described, specific):
    """The URI of the system the pod composed for ``body``."""
    target = service.compose_target()
    try:
        if target:
            return _apply_manifest(service, target, body)
        return _post_system(service, body, specific)
    except exception.CompositionFailed:
        raise
    except exception.PodManagerError as e:
        if http.http_status(e) is None and http.maybe_sent(e):
            raise exception.CompositionFailed(
                reason='the pod may have composed a system for this request '
                       'before the connection failed (%s); look for a '
                       'system named "%s" on the pod' % (
                           e.kwargs.get('reason'), body['Name']),
                cleaned_up=False)
        if isinstance(e, exception.PodRequestRefused):
            raise exception.CompositionFailed(
                reason='the pod refused the composition: %s'
                       % _explain(e, described), cleaned_up=True)
        raise exception.CompositionFailed(reason=_reason(e),
                                          cleaned_up=True)


def _apply_manifest(service, target, body):
    manifest = {
        'RequestFormat': 'Manifest',
        'RequestType': 'Apply',
        'Manifest': {
            'Description': 'Valence node %s' % body['Name'],
            'Expand': 'None',
            'Stanzas': [{'StanzaType': 'ComposeSystem',
                         'StanzaId': 'node', 'Request': body}],
        },
    }
    resp = service.client.request('POST', target, body=manifest)
    answer = http.decode(resp, 'POST %s' % target)
    stanzas = documents.obj(answer, 'Manifest', target).get('Stanzas')
    for stanza in stanzas if isinstance(stanzas, list) else []:
        response = stanza.get('Response') if isinstance(stanza,
                                                        dict) else None
        if isinstance(response, dict) and isinstance(
                response.get('@odata.id'), str):
            return response['@odata.id']
    raise exception.CompositionFailed(
        reason='the pod applied the composition but its answer names no '
               'composed system; look for a system named "%s" on the pod'
               % body['Name'], cleaned_up=False)


def _post_system(service, body, specific):
    use_case = SPECIFIC if specific else CONSTRAINED
    offered = service.systems_use_cases()
    if offered is not None and use_case not in offered:
        raise exception.CompositionFailed(
            reason='the pod does not offer %s composition (it offers: %s)'
                   % ('specific' if specific else 'constrained',
                      ', '.join(sorted(offered)) or 'none'),
            cleaned_up=True)
    systems = service.root_link('Systems', required=True)
    resp = service.client.request('POST', systems, body=body)
    location = resp.headers.get('Location')
    if location:
        return parse.urlsplit(location).path
    answer = http.decode(resp, 'POST %s' % systems)
    return documents.odata_id(answer, 'the composed system')


def _explain(error, described):
    """The pod's message, with the requirements its pointers name."""
    message = error.kwargs.get('reason') or str(error)
    named = []
    for pointer in http.related_properties(error):
        for mine, words in described.items():
            if pointer.endswith(mine[1:]) and words not in named:
                named.append(words)
    if named:
        message += ' (unmet: %s)' % '; '.join(named)
    return message


# -- after the system exists -------------------------------------------------

def _check_memory(request, doc):
    wanted = request.memory.capacity_mib if request.memory else None
    if not wanted:
        return
    uri = documents.odata_id(doc, 'the composed system')
    gib = documents.number(documents.obj(doc, 'MemorySummary', uri),
                           'TotalSystemMemoryGiB', uri) or 0
    if gib * 1024 < wanted:
        raise exception.PodRequestRefused(
            reason='the pod composed %s with %d MiB of memory, less than '
                   'the %d MiB asked' % (uri, gib * 1024, wanted))


def _add_devices(service, request, doc):
    """AddResourceBlock the devices the system does not have yet.

    Returns True when it added any.
    """
    uri = documents.odata_id(doc, 'the composed system')
    wanted = [[req, req.count] for req in request.devices if req.count > 0]
    if not wanted:
        return False
    own = [b for b in blocks.read_contents(
        service, [d for d in service.fetch_many(
            nodes.block_uris(doc), lambda u, d: d) if d],
        contents=('Processors', 'EthernetInterfaces', 'Drives'))]
    # Blocks the scheduler picked for the node count as its devices.
    picked = set(request.resource_uris)
    for block in own:
        if block.compute or block.uri not in picked:
            continue
        record = blocks.device_record(block)
        for item in wanted:
            if item[1] > 0 and devices.matches(record, item[0]):
                item[1] -= 1
                break
    zones = [z for b in own if b.compute for z in b.zones] or (
        [request.zone_uri] if request.zone_uri else [])
    taken = {b.uri for b in own}
    added = False
    for requirement, missing in wanted:
        if missing == 0:
            continue
        for block_uri in devices.free_matching(service, zones, taken,
                                               requirement):
            if _added(service, uri, block_uri):
                missing -= 1
                added = True
            taken.add(block_uri)
            if missing == 0:
                break
        if missing:
            raise exception.PodRequestRefused(
                reason='no free %s is left in the resource zone of %s for '
                       'the node (%d missing)' % (
                           _describe_device(requirement), uri, missing))
    return added


def _added(service, system_uri, block_uri):
    """Add a block; False when another composition took it first."""
    try:
        devices.attach(service, system_uri, block_uri)
    except exception.PodResourceNotFound:
        return False
    except exception.PodRequestRefused as e:
        if http.http_status(e) == 409:
            return False
        raise
    return True


def _describe_device(wanted):
    words = [wanted.type]
    if wanted.vendor:
        words.insert(0, wanted.vendor)
    if wanted.model:
        words.append(wanted.model)
    return ' '.join(words)


def _reason(error):
    if isinstance(error, exception.ValenceException):
        return str(error)
    return 'unexpected %s: %s' % (type(error).__name__, error)


def _undone(service, system_uri, why):
    """Decompose the half-made system; the CompositionFailed to raise."""
    try:
        nodes.delete_node(service, system_uri)
    except exception.ValenceException as e:
        LOG.error('Could not decompose %(uri)s after a failed composition: '
                  '%(error)s', {'uri': system_uri, 'error': e})
        return exception.CompositionFailed(
            reason='%s; decomposing %s failed too: %s' % (why, system_uri,
                                                          e),
            cleaned_up=False, node_uri=system_uri)
    return exception.CompositionFailed(reason=why, cleaned_up=True)
