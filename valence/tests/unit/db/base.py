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

"""Run the database tests on each backend.

A test class mixes ``DatabaseTestMixin`` into its tests and is declared
once per backend with ``backend_classes``; MariaDB and PostgreSQL tests
skip where the server is missing, and fail instead in CI.
"""

from valence.db import api as db_api
from valence.tests import base
from valence.tests.fixtures import database

BACKENDS = ('sqlite', 'mysql', 'postgresql')


class BackendTestMixin:

    BACKEND = 'sqlite'

    def setUp(self):
        super().setUp()
        if self.BACKEND != 'sqlite':
            database.require_server(self, self.BACKEND)


class DatabaseTestMixin(BackendTestMixin):
    """A database with the current schema, used by the DB API."""

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database(self.BACKEND))
        self.dbapi = db_api.get_instance()


def backend_classes(module_globals, tests, mixin=DatabaseTestMixin):
    """Declare ``tests`` once per backend in the calling module."""
    for backend in BACKENDS:
        name = '%s_%s' % (tests.__name__, backend)
        module_globals[name] = type(
            name, (tests, mixin, base.TestCase),
            {'BACKEND': backend, '__module__': module_globals['__name__']})
