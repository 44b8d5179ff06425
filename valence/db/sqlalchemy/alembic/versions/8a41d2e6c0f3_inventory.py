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

"""Inventory of the pods: racks, systems, storages, devices, DMTF blocks
and zones

Revision ID: 8a41d2e6c0f3
Revises: 3f1c2a7d9b10
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '8a41d2e6c0f3'
down_revision = '3f1c2a7d9b10'


def _inventory_table(name, *columns, allocatable=True, indexes=()):
    """A table with the columns every inventory row has."""
    common = [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('podmanager_id', sa.Integer(), nullable=False),
        sa.Column('pod_uri', sa.String(length=255), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
    ]
    if allocatable:
        common += [
            sa.Column('state', sa.String(length=16), nullable=False),
            sa.Column('pod_node_uri', sa.String(length=255), nullable=True),
            sa.Column('node_id', sa.Integer(), nullable=True),
            sa.Column('rack_uri', sa.String(length=255), nullable=True),
            sa.ForeignKeyConstraint(['node_id'], ['nodes.id']),
        ]
    op.create_table(
        name,
        *common,
        *columns,
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['podmanager_id'], ['pod_managers.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('podmanager_id', 'pod_uri',
                            name='uniq_%s0podmanager_id0pod_uri' % name),
        sa.UniqueConstraint('uuid', name='uniq_%s0uuid' % name),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    with op.batch_alter_table(name) as batch_op:
        for index_name, index_columns in indexes:
            batch_op.create_index(index_name, index_columns)


def _text(name, length=255):
    return sa.Column(name, sa.String(length=length), nullable=True)


def upgrade():
    _inventory_table(
        'racks',
        _text('chassis_type', 32), _text('parent_uri'), _text('location'),
        _text('manufacturer'), _text('model'), _text('serial_number'),
        allocatable=False)
    _inventory_table(
        'systems',
        _text('hw_uuid', 36), _text('manufacturer'), _text('model'),
        _text('processor_model'),
        sa.Column('processors', sa.Integer(), nullable=False),
        sa.Column('cores', sa.Integer(), nullable=False),
        _text('arch', 32),
        sa.Column('memory_mib', sa.BigInteger(), nullable=False),
        sa.Column('local_gb', sa.BigInteger(), nullable=False),
        sa.Column('mac_addresses', sa.JSON(), nullable=True),
        _text('power_state', 16),
        indexes=[('systems_state_idx', ['state'])])
    _inventory_table(
        'storages',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('capacity_gib', sa.BigInteger(), nullable=False),
        _text('protocol', 64), _text('media_type', 32), _text('vendor'),
        _text('model'),
        indexes=[('storages_state_idx', ['state'])])
    _inventory_table(
        'devices',
        sa.Column('type', sa.String(length=16), nullable=False),
        _text('vendor'), _text('model'), _text('zone_uri'),
        sa.Column('properties', sa.JSON(), nullable=True),
        indexes=[('devices_state_type_idx', ['state', 'type'])])
    _inventory_table(
        'resource_blocks',
        sa.Column('block_types', sa.JSON(), nullable=True),
        sa.Column('zone_uris', sa.JSON(), nullable=True),
        sa.Column('reserved', sa.Boolean(), nullable=False),
        sa.Column('sharing_capable', sa.Boolean(), nullable=False))
    _inventory_table(
        'resource_zones',
        sa.Column('block_uris', sa.JSON(), nullable=True),
        allocatable=False)
