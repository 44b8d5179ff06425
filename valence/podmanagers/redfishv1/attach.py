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

"""Attaching pooled devices and volumes to RSD composed nodes.

RSD 2.1 and 2.2 offer ``#ComposedNode.AttachEndpoint`` and
``DetachEndpoint`` with the candidates inline; RSD 2.3 and 2.4 offer
``AttachResource`` and ``DetachResource`` with an ActionInfo. The driver
uses whichever the node advertises, and names the device the way the
advertised values do (an endpoint, or the drive or volume behind it).
"""

from valence.common import exception
from valence.podmanagers.redfishv1 import endpoints
from valence.podmanagers.redfishv1 import nodes
from valence.podmanagers.redfishv1 import resources as res

ATTACH = ('ComposedNode.AttachEndpoint', 'ComposedNode.AttachResource')
DETACH = ('ComposedNode.DetachEndpoint', 'ComposedNode.DetachResource')


def _choose(client, node, names):
    """(target, allowable URIs or None) of the first advertised action."""
    for name in names:
        found = res.action(node, name)
        if found is not None:
            values = nodes.allowable(client, node, name, 'Resource')
            return found['target'], (res.uri_values(values)
                                     if values is not None else None)
    raise exception.PodRequestRefused(
        reason='node %s offers neither %s' % (node.get('@odata.id'),
                                              ' nor '.join(names)))


def _forms(index, uri):
    """Every URI that names the device: the one given, endpoint, entity."""
    forms = [uri]
    entry = index.find(uri)
    if entry is not None:
        forms += [entry.endpoint_uri, entry.entity_uri]
    return [f for f in forms if f]


def _listed(allowed, forms):
    for value in allowed or ():
        if any(res.same_uri(value, f) for f in forms):
            return value
    return None


def attachable(client, node, index):
    """What the node can take, named as the inventory names it."""
    _, allowed = _choose(client, node, ATTACH)
    result = []
    for value in allowed or ():
        entry = index.find(value)
        result.append(entry.name if entry is not None else value)
    return result


def needs_reboot(index, uri):
    """A PCIe device appears to the host on its next boot; a volume not."""
    entry = index.find(uri)
    return not (entry is not None and entry.is_volume)


def attach(client, node, device_uri, index):
    """Attach ``device_uri`` to ``node`` (a node document)."""
    target, allowed = _choose(client, node, ATTACH)
    forms = _forms(index, device_uri)
    value = _listed(allowed, forms)
    if value is None:
        _, attached = _choose(client, node, DETACH)
        if _listed(attached, forms):
            return  # already there: an attach repeated after a crash
        # Pods may list only some of their free resources: the pod itself
        # says whether this one exists and is free.
        client.get(device_uri)
        value = device_uri
    client.post(target, {'Resource': {'@odata.id': value}})


def detach(client, node, device_uri, index):
    target, allowed = _choose(client, node, DETACH)
    forms = _forms(index, device_uri)
    value = _listed(allowed, forms)
    if value is None and allowed is not None:
        client.get(device_uri)  # PodResourceNotFound when it is gone
        raise exception.PodRequestRefused(
            reason='%s is not attached to node %s'
            % (device_uri, node['@odata.id']))
    client.post(target, {'Resource': {'@odata.id': value or device_uri}})


def describe_entry(client, entry):
    """Learn the type, vendor and model of an endpoint's device."""
    endpoint = {}
    if entry.entity_uri is None:
        endpoint = client.get_or_none(entry.endpoint_uri)
    entity = client.get_or_none(entry.entity_uri) if entry.entity_uri else {}
    if endpoint is None or entity is None:
        return None  # it vanished
    entry.device_type = endpoints.classify(endpoint, entity)
    return entity


def pick(client, node, index, requirement, taken, preferred=()):
    """Free devices meeting ``requirement``: a list of endpoint URIs.

    Candidates are the node's attach allowable values, those the scheduler
    chose (``preferred``) first. Fewer than wanted raises
    PodRequestRefused saying how many the pod could offer.
    """
    _, allowed = _choose(client, node, ATTACH)
    candidates = list(allowed or ())
    preferred = [p for p in preferred if _listed(candidates, _forms(index,
                                                                    p))]
    candidates.sort(key=lambda c: not _listed(preferred, _forms(index, c)))
    chosen = []
    for candidate in candidates:
        if len(chosen) == requirement.count:
            break
        if any(res.same_uri(candidate, t) for t in taken + chosen):
            continue
        entry = index.find(candidate)
        if entry is None:
            endpoint = client.get_or_none(candidate)
            entity = endpoints.target_entity(endpoint or {})
            if not endpoint or entity is False:
                continue
            entry = endpoints.Entry(candidate, entity or None,
                                    endpoint.get('EndpointProtocol'))
            index.add(entry)
        if entry.is_volume:
            continue
        entity = None
        if entry.device_type is None or requirement.model or \
                requirement.vendor:
            entity = describe_entry(client, entry)
            if entity is None:
                continue
        if entry.device_type != requirement.type:
            continue
        if not _matches(entity, requirement):
            continue
        chosen.append(candidate)
    if len(chosen) < requirement.count:
        what = ' '.join(w for w in (requirement.vendor, requirement.model,
                                    requirement.type) if w)
        raise exception.PodRequestRefused(
            reason='the pod has %d free %s device(s) to attach, %d wanted'
            % (len(chosen), what, requirement.count))
    return chosen


def _matches(entity, requirement):
    entity = entity or {}
    for wanted, key in ((requirement.model, 'Model'),
                        (requirement.vendor, 'Manufacturer')):
        if wanted and wanted.lower() not in str(entity.get(key) or
                                                '').lower():
            return False
    return True
