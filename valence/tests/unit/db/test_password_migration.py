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


"""The migration that encrypts pod manager passwords stored in clear."""

import os

import fixtures
import sqlalchemy as sa

from valence.common import crypto
from valence.db import migration
from valence.tests.fixtures import database
from valence.tests.unit.db import base

BEFORE = '8a41d2e6c0f3'


class PasswordMigrationTests:

    def setUp(self):
        super().setUp()
        if self.BACKEND == 'sqlite':
            path = self.useFixture(fixtures.TempDir()).path
            url = 'sqlite:///%s' % os.path.join(path, 'valence.sqlite')
        else:
            url = self.useFixture(database.ServerDatabase(self.BACKEND)).url
        self.engine = sa.create_engine(url, poolclass=sa.NullPool)
        self.addCleanup(self.engine.dispose)

    def _migrate_with_clear_passwords(self, *passwords):
        """Upgrade to the head over rows stored before; the passwords."""
        migration.upgrade(BEFORE, engine=self.engine)
        with self.engine.begin() as connection:
            for number, password in enumerate(passwords):
                connection.execute(sa.text(
                    "INSERT INTO pod_managers (uuid, name, url, driver, "
                    "auth_type, password, verify_tls, status, created_at) "
                    "VALUES (:uuid, :name, :url, 'redfishv1', 'basic', "
                    ":password, :verify, 'online', CURRENT_TIMESTAMP)"),
                    {'uuid': '00000000-0000-0000-0000-00000000000%d' % number,
                     'name': 'pod-%d' % number, 'verify': True,
                     'url': 'http://pod-%d' % number, 'password': password})
        migration.upgrade(engine=self.engine)
        with self.engine.connect() as connection:
            return [row[0] for row in connection.execute(sa.text(
                'SELECT password FROM pod_managers ORDER BY name'))]

    def test_clear_passwords_are_encrypted_with_the_first_key(self):
        stored = self._migrate_with_clear_passwords('first-pw', None)
        self.assertTrue(crypto.is_encrypted(stored[0]))
        self.assertNotIn('first-pw', stored[0])
        self.assertEqual('first-pw', crypto.decrypt(stored[0]))
        self.assertIsNone(stored[1])

    def test_without_a_key_passwords_stay_readable_in_clear(self):
        self.config(fernet_keys=[], group='secrets')
        stored = self._migrate_with_clear_passwords('first-pw')
        self.assertEqual(['first-pw'], stored)
        self.assertFalse(crypto.keys_configured())


base.backend_classes(globals(), PasswordMigrationTests,
                     mixin=base.BackendTestMixin)
