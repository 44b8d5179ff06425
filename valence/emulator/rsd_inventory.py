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

"""The generated inventory of an RSD pod, and its free pools.

Records are small tuples; documents are rendered from them on demand
(``rsd.py``), so 100,000 resources build in about a second. Systems are
numbered 1..N; pooled devices 1..M whatever their kind, so one number finds
a device's record, its URIs and its fabric endpoint.

Free resources sit in pools keyed by what allocation asks about (a system's
configuration, a drive's capacity), each an insertion-ordered dict used as
an ordered set, so finding a fitting free resource costs the number of
distinct configurations, not the number of resources.
"""

import collections
import uuid

ROOT = '/redfish/v1'
SLEDS_PER_DRAWER = 4
DRAWERS_PER_RACK = 8
DEVICES_PER_BOX = 32
STORAGE_ID = 'NVMeoE1'

#: (model, cores, speed MHz) of the compute systems' processors.
CPUS = (
    ('Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz', 20, 2400),
    ('Intel(R) Xeon(R) Gold 6154 CPU @ 3.00GHz', 18, 3000),
    ('Intel(R) Xeon(R) Platinum 8180 CPU @ 2.50GHz', 28, 2500),
    ('Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz', 10, 2200),
)
MEMORY_GIB = (64, 128, 256, 512)
NIC_SPEEDS = (10000, 25000)

#: kind -> (share of the pooled devices, [(model, capacity GiB or None)])
DEVICE_KINDS = {
    'nvme': (30, [('Intel SSD DC P4510', 1000), ('Intel SSD DC P4610', 2000),
                  ('Intel Optane SSD DC P4800X', 375)]),
    'gpu': (20, [('NVIDIA Tesla V100', None), ('NVIDIA Tesla T4', None)]),
    'nic': (15, [('Mellanox ConnectX-5', None)]),
    'fpga': (10, [('Intel PAC Arria 10 GX', None)]),
    'volume': (25, [('NVMe-oF volume', 100), ('NVMe-oF volume', 500),
                    ('NVMe-oF volume', 2000)]),
}
#: Kinds reached through the PCIe fabric (the others through NVMe-oF).
PCIE_KINDS = ('nvme', 'gpu', 'nic', 'fpga')

System = collections.namedtuple(
    'System', 'number config uuid mac_base')
Config = collections.namedtuple(
    'Config', 'cpu_model cores speed sockets memory_gib nics nic_speed')
Device = collections.namedtuple(
    'Device', 'number kind model capacity uuid')


def dimms(config):
    """DIMMs of a system: 32 GiB each."""
    return config.memory_gib // 32


def new_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Inventory:
    """Systems and pooled devices of one RSD pod, with free pools."""

    def __init__(self, rng, systems, devices):
        self.systems = [None]  # 1-based: systems[n] is System n
        self.devices = [None]
        self.vanished = set()
        # config -> ordered set of free system numbers
        self.free_systems = {}
        # (kind, capacity) -> ordered set of free device numbers
        self.free_devices = {}
        configs = [Config(m, c, s, 2, mem, 2, nic)
                   for m, c, s in CPUS for mem in MEMORY_GIB
                   for nic in NIC_SPEEDS]
        for n in range(1, systems + 1):
            config = rng.choice(configs)
            self.systems.append(System(n, config, new_uuid(rng),
                                       rng.getrandbits(24)))
            self.free_systems.setdefault(config, {})[n] = None
        table = [kind for kind, (share, _) in DEVICE_KINDS.items()
                 for _ in range(share)]
        # Members of the per-kind collections, in the generated order.
        self.by_kind = {kind: [] for kind in DEVICE_KINDS}
        for n in range(1, devices + 1):
            kind = rng.choice(table)
            model, capacity = rng.choice(DEVICE_KINDS[kind][1])
            self.devices.append(Device(n, kind, model, capacity,
                                       new_uuid(rng)))
            self.by_kind[kind].append(n)
            self.free_devices.setdefault((kind, capacity), {})[n] = None
        self.pcie_endpoints = sorted(
            n for kind in PCIE_KINDS for n in self.by_kind[kind])
        self.boxes = (devices + DEVICES_PER_BOX - 1) // DEVICES_PER_BOX

    # -- lookups ------------------------------------------------------------

    def system(self, number):
        """System ``number`` (an int or a digit string), or None."""
        return _get(self.systems, number)

    def device(self, number):
        """Device ``number``, or None when unknown or vanished."""
        device = _get(self.devices, number)
        if device is None or device.number in self.vanished:
            return None
        return device

    def box_of(self, number):
        return 'PCIeSwitch%d' % ((number - 1) // DEVICES_PER_BOX + 1)

    def box_members(self, box):
        """Device numbers in chassis ``PCIeSwitch<box>``."""
        first = (box - 1) * DEVICES_PER_BOX + 1
        last = min(box * DEVICES_PER_BOX, len(self.devices) - 1)
        return [n for n in range(first, last + 1)
                if self.device(n) is not None]

    # -- URIs ---------------------------------------------------------------

    def device_uri(self, device):
        """Where a device is described: a drive, PCIe device or volume."""
        if device.kind == 'nvme':
            return '%s/Chassis/%s/Drives/%d' % (
                ROOT, self.box_of(device.number), device.number)
        if device.kind == 'volume':
            return '%s/Storage/%s/Volumes/%d' % (ROOT, STORAGE_ID,
                                                 device.number)
        return '%s/Chassis/%s/PCIeDevices/%d' % (
            ROOT, self.box_of(device.number), device.number)

    def endpoint_uri(self, device):
        fabric = 'NVMeoE' if device.kind == 'volume' else 'PCIe'
        return '%s/Fabrics/%s/Endpoints/%d' % (ROOT, fabric, device.number)

    def device_by_uri(self, uri):
        """The device an endpoint or device URI names, or None."""
        number = uri.rstrip('/').rsplit('/', 1)[-1]
        device = self.device(number)
        if device is None:
            return None
        if uri.rstrip('/') in (self.device_uri(device),
                               self.endpoint_uri(device)):
            return device
        return None

    # -- free pools ---------------------------------------------------------

    def take_system(self, config, number=None):
        free = self.free_systems[config]
        number = number if number is not None else next(iter(free))
        del free[number]
        return number

    def release_system(self, number):
        config = self.systems[number].config
        self.free_systems.setdefault(config, {})[number] = None

    def is_free(self, device):
        return device.number in self.free_devices.get(
            (device.kind, device.capacity), ())

    def take_device(self, device):
        del self.free_devices[(device.kind, device.capacity)][device.number]

    def release_device(self, device):
        if device.number in self.vanished:
            return
        key = (device.kind, device.capacity)
        self.free_devices.setdefault(key, {})[device.number] = None

    def free_of_kind(self, kinds):
        """Iterate over the free devices of ``kinds``, pool by pool."""
        for (kind, _), numbers in self.free_devices.items():
            if kind in kinds:
                for number in numbers:
                    yield self.devices[number]

    def fitting_device(self, kind, min_capacity=0, exclude=()):
        """A free device of ``kind`` holding at least ``min_capacity`` GiB.

        Pools of too small a capacity are skipped whole; ``exclude`` holds
        the numbers a request has already picked.
        """
        for (k, capacity), numbers in self.free_devices.items():
            if k != kind or (capacity or 0) < min_capacity:
                continue
            for number in numbers:
                if number not in exclude:
                    return self.devices[number]
        return None

    def vanish(self, device):
        self.free_devices.get((device.kind, device.capacity), {}).pop(
            device.number, None)
        self.vanished.add(device.number)
        self.by_kind[device.kind].remove(device.number)
        if device.kind in PCIE_KINDS:
            self.pcie_endpoints.remove(device.number)


def _get(records, number):
    # Only the canonical spelling names a record: "01" is not "1".
    if isinstance(number, str):
        if not number.isdigit() or str(int(number)) != number:
            return None
        number = int(number)
    if 1 <= number < len(records):
        return records[number]
    return None
