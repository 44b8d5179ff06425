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

"""Schema migrations of the Valence database (alembic)."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models


def _config(connection):
    config = alembic_config.Config(
        os.path.join(os.path.dirname(__file__), 'sqlalchemy', 'alembic.ini'))
    config.attributes['connection'] = connection
    return config


def upgrade(revision='head', engine=None):
    """Bring the schema up to ``revision``."""
    engine = engine or sqla_api.get_engine()
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def version(engine=None):
    """The schema revision of the database, or None if it is empty."""
    engine = engine or sqla_api.get_engine()
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()


def head():
    """The newest revision the migrations bring a schema to."""
    return alembic_script.ScriptDirectory.from_config(
        _config(None)).get_current_head()


def create_schema(engine=None):
    """Create the current schema in an empty database, without migrating.

    Faster than replaying every migration; the database is then stamped with
    the head revision so later upgrades start from there.
    """
    engine = engine or sqla_api.get_engine()
    if version(engine) is not None:
        raise RuntimeError('The database already has a schema; use '
                           '"valence-dbsync upgrade" instead.')
    with engine.begin() as connection:
        models.Base.metadata.create_all(connection)
        command.stamp(_config(connection), 'head')
