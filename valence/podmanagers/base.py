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

"""The interface between the conductor and pod manager drivers.

A driver is a class registered under the stevedore namespace
``valence.podmanager.drivers``. The conductor makes one instance per pod
manager and keeps it while the pod manager's URL and credentials stay the
same, so a driver may hold a connection (an HTTP session, a Redfish
session) across calls; instances are used from several threads at once.

Drivers speak the conductor's language, not the pod's: they read the pod
into the records below (``Inventory``), compose from a ``ComposeRequest``
into a ``PodNode``, and act on nodes and devices named by the pod's own
URIs, which Valence stores but never builds or parses. Drivers raise only
``valence.common.exception`` errors: whatever their client library raises
is translated at this boundary, keeping the pod's own message.
"""

import abc
import dataclasses

from valence.common import exception
from valence.common import states

# Kinds of pooled devices.
GPU = 'GPU'
NVME = 'NVMe'
NIC = 'NIC'
FPGA = 'FPGA'
SSD = 'SSD'
OTHER = 'Other'
DEVICE_TYPES = (GPU, NVME, NIC, FPGA, SSD, OTHER)

# State of a pooled resource, as the pod reports it.
FREE = 'free'
ALLOCATED = 'allocated'
UNAVAILABLE = 'unavailable'
RESOURCE_STATES = (FREE, ALLOCATED, UNAVAILABLE)

# Power states of a composed node.
POWER_ON = 'on'
POWER_OFF = 'off'

# Steps a composition reports while it runs (see PodManagerDriver.compose).
STEP_ALLOCATED = 'allocated'
STEP_ASSEMBLING = 'assembling'


@dataclasses.dataclass(frozen=True)
class PodConnection:
    """Where a pod manager is and how to log in to it."""

    url: str
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    auth_type: str = 'basic'
    verify_tls: bool = True


@dataclasses.dataclass(frozen=True)
class PodStatus:
    """What a connectivity check found: a pod manager status and why."""

    status: str
    reason: str | None = None

    @classmethod
    def online(cls):
        return cls(states.ONLINE)

    @classmethod
    def offline(cls, reason):
        return cls(states.OFFLINE, reason)

    @classmethod
    def error(cls, reason):
        return cls(states.ERROR, reason)


# -- inventory ---------------------------------------------------------------
#
# Every record names itself by ``uri``, the pod's own identifier of the
# resource (a Redfish @odata.id, an ExpEther device path), unique within
# its pod. ``node_uri`` is the composed node the resource belongs to, if
# any; ``rack_uri`` the rack (or other chassis) it sits in.

@dataclasses.dataclass
class Rack:
    """A chassis of the pod: the pod itself, a rack, drawer, sled..."""

    uri: str
    name: str
    chassis_type: str
    parent_uri: str | None = None
    location: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None


@dataclasses.dataclass
class System:
    """A compute system (an ExpEther server, an RSD or DMTF system)."""

    uri: str
    name: str
    state: str = FREE
    node_uri: str | None = None
    rack_uri: str | None = None
    uuid: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    processor_model: str | None = None
    processors: int = 0
    cores: int = 0
    arch: str | None = None
    memory_mib: int = 0
    local_gb: int = 0
    mac_addresses: list[str] = dataclasses.field(default_factory=list)
    power_state: str | None = None


@dataclasses.dataclass
class Storage:
    """Pooled storage: a drive, a volume, or a storage service."""

    uri: str
    name: str
    kind: str  # 'drive', 'volume' or 'service'
    state: str = FREE
    node_uri: str | None = None
    rack_uri: str | None = None
    capacity_gib: int = 0
    protocol: str | None = None
    media_type: str | None = None
    vendor: str | None = None
    model: str | None = None


@dataclasses.dataclass
class Device:
    """A pooled PCIe device: GPU, NVMe drive, NIC, FPGA..."""

    uri: str
    name: str
    type: str  # one of DEVICE_TYPES
    state: str = FREE
    node_uri: str | None = None
    rack_uri: str | None = None
    vendor: str | None = None
    model: str | None = None
    zone_uri: str | None = None
    # What else the pod says: capacity_gib, mac_address, pcie_class_code,
    # serial_number... plain JSON values.
    properties: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ResourceBlock:
    """A DMTF resource block: the unit a composition service hands out."""

    uri: str
    name: str
    block_types: list[str]
    state: str = FREE
    node_uri: str | None = None
    zone_uris: list[str] = dataclasses.field(default_factory=list)
    reserved: bool = False
    sharing_capable: bool = False


@dataclasses.dataclass
class ResourceZone:
    """A DMTF resource zone: blocks that may be composed together."""

    uri: str
    name: str
    block_uris: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Inventory:
    """Everything a pod holds, as read in one go."""

    systems: list[System] = dataclasses.field(default_factory=list)
    storages: list[Storage] = dataclasses.field(default_factory=list)
    devices: list[Device] = dataclasses.field(default_factory=list)
    resource_blocks: list[ResourceBlock] = dataclasses.field(
        default_factory=list)
    resource_zones: list[ResourceZone] = dataclasses.field(
        default_factory=list)
    racks: list[Rack] = dataclasses.field(default_factory=list)


# -- composition -------------------------------------------------------------

@dataclasses.dataclass
class ProcessorRequirement:
    model: str | None = None
    cores: int | None = None
    arch: str | None = None


@dataclasses.dataclass
class MemoryRequirement:
    capacity_mib: int | None = None
    type: str | None = None


@dataclasses.dataclass
class DriveRequirement:
    capacity_gib: int | None = None
    type: str | None = None  # 'SSD', 'HDD', 'NVMe'
    protocol: str | None = None  # for remote drives: 'NVMeOverFabrics'...
    count: int = 1


@dataclasses.dataclass
class NicRequirement:
    speed_mbps: int | None = None
    count: int = 1


@dataclasses.dataclass
class DeviceRequirement:
    type: str  # one of DEVICE_TYPES
    model: str | None = None
    vendor: str | None = None
    count: int = 1


@dataclasses.dataclass
class ComposeRequest:
    """What a node must have. ``None`` means "anything".

    ``resource_uris`` are the pod resources the scheduler picked (a
    system, resource blocks, devices) when it picked any; a driver that
    composes by naming resources uses them, one that composes by
    requirements may pass them on or ignore them.
    """

    name: str
    description: str | None = None
    processor: ProcessorRequirement | None = None
    memory: MemoryRequirement | None = None
    local_drives: list[DriveRequirement] = dataclasses.field(
        default_factory=list)
    remote_drives: list[DriveRequirement] = dataclasses.field(
        default_factory=list)
    nics: list[NicRequirement] = dataclasses.field(default_factory=list)
    devices: list[DeviceRequirement] = dataclasses.field(
        default_factory=list)
    zone_uri: str | None = None
    resource_uris: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class PodNode:
    """A composed node as its pod describes it."""

    uri: str
    name: str
    # The pod's own state in words: 'allocating', 'allocated',
    # 'assembling', 'assembled' (ready to use) or 'failed'.
    state: str
    power_state: str | None = None  # POWER_ON, POWER_OFF or None
    system_uri: str | None = None
    processor_model: str | None = None
    processors: int = 0
    cores: int = 0
    arch: str | None = None
    memory_mib: int = 0
    local_gb: int = 0
    # [{'uri', 'capacity_gib', 'type', 'remote': bool}]
    drives: list[dict] = dataclasses.field(default_factory=list)
    # [{'mac_address', 'speed_mbps'}]
    nics: list[dict] = dataclasses.field(default_factory=list)
    device_uris: list[str] = dataclasses.field(default_factory=list)
    # Reset types the pod accepts for this node ('On', 'ForceOff'...).
    reset_types: list[str] = dataclasses.field(default_factory=list)
    # {'enabled': 'Disabled'|'Once'|'Continuous', 'target': ...,
    #  'allowed_targets': [...]}, or {} if the pod has no boot override.
    boot: dict = dataclasses.field(default_factory=dict)


def connection_failure(error):
    """A short reason for a connection that failed: the innermost cause.

    requests and urllib3 wrap the socket error several times over; the
    innermost message ("[Errno 111] Connection refused", "timed out") is
    the one an operator needs.
    """
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = (getattr(error, 'reason', None) or error.__cause__ or
                 error.__context__ or
                 (error.args[0] if error.args and
                  isinstance(error.args[0], BaseException) else None))
        if not isinstance(inner, BaseException):
            break
        error = inner
    message = str(error)
    # urllib3 prefixes the connection's repr: keep what follows it.
    return message.split('): ', 1)[-1] if '): ' in message else message


class PodManagerDriver(metaclass=abc.ABCMeta):
    """A pod manager driver, bound to one pod manager.

    Errors: ``PodManagerUnreachable`` when the pod cannot be reached or
    does not answer in time; ``PodResourceNotFound`` when a URI given to
    the driver names nothing on the pod; ``PodRequestRefused`` when the pod
    refuses a request (a Redfish 4xx: unmet requirements, a device
    attached elsewhere), carrying the pod's message; ``PodManagerError``
    for anything else the pod does wrong (5xx, garbage).
    """

    def __init__(self, connection):
        self.connection = connection

    # Only get_status is required of every driver; a driver that cannot do
    # something (ExpEther has no power control) leaves its default, which
    # tells the user so.

    @abc.abstractmethod
    def get_status(self):
        """Check that the pod manager answers as this driver expects.

        :returns: a PodStatus: online when the pod answered its service
            root (or equivalent) with the given credentials, offline when
            it could not be reached, error when it answered wrongly
            (credentials refused, a server error, not this kind of pod).
        """

    def get_inventory(self):
        """Read everything the pod holds.

        :returns: an Inventory. Reading must be complete or fail: a pod
            that fails half way raises, it never returns part of its
            inventory.
        """
        raise self._unsupported('read its inventory')

    def compose(self, request, record_step):
        """Compose a node on the pod.

        :param request: a ComposeRequest.
        :param record_step: ``record_step(step, node_uri)``, to be called as
            soon as the pod holds something for the node (STEP_ALLOCATED,
            with the new node's URI) and when it starts assembling
            (STEP_ASSEMBLING), so that the conductor can find and clean up
            the node if it dies half way. A pod that composes in one
            request calls it once, with STEP_ALLOCATED, after it answered.
        :returns: the PodNode, assembled and ready.
        :raises: ``CompositionFailed`` after undoing what the pod had done,
            with ``cleaned_up`` false if that undoing failed too.
        """
        raise self._unsupported('compose nodes')

    def get_node(self, node_uri):
        """The PodNode at ``node_uri``; PodResourceNotFound if gone."""
        raise self._unsupported('read composed nodes')

    def list_nodes(self):
        """URIs of every composed node the pod knows."""
        raise self._unsupported('list composed nodes')

    def find_node(self, node_index):
        """The URI of the node the pod knows as ``node_index``.

        ``node_index`` is the pod's short name for it (the last segment of
        an RSD node's URI, an ExpEther server id), as the original Valence
        API's ``manage`` took it.
        """
        raise self._unsupported('find composed nodes by index')

    def delete_node(self, node_uri):
        """Decompose the node and free everything it held.

        A node that is already gone is not an error.
        """
        raise self._unsupported('decompose nodes')

    def set_power(self, node_uri, reset_type):
        """Reset the node: 'On', 'ForceOff', 'GracefulShutdown'...

        PodRequestRefused when the pod does not allow that type.
        """
        raise self._unsupported('control the power of nodes')

    def set_boot(self, node_uri, enabled, target):
        """Set the boot override: enabled is 'Disabled', 'Once' or
        'Continuous'; target one of the node's allowed targets."""
        raise self._unsupported('set the boot source of nodes')

    def list_attachable(self, node_uri):
        """URIs of the pooled devices and volumes the node can take."""
        raise self._unsupported('list attachable devices')

    def attach_device(self, node_uri, device_uri):
        """Attach a pooled device to the node.

        :returns: True when the node must be rebooted to see the device.
        """
        raise self._unsupported('attach devices')

    def detach_device(self, node_uri, device_uri):
        """Detach a device from the node.

        :returns: True when the node must be rebooted to forget it.
        """
        raise self._unsupported('detach devices')

    def close(self):
        """Release the connection; the instance is not used afterwards."""

    def _unsupported(self, operation):
        return exception.UnsupportedByDriver(driver=type(self).__name__,
                                             operation=operation)
