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

"""/v1/storages: pooled drives, volumes and storage services."""

from wsme import types as wtypes

from valence import objects
from valence.api.controllers.v1 import inventory


class Storage(inventory.AllocatableItem):
    _RESOURCE = 'storages'

    kind = wtypes.text
    """drive, volume or service."""
    capacity_gib = int
    protocol = wtypes.text
    media_type = wtypes.text
    vendor = wtypes.text
    model = wtypes.text



class StoragesController(inventory.InventoryController):
    OBJECT = objects.Storage
    ITEM = Storage
    FIELD = 'storages'
    POLICY = 'valence:storage'
    FILTERS = {**inventory.common_filters(),
               **inventory.filters('kind', 'protocol', 'media_type',
                                   'vendor', 'model',
                                   ints=('min_capacity_gib',))}
    SORT_KEYS = inventory.COMMON_SORT_KEYS + ('state', 'kind',
                                              'capacity_gib')

    @inventory.expose_list()
    def get_all(self, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """List pooled storage; ``min_capacity_gib`` is a lower bound."""
        return self._list(limit, marker, sort_key, sort_dir)

    @inventory.expose_show()
    def get_one(self, uuid):
        return self._show(uuid)
