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

"""What the inventory commands (devices, systems, storages, racks)
share: the fields and filters every inventory resource has."""

from valence.osc.v1 import common

COMMON_FILTERS = (
    common.Filter('--podm', 'podm_id',
                  'Only what the pod of this pod manager (name or uuid) '
                  'holds'),
    common.Filter('--name', 'name', 'Only what has this name'),
    common.Filter('--resource-uri', 'resource_uri',
                  'Only what has this URI on its pod'),
)
# Filters of what a composed node can hold.
ALLOCATABLE_FILTERS = (
    common.Filter('--state', 'state',
                  'Only what is in this state (free, allocated, '
                  'unavailable)'),
    common.Filter('--node', 'node_id',
                  'Only what this node (name or uuid) holds'),
    common.Filter('--rack', 'rack_id',
                  'Only what sits in this rack (uuid)'),
)
COMMON_FIELDS = ('uuid', 'name', 'podm_id', 'resource_uri')
ALLOCATABLE_FIELDS = ('state', 'node_id', 'rack_id')
TIMESTAMPS = ('created_at', 'updated_at')
