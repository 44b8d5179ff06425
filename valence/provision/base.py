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

"""The interface between the conductor and provision drivers.

A provision driver hands composed nodes to a bare-metal provisioning
service (OpenStack Ironic) and takes them back. It is a class registered
under the stevedore namespace ``valence.provision.drivers``; the conductor
loads one with ``valence.provision.get_driver(name)`` and may use the
instance from several threads at once.

The conductor describes a composed node in a ``NodeDescription`` (what
the pod composed, where its pod manager is, what the operator asked for)
and gets back a ``RegisteredNode``. Drivers raise only
``valence.common.exception`` errors, keeping the provisioning service's
own message: ``Invalid`` (400) for what the operator sent wrong,
``ProvisionNodeNotFound`` (404), ``ProvisionNodeDeployed`` and the other
409s for a conflict of state, ``ProvisionUnavailable`` (503) when the
service or its identity service cannot be reached or refuses Valence's
credentials, ``ProvisionError`` (502) for anything else it did wrong.
Messages never hold a password.
"""

import abc
import dataclasses


@dataclasses.dataclass(frozen=True)
class RegisterOptions:
    """What the operator asked for in a register request; None: default.

    ``driver_info`` and ``properties`` are merged over what the driver
    computes (the operator's keys win).
    """

    driver: str | None = None
    driver_info: dict = dataclasses.field(default_factory=dict, repr=False)
    properties: dict = dataclasses.field(default_factory=dict)
    resource_class: str | None = None
    name: str | None = None
    provide: bool = False


@dataclasses.dataclass(frozen=True)
class NodeDescription:
    """A composed node, as a provision driver needs to know it."""

    # The Valence node.
    uuid: str
    name: str
    # Its pod manager: the pod manager driver's name ('redfishv1',
    # 'redfishv2', 'expether'...), its URL and credentials.
    pod_driver: str
    pod_url: str
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    pod_auth_type: str | None = None  # 'basic' or 'session'
    verify_tls: bool = True
    # The composed system's path on the pod (a Redfish @odata.id such as
    # '/redfish/v1/Systems/1', an ExpEther server id).
    system_uri: str | None = None
    # What was composed; 0 or None when unknown.
    cpus: int = 0
    memory_mib: int = 0
    local_gb: int = 0
    cpu_arch: str | None = None
    mac_addresses: list[str] = dataclasses.field(default_factory=list)
    options: RegisterOptions = dataclasses.field(
        default_factory=RegisterOptions)
    # The provisioning service's node recorded at an earlier registration,
    # if any: looked up first, so that registering again is cheap.
    ironic_node_uuid: str | None = None


@dataclasses.dataclass(frozen=True)
class RegisteredNode:
    """A node as the provisioning service knows it."""

    uuid: str
    name: str | None
    driver: str
    provision_state: str
    power_state: str | None = None
    maintenance: bool = False
    last_error: str | None = None
    mac_addresses: list[str] = dataclasses.field(default_factory=list)


class ProvisionDriver(metaclass=abc.ABCMeta):
    """A provision driver."""

    @abc.abstractmethod
    def register(self, description):
        """Register a composed node, or update its registration.

        Idempotent: the node is found again by the Valence node's uuid
        (which the driver keeps with it) and updated to match
        ``description``; its ports follow the node's MAC addresses. A
        registration that fails half way leaves nothing behind.

        With ``options.provide`` the node is also made available for
        deployment, waiting a bounded time for it.

        :param description: a NodeDescription.
        :returns: a RegisteredNode.
        :raises: ``MissingDriverInfo`` when the operator must give
            credentials the driver cannot know (IPMI for ExpEther);
            ``ProvideFailed`` (carrying the node's uuid) when the node is
            registered but could not be made available.
        """

    def validate(self, description):
        """Check a registration without contacting the provisioning service.

        The conductor calls it before it accepts a registration, so that
        what the operator must mend is refused at once (400) rather than
        found by the work in the background. This default checks nothing.

        :raises: ``Invalid`` (``MissingDriverInfo``...) naming the field.
        """

    @abc.abstractmethod
    def unregister(self, ironic_node_uuid, force=False):
        """Remove a node from the provisioning service.

        Refused with ``ProvisionNodeDeployed`` while the node is deployed
        (or being deployed, rescued...) and with ``ProvisionNodeBusy``
        while the service is working on it, unless ``force``. A node that
        is already gone is not an error.
        """

    def check_unregister(self, ironic_node_uuid, force=False):
        """Raise what ``unregister`` would refuse with, changing nothing.

        Lets the conductor refuse to delete a composed node that the
        provisioning service still uses before the pod touches it. This
        default checks nothing: ``unregister`` refuses later instead.
        """

    @abc.abstractmethod
    def get(self, ironic_node_uuid):
        """The RegisteredNode; ``ProvisionNodeNotFound`` when it is gone."""
