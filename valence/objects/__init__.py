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

from valence.db import api as db_api
from valence.objects import conductor
from valence.objects import flavor
from valence.objects import inventory
from valence.objects import node
from valence.objects import pod_manager

Conductor = conductor.Conductor
Flavor = flavor.Flavor
PodManager = pod_manager.PodManager
PodManagerPayload = pod_manager.PodManagerPayload
Rack = inventory.Rack
System = inventory.System
Storage = inventory.Storage
Device = inventory.Device
ResourceBlock = inventory.ResourceBlock
ResourceZone = inventory.ResourceZone
InventorySyncPayload = inventory.InventorySyncPayload
Node = node.Node
NodeAction = node.NodeAction
NodePayload = node.NodePayload


def transaction():
    """A context manager: the objects this thread writes in it are
    written together, or, when the block raises, not at all."""
    return db_api.get_instance().transaction()
