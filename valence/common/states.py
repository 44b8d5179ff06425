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

"""States of the objects Valence manages."""

# Pod manager status, as last seen by its conductor.
ONLINE = 'online'
OFFLINE = 'offline'
ERROR = 'error'
POD_MANAGER_STATUSES = (ONLINE, OFFLINE, ERROR)

# Node states (see the node lifecycle in the architecture guide). A node
# is composed through composing, then allocated and assembling on pods that
# build in two steps (RSD), to available; a failed composition ends in
# compose failed, or cleanup_needed when the pod could not be cleaned up.
COMPOSING = 'composing'
ALLOCATED = 'allocated'
ASSEMBLING = 'assembling'
AVAILABLE = 'available'
COMPOSE_FAILED = 'compose failed'
CLEANUP_NEEDED = 'cleanup_needed'
DELETING = 'deleting'
ATTACHING = 'attaching'
DETACHING = 'detaching'
# While the node is registered in Ironic or removed from it; a registered
# node is available, with its Ironic node's uuid.
REGISTERING = 'registering'
UNREGISTERING = 'unregistering'

# A composition under way: the node's flavor must stay.
COMPOSE_STATES = (COMPOSING, ALLOCATED, ASSEMBLING)
# States a conductor holds a node in while it works on it; a node left in
# one by a conductor that died is recovered.
TRANSIENT_NODE_STATES = COMPOSE_STATES + (DELETING, ATTACHING, DETACHING,
                                          REGISTERING, UNREGISTERING)

# Inventory states: as the pod reports them (free, allocated, unavailable),
# and while Valence attaches a device to a node or detaches it (the row is
# claimed first, so that two requests never both reach the pod).
FREE = 'free'
ALLOCATED_TO_NODE = 'allocated'
UNAVAILABLE = 'unavailable'
DEVICE_ATTACHING = 'attaching'
DEVICE_DETACHING = 'detaching'
TRANSIENT_DEVICE_STATES = (DEVICE_ATTACHING, DEVICE_DETACHING)
