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


"""Choosing the pod, and the pod's resources, a node is composed from.

The scheduler reads the inventory (never the pods). It filters the pod
managers (online, and the one the request pins) and, on each, the free
compute systems that meet the processor and memory requirements and the
free devices of each wanted kind, within one resource zone where the pod
has zones (DMTF). Among the pods that fit it weighs for the least
fragmentation: the system that exceeds the requirements least. When no
pod fits, ``NoValidPod`` says for each pod which requirement failed and
what it has free, as DMTF's Preview and RSD's allocation funnel do.
"""

import collections
import dataclasses
import random

from valence import objects
from valence.common import exception
from valence.common import states

# Free systems examined per pod, best fitting first.
CANDIDATES = 8
FREE = 'free'


@dataclasses.dataclass
class Placement:
    """Where a node goes: a pod manager and the resources picked there."""

    podm: object
    system_uri: str | None
    device_uris: list[str]
    waste: float = 0.0

    @property
    def resource_uris(self):
        return ([self.system_uri] if self.system_uri else []) + \
            self.device_uris


def place(context, request, podms):
    """The best Placement for a ComposeRequest among ``podms``.

    :raises: NoValidPod naming, for every pod, why it does not fit.
    """
    fits, reasons = [], []
    for podm in podms:
        placement, reason = _place_on(context, podm, request)
        if placement is None:
            reasons.append('%s: %s' % (podm.name, reason))
        else:
            fits.append(placement)
    if not fits:
        raise exception.NoValidPod(
            reasons='; '.join(reasons) or 'there is no pod manager')
    return _one_of_the_best(fits)


def _one_of_the_best(placements):
    # Concurrent requests would all pick the same best system and all but
    # one would lose the claim; picking among equally good ones spreads
    # them.
    least = min(p.waste for p in placements)
    return random.choice([p for p in placements if p.waste <= least + 1e-9])


def _place_on(context, podm, request):
    """(Placement, None) if the pod fits the request, else (None, why)."""
    if podm.status != states.ONLINE:
        return None, 'the pod manager is %s' % podm.status
    systems, reason = _systems(context, podm, request)
    if not systems:
        return None, reason
    zoned = bool(objects.ResourceZone.list(
        context, filters={'podm_uuid': podm.uuid}, limit=1))
    why_not = None
    fits = []
    for system in systems:
        zones = _zones_of(context, podm, system) if zoned else None
        devices, why_not = _devices(context, podm, request, zones)
        if devices is not None:
            fits.append(Placement(podm, system.pod_uri, devices,
                                  _waste(system, request)))
    if not fits:
        return None, why_not
    return _one_of_the_best(fits), None


def _reported(context, podm, field):
    """Whether the pod reports a system field (ExpEther has no cores)."""
    return bool(objects.System.list(
        context, filters={'podm_uuid': podm.uuid, 'min_' + field: 1},
        limit=1))


def _systems(context, podm, request):
    """Free systems meeting the processor and memory needs, best first."""
    base = {'podm_uuid': podm.uuid, 'state': FREE}
    filters = dict(base)
    wanted = []
    processor, memory = request.processor, request.memory
    if processor and processor.cores and _reported(context, podm, 'cores'):
        filters['min_cores'] = processor.cores
        wanted.append('%d cores' % processor.cores)
    if processor and processor.model:
        filters['like_processor_model'] = processor.model
        wanted.append('processor model "%s"' % processor.model)
    if processor and processor.arch:
        filters['arch'] = processor.arch
        wanted.append('architecture %s' % processor.arch)
    if memory and memory.capacity_mib and _reported(context, podm,
                                                     'memory_mib'):
        filters['min_memory_mib'] = memory.capacity_mib
        wanted.append('%d MiB of memory' % memory.capacity_mib)
    systems = objects.System.list(context, filters=filters,
                                  limit=CANDIDATES, sort_key='cores')
    if systems:
        return systems, None
    free = objects.System.list(context, filters=base, limit=1,
                               sort_key='cores', sort_dir='desc')
    if not free:
        return None, 'no free compute system'
    largest = free[0]
    return None, ('no free system with %s (the largest free one has %d '
                  'cores, %d MiB of memory, processor "%s")'
                  % (' and '.join(wanted), largest.cores, largest.memory_mib,
                     largest.processor_model or 'unknown'))


def _zones_of(context, podm, system):
    block = objects.ResourceBlock.find_by_pod_uri(context, podm.uuid,
                                                  system.pod_uri)
    return block.zone_uris if block is not None else []


def _device_wants(request):
    """{(type, model, vendor): count}, same kinds merged."""
    wants = collections.Counter()
    for device in request.devices:
        wants[(device.type, device.model, device.vendor)] += device.count
    return wants


def _devices(context, podm, request, zones):
    """(device URIs, None) for every wanted device, or (None, why)."""
    picked = []
    for (kind, model, vendor), count in _device_wants(request).items():
        filters = {'podm_uuid': podm.uuid, 'state': FREE, 'type': kind}
        label = kind
        if model:
            filters['like_model'] = model
            label += ' "%s"' % model
        if vendor:
            filters['like_vendor'] = vendor
            label += ' from %s' % vendor
        if zones is not None:
            filters['any_zone_uri'] = zones
        found = objects.Device.list(context, filters=filters, limit=count)
        if len(found) < count:
            where = ' in the resource zone of a fitting system' \
                if zones is not None else ''
            return None, ('%d free %s wanted%s, %d free'
                          % (count, label, where, len(found)))
        picked += [device.pod_uri for device in found]
    return picked, None


def _waste(system, request):
    """How much of the system the request leaves unused, from 0 to 2."""
    waste = 0.0
    if request.processor and request.processor.cores and system.cores:
        waste += (system.cores - request.processor.cores) / system.cores
    if request.memory and request.memory.capacity_mib and system.memory_mib:
        waste += ((system.memory_mib - request.memory.capacity_mib) /
                  system.memory_mib)
    return waste
