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

"""openstack valence system list|show: the compute systems of the pods."""

from valence.osc.v1 import common
from valence.osc.v1 import inventory

COLUMNS = ('uuid', 'name', 'state', 'cores', 'memory_mib', 'power_state',
           'podm_id')
FIELDS = (inventory.COMMON_FIELDS + inventory.ALLOCATABLE_FIELDS
          + ('system_uuid', 'manufacturer', 'model', 'processor_model',
             'processors', 'cores', 'arch', 'memory_mib', 'local_gb',
             'mac_addresses', 'power_state') + inventory.TIMESTAMPS)
FILTERS = inventory.COMMON_FILTERS + inventory.ALLOCATABLE_FILTERS + (
    common.Filter('--manufacturer', 'manufacturer',
                  'Only systems of this manufacturer'),
    common.Filter('--model', 'model', 'Only systems of this model'),
    common.Filter('--processor-model', 'processor_model',
                  'Only systems of this processor model'),
    common.Filter('--arch', 'arch', 'Only systems of this architecture'),
    common.Filter('--power-state', 'power_state',
                  'Only systems in this power state (on, off)'),
    common.Filter('--min-processors', 'min_processors',
                  'Only systems with at least this many processors',
                  common.positive_int),
    common.Filter('--min-cores', 'min_cores',
                  'Only systems with at least this many cores',
                  common.positive_int),
    common.Filter('--min-memory-mib', 'min_memory_mib',
                  'Only systems with at least this much memory (MiB)',
                  common.positive_int),
    common.Filter('--min-local-gb', 'min_local_gb',
                  'Only systems with at least this much local storage (GB)',
                  common.positive_int),
)


class ListSystem(common.ListCommand):
    """List the compute systems of the pods."""

    WHAT = 'system'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_systems(**params)


class ShowSystem(common.ShowCommand):
    """Show a compute system."""

    WHAT = 'system'
    FIELDS = FIELDS
    IDENT = 'uuid'

    def fetch(self, client, uuid):
        return client.get_system(uuid)
