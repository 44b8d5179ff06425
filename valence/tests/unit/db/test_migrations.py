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

from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script

from valence.db import migration
from valence.db.sqlalchemy import models
from valence.tests.fixtures import database
from valence.tests.unit.db import base


def head_revision():
    config = migration._config(None)
    return script.ScriptDirectory.from_config(config).get_current_head()


class MigrationTests:
    """The migrations build exactly the schema the models describe."""

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database(self.BACKEND,
                                                    migrate=True))

    def test_migrations_reach_the_head_revision(self):
        self.assertEqual(head_revision(), migration.version(self.db.engine))

    def test_migrated_schema_matches_the_models(self):
        with self.db.engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={'compare_type': True})
            diff = autogenerate.compare_metadata(context,
                                                 models.Base.metadata)
        self.assertEqual([], diff)

    def test_create_schema_refuses_a_database_with_a_schema(self):
        self.assertRaises(RuntimeError, migration.create_schema,
                          self.db.engine)

    def test_upgrade_again_changes_nothing(self):
        migration.upgrade(engine=self.db.engine)
        self.assertEqual(head_revision(), migration.version(self.db.engine))


base.backend_classes(globals(), MigrationTests,
                     mixin=base.BackendTestMixin)
