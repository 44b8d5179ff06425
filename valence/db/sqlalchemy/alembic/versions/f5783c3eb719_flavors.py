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

"""Flavors: what nodes are composed of

Revision ID: f5783c3eb719
Revises: 017f4be9377f
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = 'f5783c3eb719'
down_revision = '017f4be9377f'


def upgrade():
    op.create_table(
        'flavors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('properties', sa.JSON(), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
        sa.UniqueConstraint('uuid', name='uniq_flavors0uuid'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB'
    )
    with op.batch_alter_table('flavors') as batch_op:
        batch_op.create_index('flavors_project_id_idx', ['project_id'])
    with op.batch_alter_table('nodes') as batch_op:
        batch_op.create_index('nodes_flavor_id_idx', ['flavor_id'])
