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

"""/v1/racks: the chassis tree of the pods (pods, racks, drawers...)."""

from wsme import types as wtypes

from valence import objects
from valence.api.controllers.v1 import inventory


class Rack(inventory.InventoryItem):
    _RESOURCE = 'racks'

    chassis_type = wtypes.text
    """Rack, Drawer, Sled, Enclosure... as the pod says."""
    parent_uri = wtypes.text
    """The pod's URI of the chassis containing this one, or null."""
    location = wtypes.text
    manufacturer = wtypes.text
    model = wtypes.text
    serial_number = wtypes.text



class RacksController(inventory.InventoryController):
    OBJECT = objects.Rack
    ITEM = Rack
    FIELD = 'racks'
    POLICY = 'valence:rack'
    FILTERS = {**inventory.common_filters(allocatable=False),
               **inventory.filters('chassis_type', 'manufacturer',
                                   'model')}
    SORT_KEYS = inventory.COMMON_SORT_KEYS + ('chassis_type',)

    @inventory.expose_list()
    def get_all(self, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """List racks and the other chassis of the pods."""
        return self._list(limit, marker, sort_key, sort_dir)

    @inventory.expose_show()
    def get_one(self, uuid):
        return self._show(uuid)
