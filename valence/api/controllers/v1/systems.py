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

"""/v1/systems: the compute systems of the pods."""

from wsme import types as wtypes

from valence import objects
from valence.api.controllers.v1 import inventory


class System(inventory.AllocatableItem):
    _RESOURCE = 'systems'

    system_uuid = wtypes.text
    """The system's own UUID, as the hardware reports it."""
    manufacturer = wtypes.text
    model = wtypes.text
    processor_model = wtypes.text
    processors = int
    cores = int
    arch = wtypes.text
    memory_mib = int
    local_gb = int
    mac_addresses = [wtypes.text]
    power_state = wtypes.text



class SystemsController(inventory.InventoryController):
    OBJECT = objects.System
    ITEM = System
    FIELD = 'systems'
    POLICY = 'valence:system'
    FILTERS = {**inventory.common_filters(),
               **inventory.filters(
                   'manufacturer', 'model', 'processor_model', 'arch',
                   'power_state',
                   ints=('min_processors', 'min_cores', 'min_memory_mib',
                         'min_local_gb'))}
    SORT_KEYS = inventory.COMMON_SORT_KEYS + ('state', 'cores',
                                              'memory_mib', 'local_gb')

    @inventory.expose_list()
    def get_all(self, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """List systems; ``min_*`` filters are lower bounds."""
        return self._list(limit, marker, sort_key, sort_dir)

    @inventory.expose_show()
    def get_one(self, uuid):
        return self._show(uuid)
