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

"""Initial schema: pod managers, conductors, nodes

Revision ID: 3f1c2a7d9b10
Revises:
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '3f1c2a7d9b10'
down_revision = None


def upgrade():
    op.create_table(
        'conductors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hostname', sa.String(length=255), nullable=False),
        sa.Column('drivers', sa.JSON(), nullable=False),
        sa.Column('online', sa.Boolean(), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hostname', name='uniq_conductors0hostname'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB'
    )
    op.create_table(
        'pod_managers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('url', sa.String(length=255), nullable=False),
        sa.Column('driver', sa.String(length=64), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('auth_type', sa.String(length=32), nullable=False),
        sa.Column('username', sa.String(length=255), nullable=True),
        sa.Column('password', sa.Text(), nullable=True),
        sa.Column('verify_tls', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('status_reason', sa.Text(), nullable=True),
        sa.Column('last_sync_at', sa.DateTime(), nullable=True),
        sa.Column('conductor_affinity', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', name='uniq_pod_managers0name'),
        sa.UniqueConstraint('url', name='uniq_pod_managers0url'),
        sa.UniqueConstraint('uuid', name='uniq_pod_managers0uuid'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB'
    )
    op.create_table(
        'nodes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('podmanager_id', sa.Integer(), nullable=False),
        sa.Column('pod_node_uri', sa.String(length=255), nullable=True),
        sa.Column('flavor_id', sa.String(length=36), nullable=True),
        sa.Column('requested', sa.JSON(), nullable=True),
        sa.Column('composed', sa.JSON(), nullable=True),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('power_state', sa.String(length=32), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('reservation', sa.String(length=255), nullable=True),
        sa.Column('provision_driver', sa.String(length=64), nullable=True),
        sa.Column('ironic_node_uuid', sa.String(length=36), nullable=True),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('managed', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['podmanager_id'], ['pod_managers.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('podmanager_id', 'pod_node_uri',
                            name='uniq_nodes0podmanager_id0pod_node_uri'),
        sa.UniqueConstraint('uuid', name='uniq_nodes0uuid'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB'
    )
    with op.batch_alter_table('nodes') as batch_op:
        batch_op.create_index('nodes_project_id_idx', ['project_id'])
        batch_op.create_index('nodes_state_idx', ['state'])
