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

"""From flavor properties to what a driver composes.

``properties`` are a flavor's, or those a compose request gives inline,
as the API validated them (``PROPERTIES_SCHEMA`` of the flavors API):
every number is an integer, every section optional. A section left out
means "anything"; the drivers and the scheduler read the result, never
the properties.
"""

from valence.podmanagers import base


def _processor(section):
    if not section:
        return None
    return base.ProcessorRequirement(model=section.get('model'),
                                     cores=section.get('total_cores'),
                                     arch=section.get('arch'))


def _memory(section):
    if not section:
        return None
    return base.MemoryRequirement(capacity_mib=section.get('capacity_mib'),
                                  type=section.get('type'))


def _devices(properties):
    devices = [base.DeviceRequirement(type=d['type'], model=d.get('model'),
                                      vendor=d.get('vendor'),
                                      count=d.get('count', 1))
               for d in properties.get('devices', [])]
    # The original Valence's list of device types: one device of each.
    pci_types = (properties.get('pci_device') or {}).get('type', [])
    devices.extend(base.DeviceRequirement(type=t) for t in pci_types)
    return devices


def compose_request(name, description, properties):
    """The ComposeRequest of a node named ``name`` with ``properties``."""
    properties = properties or {}
    return base.ComposeRequest(
        name=name,
        description=description,
        processor=_processor(properties.get('processor')),
        memory=_memory(properties.get('memory')),
        local_drives=[
            base.DriveRequirement(capacity_gib=d.get('capacity_gib'),
                                  type=d.get('type'),
                                  count=d.get('count', 1))
            for d in properties.get('local_drives', [])],
        remote_drives=[
            base.DriveRequirement(capacity_gib=d.get('capacity_gib'),
                                  protocol=d.get('protocol'),
                                  count=d.get('count', 1))
            for d in properties.get('remote_drives', [])],
        nics=[base.NicRequirement(speed_mbps=n.get('speed_mbps'),
                                  count=n.get('count', 1))
              for n in properties.get('nics', [])],
        devices=_devices(properties))


def _counted(count, what):
    return what if count == 1 else '%d x %s' % (count, what)


def _words(*parts):
    return ' '.join(str(p) for p in parts if p)


def describe(properties):
    """A short summary of what ``properties`` ask for, for messages:
    "8 cores Xeon, 16384 MiB DDR4, 2 x 100 GiB SSD local drive..."."""
    request = compose_request(None, None, properties)
    parts = []
    cpu = request.processor
    if cpu:
        cores = '%d cores' % cpu.cores if cpu.cores else 'processor'
        parts.append(_words(cores, cpu.model, cpu.arch))
    memory = request.memory
    if memory:
        size = '%d MiB' % memory.capacity_mib if memory.capacity_mib else None
        parts.append(_words(size, memory.type, 'memory'))
    for drive in request.local_drives:
        size = '%d GiB' % drive.capacity_gib if drive.capacity_gib else None
        parts.append(_counted(drive.count,
                              _words(size, drive.type, 'local drive')))
    for drive in request.remote_drives:
        size = '%d GiB' % drive.capacity_gib if drive.capacity_gib else None
        parts.append(_counted(drive.count,
                              _words(size, drive.protocol, 'remote drive')))
    for nic in request.nics:
        speed = '%d Mb/s' % nic.speed_mbps if nic.speed_mbps else None
        parts.append(_counted(nic.count, _words(speed, 'NIC')))
    for device in request.devices:
        parts.append(_counted(device.count, _words(
            device.type, device.vendor, device.model)))
    return ', '.join(parts) or 'any node'
