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

"""RSD composed nodes: reading one into a PodNode, and its actions."""

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv1 import inventory
from valence.podmanagers.redfishv1 import resources as res

BOOT_ENABLED = ('Disabled', 'Once', 'Continuous')


def nodes_link(root):
    """The composed nodes collection of an RSD service root.

    RSD 2.1 to 2.3 link it at the top level; RSD 2.4 services may keep the
    service root within DMTF's schema and link it in their OEM section.
    """
    link = root.get('Nodes') or root.get('Oem', {}).get(
        'Intel_RackScale', {}).get('Nodes')
    return link.get('@odata.id') if isinstance(link, dict) else None


def state_of(node):
    """The pod's ComposedNodeState in PodNode's words ('assembled'...)."""
    state = node.get('ComposedNodeState')
    return state.lower() if isinstance(state, str) else 'unknown'


def allowable(client, node, action_name, parameter):
    """The allowable values of an action's parameter, or None if unsaid.

    Pods say them inline (``Resource@Redfish.AllowableValues``) or in the
    action's ActionInfo (``@Redfish.ActionInfo``).
    """
    found = res.action(node, action_name)
    if found is None:
        return None
    inline = found.get(parameter + '@Redfish.AllowableValues')
    if isinstance(inline, list):
        return inline
    info_uri = found.get('@Redfish.ActionInfo')
    if not isinstance(info_uri, str):
        return None
    info = client.get(info_uri)
    for param in info.get('Parameters') or []:
        if isinstance(param, dict) and param.get('Name') == parameter:
            values = param.get('AllowableValues')
            return values if isinstance(values, list) else None
    return None


def require_action(node, name):
    found = res.action(node, name)
    if found is None:
        raise exception.PodRequestRefused(
            reason='node %s does not offer the action %s'
            % (node.get('@odata.id'), name))
    return found['target']


def boot_of(node):
    boot = node.get('Boot')
    if not isinstance(boot, dict):
        return {}
    targets = boot.get('BootSourceOverrideTarget@Redfish.AllowableValues')
    return {'enabled': boot.get('BootSourceOverrideEnabled'),
            'target': boot.get('BootSourceOverrideTarget'),
            'allowed_targets': list(targets) if isinstance(targets, list)
            else []}


def read(client, node_uri, index):
    """The PodNode at ``node_uri``.

    :param index: the endpoints.Index, to name pooled devices by their
        endpoints as the inventory does.
    """
    node = client.get(node_uri)
    return describe(client, node, index)


def describe(client, node, index):
    uri = node['@odata.id']
    with inventory.parsing(uri):
        local = res.links(node, 'Links', 'LocalDrives')
        remote = res.links(node, 'Links', 'RemoteDrives')
        parts = res.links(node, 'Links', 'Processors') + res.links(
            node, 'Links', 'EthernetInterfaces')
        # What the node is made of, read side by side.
        wanted = parts + local + remote
        docs = dict(zip(wanted, client.parallel(client.get_or_none, wanted)))
        processors = [docs[p] for p in res.links(node, 'Links', 'Processors')
                      if docs.get(p)]
        cpus = [p for p in processors if inventory.is_cpu(p)]
        nics = []
        for nic_uri in res.links(node, 'Links', 'EthernetInterfaces'):
            nic = docs.get(nic_uri)
            if nic:
                mac = nic.get('MACAddress') or nic.get('PermanentMACAddress')
                nics.append({'mac_address': mac.lower() if isinstance(
                    mac, str) else None,
                    'speed_mbps': res.number(nic, 'SpeedMbps', nic_uri)})
        drives = []
        for drive_uri in local + remote:
            drive = docs.get(drive_uri)
            if not drive:
                continue
            size = res.number(drive, 'CapacityBytes', drive_uri)
            size = (size / inventory.GIB if size is not None
                    else res.number(drive, 'CapacityGiB', drive_uri) or 0)
            drives.append({
                'uri': drive_uri, 'capacity_gib': int(size),
                'type': (res.text(drive, 'MediaType') or
                         res.text(drive, 'Protocol')),
                'remote': drive_uri in remote})
        summary = node.get('Processors') or {}
        memory = res.dig(node, 'Memory', 'TotalSystemMemoryGiB')
        reset = res.action(node, 'ComposedNode.Reset') or {}
        reset_types = reset.get('ResetType@Redfish.AllowableValues')
        return base.PodNode(
            uri=uri, name=res.text(node, 'Name') or node.get('Id') or uri,
            state=state_of(node), power_state=inventory.power_state(node),
            system_uri=res.link(node, 'Links', 'ComputerSystem'),
            processor_model=(res.text(summary, 'Model') or
                             (cpus and res.text(cpus[0], 'Model')) or None),
            processors=int(res.number(summary, 'Count', uri) or len(cpus)),
            cores=int(sum(res.number(p, 'TotalCores', p['@odata.id']) or 0
                          for p in cpus)),
            arch=next((inventory.arch_of(p) for p in cpus
                       if inventory.arch_of(p)), None),
            memory_mib=int((memory if isinstance(memory, (int, float))
                            else 0) * 1024),
            local_gb=max([d['capacity_gib'] for d in drives
                          if not d['remote']] or [0]),
            drives=drives, nics=nics,
            device_uris=device_uris(node, index),
            reset_types=list(reset_types) if isinstance(reset_types, list)
            else [],
            boot=boot_of(node))


def device_uris(node, index):
    """Pooled PCIe devices the node holds, named by their endpoints."""
    found = []
    for uri in set(node_links(node)):
        entry = index.find(uri)
        if entry is not None and not entry.is_volume:
            found.append(entry.endpoint_uri)
    return sorted(found)


def node_links(node):
    return list(inventory.node_owners(node))
