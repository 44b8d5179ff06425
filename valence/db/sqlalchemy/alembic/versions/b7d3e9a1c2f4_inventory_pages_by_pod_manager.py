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


"""Inventory pages by pod manager: index (podmanager_id, id)

A page of one pod manager's inventory is ordered by id; without this index
the database sorts the pod manager's every row to find the first page.

Revision ID: b7d3e9a1c2f4
Revises: 4c9e2b7a1d05
Create Date: 2026-11-24
"""

from alembic import op

revision = 'b7d3e9a1c2f4'
down_revision = '4c9e2b7a1d05'

TABLES = ('systems', 'storages', 'devices', 'resource_blocks')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index('%s_podmanager_id_idx' % table,
                                  ['podmanager_id', 'id'])
