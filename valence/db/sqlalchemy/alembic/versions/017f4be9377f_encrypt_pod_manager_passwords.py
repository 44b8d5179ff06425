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


"""Encrypt the pod manager passwords stored in clear

Revision ID: 017f4be9377f
Revises: 8a41d2e6c0f3
Create Date: 2026-11-24

Passwords are encrypted with the Fernet keys of ``[secrets]``. Where this
migration runs without a key (``valence-dbsync`` on a host that has none),
the passwords are left as they are: the conductors still read them, and
``valence-manage reencrypt_passwords`` encrypts them later. The all-in-one
``valence`` creates its key before it migrates.
"""

from alembic import op
from oslo_log import log
import sqlalchemy as sa

from valence.common import crypto

revision = '017f4be9377f'
down_revision = '8a41d2e6c0f3'

LOG = log.getLogger(__name__)


def upgrade():
    pod_managers = sa.table('pod_managers', sa.column('id', sa.Integer),
                            sa.column('password', sa.Text))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(pod_managers.c.id, pod_managers.c.password)
        .where(pod_managers.c.password.is_not(None))).all()
    clear = [(id_, password) for id_, password in rows
             if not crypto.is_encrypted(password)]
    if not clear:
        return
    if not crypto.keys_configured():
        LOG.warning('%d pod manager password(s) stay in clear: no Fernet '
                    'key is configured here. Run "valence-manage '
                    'reencrypt_passwords" on a conductor host.',
                    len(clear))
        return
    for id_, password in clear:
        connection.execute(
            sa.update(pod_managers).where(pod_managers.c.id == id_)
            .values(password=crypto.encrypt(password)))
