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

"""Composing an RSD node: Allocate, Assemble, then attach pooled devices.

``#ComposedNodeCollection.Allocate`` takes the requirements and reserves a
system, drives and volumes, all or nothing; ``#ComposedNode.Assemble``
then builds the node, which the pod reports as ``ComposedNodeState``
Assembling until Assembled (or Failed). Pooled PCIe devices a request asks
for (two GPUs) are attached to the assembled node. Whatever fails after
Allocate deletes the node, which frees all it held.
"""

import time
import urllib.parse

from oslo_log import log

from valence import conf
from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv1 import attach
from valence.podmanagers.redfishv1 import nodes
from valence.podmanagers.redfishv1 import resources as res

LOG = log.getLogger(__name__)

#: RSD InstructionSet for an architecture as Ironic names it.
INSTRUCTION_SETS = {'x86_64': 'x86-64', 'x86': 'x86', 'i686': 'x86',
                    'aarch64': 'ARM-A64', 'arm': 'ARM-A32', 'ia64': 'IA-64',
                    'mips64': 'MIPS64', 'mips': 'MIPS32'}
# Drive types of a request and the RSD (Type, Interface) they ask for.
_DRIVE_TYPES = {'SSD': ('SSD', None), 'HDD': ('HDD', None),
                'NVME': ('SSD', 'NVMe')}
_INTERFACES = ('SAS', 'SATA', 'NVMe')
# Assembly takes from under a second (an emulated pod) to minutes: poll
# often at first, then less and less.
POLL_FIRST = 0.1
POLL_STEADY_FOR = 2.0
POLL_MAX = 2.0


def allocate_body(request):
    """The Allocate request for a ComposeRequest; numbers stay numbers."""
    body = {'Name': request.name}
    if request.description:
        body['Description'] = request.description
    cpu = request.processor
    if cpu is not None:
        wanted = {}
        if cpu.model:
            wanted['Model'] = cpu.model
        if cpu.cores:
            wanted['TotalCores'] = int(cpu.cores)
        if cpu.arch:
            wanted['InstructionSet'] = INSTRUCTION_SETS.get(
                cpu.arch.lower(), cpu.arch)
        if wanted:
            body['Processors'] = [wanted]
    memory = request.memory
    if memory is not None and (memory.capacity_mib or memory.type):
        wanted = {}
        if memory.capacity_mib:
            wanted['CapacityMiB'] = int(memory.capacity_mib)
        if memory.type:
            wanted['MemoryDeviceType'] = memory.type
        body['Memory'] = [wanted]
    local = []
    for drive in request.local_drives:
        wanted = {}
        if drive.capacity_gib:
            wanted['CapacityGiB'] = drive.capacity_gib
        kind, interface = _DRIVE_TYPES.get((drive.type or '').upper(),
                                           (drive.type, None))
        if kind:
            wanted['Type'] = kind
        if drive.protocol in _INTERFACES:
            interface = drive.protocol
        if interface:
            wanted['Interface'] = interface
        local.extend(dict(wanted) for _ in range(drive.count))
    if local:
        body['LocalDrives'] = local
    remote = []
    for drive in request.remote_drives:
        wanted = {}
        if drive.capacity_gib:
            wanted['CapacityGiB'] = drive.capacity_gib
        if drive.protocol:
            wanted['Protocol'] = drive.protocol
        remote.extend(dict(wanted) for _ in range(drive.count))
    if remote:
        body['RemoteDrives'] = remote
    nics = []
    for nic in request.nics:
        wanted = {'SpeedMbps': int(nic.speed_mbps)} if nic.speed_mbps else {}
        nics.extend(dict(wanted) for _ in range(nic.count))
    if nics:
        body['EthernetInterfaces'] = nics
    return body


def _reason(error):
    return error.kwargs.get('reason') or str(error)


class Composition:
    """One composition on one pod."""

    def __init__(self, client, nodes_uri, index, request, record_step):
        self.client = client
        self.nodes_uri = nodes_uri
        self.index = index
        self.request = request
        self.record_step = record_step
        self.node_uri = None

    def run(self):
        self.allocate()
        try:
            self.record_step(base.STEP_ALLOCATED, self.node_uri)
            node = self.assemble()
            node = self.attach_devices(node)
            return nodes.describe(self.client, node, self.index)
        except Exception as e:
            # Whatever went wrong, the pod must not keep the node.
            reason = (_reason(e) if isinstance(e, exception.ValenceException)
                      else str(e) or type(e).__name__)
            raise self.rolled_back(reason) from None

    def allocate(self):
        try:
            collection = self.client.get(self.nodes_uri)
        except exception.PodManagerError as e:
            raise exception.CompositionFailed(reason=_reason(e)) from None
        found = res.action(collection, 'ComposedNodeCollection.Allocate')
        if found is None:
            raise exception.CompositionFailed(
                reason='the pod manager offers no '
                       '#ComposedNodeCollection.Allocate action')
        try:
            response = self.client.post(found['target'],
                                        allocate_body(self.request))
        except exception.PodManagerUnreachable as e:
            if getattr(e, 'answer_lost', False):
                # The pod may have allocated a node Valence cannot name.
                raise exception.CompositionFailed(
                    reason='the answer to Allocate was lost (%s); the pod '
                           'may hold a node named %r to delete'
                           % (_reason(e), self.request.name),
                    cleaned_up=False) from None
            raise exception.CompositionFailed(reason=_reason(e)) from None
        except exception.PodManagerError as e:
            # Refused (unmet requirements) or failed: nothing was taken.
            raise exception.CompositionFailed(reason=_reason(e)) from None
        location = response.headers.get('Location')
        if not location:
            raise exception.CompositionFailed(
                reason='the pod answered Allocate without a Location',
                cleaned_up=False)
        self.node_uri = urllib.parse.urlsplit(location).path

    def assemble(self):
        node = self.wait(('allocating',))
        if nodes.state_of(node) != 'allocated':
            raise exception.PodManagerError(
                reason='node %s is %s after Allocate'
                % (self.node_uri, node.get('ComposedNodeState')))
        self.client.post(nodes.require_action(node, 'ComposedNode.Assemble'))
        self.record_step(base.STEP_ASSEMBLING, self.node_uri)
        node = self.wait(('allocated', 'assembling'))
        if nodes.state_of(node) != 'assembled':
            raise exception.PodManagerError(
                reason='node %s failed to assemble: the pod reports it %s'
                % (self.node_uri, node.get('ComposedNodeState')))
        return node

    def wait(self, passing):
        """Read the node until its state leaves ``passing``.

        Bounded by the request timeout: an assembly that takes longer is
        treated as failed.
        """
        limit = conf.CONF.podmanager.request_timeout
        start = time.monotonic()
        deadline = start + limit
        delay = POLL_FIRST
        while True:
            node = self.client.get(self.node_uri)
            if nodes.state_of(node) not in passing:
                return node
            left = deadline - time.monotonic()
            if left <= 0:
                raise exception.PodManagerError(
                    reason='node %s was still %s after %s seconds'
                    % (self.node_uri, node.get('ComposedNodeState'), limit))
            time.sleep(min(delay, left))
            if time.monotonic() - start > POLL_STEADY_FOR:
                delay = min(delay * 1.5, POLL_MAX)

    def attach_devices(self, node):
        if not self.request.devices:
            return node
        chosen = []
        for requirement in self.request.devices:
            chosen += attach.pick(self.client, node, self.index, requirement,
                                  chosen, self.request.resource_uris)
        for uri in chosen:
            attach.attach(self.client, node, uri, self.index)
        return self.client.get(self.node_uri)

    def rolled_back(self, reason):
        LOG.warning('Composition of node %(uri)s failed, deleting it: '
                    '%(reason)s', {'uri': self.node_uri, 'reason': reason})
        try:
            self.client.delete(self.node_uri)
        except exception.PodResourceNotFound:
            pass
        except exception.ValenceException as e:
            return exception.CompositionFailed(
                reason='%s; deleting node %s failed too: %s'
                % (reason, self.node_uri, _reason(e)),
                cleaned_up=False, node_uri=self.node_uri)
        return exception.CompositionFailed(reason=reason,
                                           node_uri=self.node_uri)
