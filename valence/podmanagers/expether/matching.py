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

"""Which server and which I/O devices fit a composition request."""


class NoFit(Exception):
    """The request cannot be met; the message says which part and why."""


def unmet_host_requirements(system, request):
    """What a server lacks of the request's processor and memory.

    The EEM reports neither for its servers, so a requirement is checked
    only against what the System record knows (a zero or None is unknown)
    and ignored otherwise: on ExpEther, a server's CPUs and memory are not
    chosen, only its I/O devices.

    :returns: a list of short descriptions, empty when nothing is unmet.
    """
    unmet = []
    processor = request.processor
    if processor is not None:
        if processor.cores and system.cores and \
                system.cores < processor.cores:
            unmet.append('%d cores (it has %d)'
                         % (processor.cores, system.cores))
        if processor.model and system.processor_model and \
                processor.model.lower() not in \
                system.processor_model.lower():
            unmet.append('processor model %s (it has %s)'
                         % (processor.model, system.processor_model))
        if processor.arch and system.arch and \
                processor.arch.lower() != system.arch.lower():
            unmet.append('architecture %s (it has %s)'
                         % (processor.arch, system.arch))
    memory = request.memory
    if memory is not None and memory.capacity_mib and system.memory_mib \
            and system.memory_mib < memory.capacity_mib:
        unmet.append('%d MiB of memory (it has %d)'
                     % (memory.capacity_mib, system.memory_mib))
    return unmet


def fits(device, requirement):
    """True when the Device record meets the DeviceRequirement.

    Model and vendor match as case-insensitive substrings, so that
    "V100" finds an "NVIDIA Tesla V100"; the vendor also matches the PCI
    vendor id.
    """
    if device.type != requirement.type:
        return False
    if requirement.model and requirement.model.lower() not in \
            (device.model or '').lower():
        return False
    if requirement.vendor:
        wanted = requirement.vendor.lower()
        vendor_id = device.properties.get('pcie_vendor_id') or ''
        if wanted not in (device.vendor or '').lower() and \
                wanted != vendor_id.lower():
            return False
    return True


def describe(requirement):
    words = [requirement.type]
    if requirement.vendor:
        words.append('of vendor %s' % requirement.vendor)
    if requirement.model:
        words.append('model %s' % requirement.model)
    return ' '.join(words)


def pick_devices(requirements, named, free):
    """The devices to attach for ``requirements``.

    :param requirements: DeviceRequirements.
    :param named: Device records the scheduler picked; they are used first
        and each must fit a requirement.
    :param free: Device records to choose the rest from, in order.
    :returns: the chosen Device records.
    :raises: NoFit.
    """
    chosen = []
    unused = list(named)
    named_uris = {d.uri for d in named}
    taken = set()
    for requirement in requirements:
        wanted = max(requirement.count, 0)
        for device in list(unused):
            if wanted and fits(device, requirement):
                chosen.append(device)
                unused.remove(device)
                wanted -= 1
        matching = [d for d in free
                    if d.uri not in named_uris and d.uri not in taken
                    and fits(d, requirement)]
        if len(matching) < wanted:
            raise NoFit('not enough free %s: %d wanted, %d free'
                        % (describe(requirement), wanted, len(matching)))
        for device in matching[:wanted]:
            chosen.append(device)
            taken.add(device.uri)
    if unused:
        raise NoFit('%s named for the node fits no requested device'
                    % ', '.join(d.uri for d in unused))
    return chosen
