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

"""The database interface that objects use.

Objects never touch SQLAlchemy; they call the methods of the connection that
``get_instance`` returns. Every method takes and returns plain values or
model rows, and raises ``valence.common.exception`` errors.
"""

import abc

# The kinds of inventory rows, by table name.
INVENTORY_KINDS = ('racks', 'systems', 'storages', 'devices',
                   'resource_blocks', 'resource_zones')


def get_instance():
    """The database connection of this process."""
    from valence.db.sqlalchemy import api
    return api.Connection()


class Connection(metaclass=abc.ABCMeta):

    @abc.abstractmethod
    def transaction(self):
        """A context manager: the calls this thread makes in it are one
        writing transaction, which takes effect whole or, when the block
        raises, not at all."""

    # Pod managers

    @abc.abstractmethod
    def create_pod_manager(self, values):
        """Insert a pod manager; DuplicateName or DuplicatePodManagerURL."""

    @abc.abstractmethod
    def get_pod_manager_by_uuid(self, uuid):
        """The pod manager with this uuid, or PodManagerNotFound."""

    @abc.abstractmethod
    def get_pod_manager_by_name(self, name):
        """The pod manager with this name, or PodManagerNotFound."""

    @abc.abstractmethod
    def get_pod_manager_by_id(self, podm_id):
        """The pod manager with this internal id, or PodManagerNotFound."""

    @abc.abstractmethod
    def list_pod_managers(self, filters=None, limit=None, marker=None,
                          sort_key=None, sort_dir=None):
        """Pod managers matching ``filters`` (exact match), one page."""

    @abc.abstractmethod
    def update_pod_manager(self, uuid, values):
        """Change a pod manager; returns the updated row."""

    @abc.abstractmethod
    def replace_pod_manager_password(self, uuid, old, new):
        """Store ``new`` as the password if it still is ``old``.

        Returns whether it did: a password changed meanwhile is kept.
        """

    @abc.abstractmethod
    def destroy_pod_manager(self, uuid):
        """Delete a pod manager; PodManagerInUse while nodes belong to it."""

    # Composed nodes

    @abc.abstractmethod
    def create_node(self, values):
        """Insert a node; Conflict if its pod node is already one."""

    @abc.abstractmethod
    def get_node_by_uuid(self, uuid):
        """``(node, podm_uuid)`` of the node with this uuid, or
        NodeNotFound; ``node`` has the node's columns as attributes."""

    @abc.abstractmethod
    def get_node_by_name(self, name):
        """``(node, podm_uuid)`` of the one node with this name;
        NodeNotFound, or Conflict if the name is ambiguous."""

    @abc.abstractmethod
    def list_nodes(self, filters=None, limit=None, marker=None,
                   sort_key=None, sort_dir=None):
        """One page of ``(node, podm_uuid)``.

        :param filters: exact values of node columns, and ``podm_uuid``.
        """

    @abc.abstractmethod
    def update_node(self, uuid, values, states=None, reservation=None):
        """Change a node, only while it is in one of ``states`` and (if
        given) reserved by ``reservation``: InvalidState or NodeLocked
        otherwise, NodeNotFound if it is gone. Returns the new
        ``updated_at``."""

    @abc.abstractmethod
    def destroy_node(self, uuid):
        """Delete a node and let go of the inventory it held."""

    @abc.abstractmethod
    def reserve_node(self, uuid, host):
        """Lock a node for ``host``; NodeLocked if another holds it."""

    @abc.abstractmethod
    def take_over_node(self, uuid, host, stale_holder):
        """Reserve a node whose reservation is missing or ``stale_holder``'s
        (a conductor found dead); NodeLocked if someone else got it."""

    @abc.abstractmethod
    def release_node(self, uuid, host):
        """Unlock a node that ``host`` holds."""

    @abc.abstractmethod
    def list_orphaned_nodes(self, states, alive_hosts, unreserved_before):
        """Nodes whose work stopped: those reserved by a conductor not in
        ``alive_hosts`` (in any state), and those in ``states`` without a
        reservation that have not changed since ``unreserved_before``."""

    @abc.abstractmethod
    def claim_inventory(self, kind, podm_id, pod_uris, node_id):
        """Mark free resources as the node's, all of them or none.

        Returns whether every one of them was free and is now claimed.
        """

    @abc.abstractmethod
    def release_inventory(self, node_id):
        """Let go of every resource a node holds: free again."""

    @abc.abstractmethod
    def create_node_action(self, values):
        """Record the start of an operation or step on a node."""

    @abc.abstractmethod
    def update_node_action(self, action_id, values):
        """Record how an operation or step ended."""

    @abc.abstractmethod
    def list_node_actions(self, node_uuid):
        """What happened to a node, oldest first."""

    # Flavors

    @abc.abstractmethod
    def create_flavor(self, values):
        """Insert a flavor; DuplicateName if the name is taken."""

    @abc.abstractmethod
    def get_flavor_by_uuid(self, uuid):
        """The flavor with this uuid, or FlavorNotFound."""

    @abc.abstractmethod
    def get_flavor_by_name(self, name):
        """The flavor with this name, or FlavorNotFound."""

    @abc.abstractmethod
    def list_flavors(self, filters=None, limit=None, marker=None,
                     sort_key=None, sort_dir=None, visible_to=None):
        """Flavors matching ``filters`` (exact match), one page.

        :param visible_to: a project id: only the public flavors and the
            private ones of this project. None: every flavor.
        """

    @abc.abstractmethod
    def update_flavor(self, uuid, values):
        """Change a flavor; returns the updated row."""

    @abc.abstractmethod
    def destroy_flavor(self, uuid):
        """Delete a flavor; FlavorInUse while a node is being composed
        from it. Nodes that were composed from it keep its uuid."""

    # Inventory

    @abc.abstractmethod
    def apply_inventory(self, podm_id, inventory):
        """Make a pod manager's inventory rows what the pod reported.

        :param inventory: ``{kind: [record dicts]}`` for each kind of
            INVENTORY_KINDS; each record has the kind's columns, keyed by
            ``pod_uri``. Rows of a kind missing from ``inventory`` are
            left alone.
        :returns: ``{'added': n, 'updated': n, 'removed': n}``. Everything
            happens in one transaction, and unchanged rows are not written.
        """

    @abc.abstractmethod
    def list_inventory(self, kind, filters=None, limit=None, marker=None,
                       sort_key=None, sort_dir=None):
        """One page of inventory rows of a kind, with their references.

        :param filters: exact values of columns, ``min_<column>`` for
            lower bounds, ``like_<column>`` for a part of a text (any
            case), ``any_<column>`` for a list of values, and
            ``podm_uuid``, ``node_uuid`` and ``rack_uuid`` for the related
            rows.
        :returns: a list of ``(row, podm_uuid, node_uuid, rack_uuid)``.
        """

    @abc.abstractmethod
    def update_inventory_item(self, kind, uuid, values, expected=None):
        """Change one inventory row, only if its columns still have the
        ``expected`` values; returns whether it did. Syncs leave rows in
        a transient state (being attached or detached) alone."""

    @abc.abstractmethod
    def get_inventory_item(self, kind, uuid):
        """``(row, podm_uuid, node_uuid, rack_uuid)``, or NotFound."""

    @abc.abstractmethod
    def find_inventory_item_by_pod_uri(self, kind, podm_uuid, pod_uri):
        """The row of a kind at ``pod_uri`` of a pod manager, as
        get_inventory_item returns it, or None."""

    # Conductors

    @abc.abstractmethod
    def register_conductor(self, hostname, drivers):
        """Record a live conductor and its drivers (replacing a stale row)."""

    @abc.abstractmethod
    def touch_conductor(self, hostname):
        """Refresh a conductor's heartbeat; ConductorNotFound if gone."""

    @abc.abstractmethod
    def unregister_conductor(self, hostname):
        """Remove a conductor that stops cleanly."""

    @abc.abstractmethod
    def list_conductors(self, alive_within=None):
        """Conductors, only those with a heartbeat this recent if given."""
