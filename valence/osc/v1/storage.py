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

"""openstack valence storage list|show: pooled drives, volumes and
storage services."""

from valence.osc.v1 import common
from valence.osc.v1 import inventory

COLUMNS = ('uuid', 'name', 'kind', 'capacity_gib', 'protocol', 'state',
           'podm_id')
FIELDS = (inventory.COMMON_FIELDS + inventory.ALLOCATABLE_FIELDS
          + ('kind', 'capacity_gib', 'protocol', 'media_type', 'vendor',
             'model') + inventory.TIMESTAMPS)
FILTERS = inventory.COMMON_FILTERS + inventory.ALLOCATABLE_FILTERS + (
    common.Filter('--kind', 'kind',
                  'Only storage of this kind (drive, volume, service)'),
    common.Filter('--protocol', 'protocol',
                  'Only storage reached with this protocol'),
    common.Filter('--media-type', 'media_type',
                  'Only storage of this media type (SSD, HDD)'),
    common.Filter('--vendor', 'vendor', 'Only storage of this vendor'),
    common.Filter('--model', 'model', 'Only storage of this model'),
    common.Filter('--min-capacity-gib', 'min_capacity_gib',
                  'Only storage of at least this capacity (GiB)',
                  common.positive_int),
)


class ListStorage(common.ListCommand):
    """List the pooled storage of the pods."""

    WHAT = 'storage'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_storages(**params)


class ShowStorage(common.ShowCommand):
    """Show a pooled drive, volume or storage service."""

    WHAT = 'storage'
    FIELDS = FIELDS
    IDENT = 'uuid'

    def fetch(self, client, uuid):
        return client.get_storage(uuid)
