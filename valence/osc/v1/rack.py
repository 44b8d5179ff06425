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

"""openstack valence rack list|show: the chassis of the pods (pods,
racks, drawers, sleds...)."""

from valence.osc.v1 import common
from valence.osc.v1 import inventory

COLUMNS = ('uuid', 'name', 'chassis_type', 'parent_uri', 'podm_id')
FIELDS = (inventory.COMMON_FIELDS
          + ('chassis_type', 'parent_uri', 'location', 'manufacturer',
             'model', 'serial_number') + inventory.TIMESTAMPS)
FILTERS = inventory.COMMON_FILTERS + (
    common.Filter('--chassis-type', 'chassis_type',
                  'Only chassis of this type (Rack, Drawer, Sled...)'),
    common.Filter('--manufacturer', 'manufacturer',
                  'Only chassis of this manufacturer'),
    common.Filter('--model', 'model', 'Only chassis of this model'),
)


class ListRack(common.ListCommand):
    """List the racks and other chassis of the pods."""

    WHAT = 'rack'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_racks(**params)


class ShowRack(common.ShowCommand):
    """Show a rack or other chassis."""

    WHAT = 'rack'
    FIELDS = FIELDS
    IDENT = 'uuid'

    def fetch(self, client, uuid):
        return client.get_rack(uuid)
