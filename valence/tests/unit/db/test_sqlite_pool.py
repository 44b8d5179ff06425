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

"""A SQLite database file is used through a pool of kept-open connections,
each set up as oslo.db and Valence set up a new one."""

from oslo_utils import uuidutils
import sqlalchemy as sa

from valence.db import api as db_api
from valence.tests import base
from valence.tests.fixtures import database


class TestSQLiteFilePool(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database())
        self.dbapi = db_api.get_instance()
        self.podm = self.dbapi.create_pod_manager({
            'uuid': uuidutils.generate_uuid(), 'name': 'pod',
            'url': 'http://pod', 'driver': 'redfishv1', 'auth_type': 'basic',
            'verify_tls': True, 'status': 'online'})

    def test_transactions_reuse_connections(self):
        opened = []
        sa.event.listen(self.db.engine, 'connect',
                        lambda *args: opened.append(args))
        for i in range(20):
            self.dbapi.update_pod_manager(self.podm.uuid,
                                          {'description': str(i)})
            self.dbapi.get_pod_manager_by_uuid(self.podm.uuid)
        self.assertEqual([], opened)
        self.assertEqual('19', self.dbapi.get_pod_manager_by_uuid(
            self.podm.uuid).description)

    def test_pooled_connections_keep_their_settings(self):
        # Several connections checked out at once, so the pool opens more.
        connections = [self.db.engine.connect() for _ in range(3)]
        try:
            for connection in connections:
                self.assertEqual(1, connection.exec_driver_sql(
                    'PRAGMA foreign_keys').scalar())
                self.assertEqual('wal', connection.exec_driver_sql(
                    'PRAGMA journal_mode').scalar())
        finally:
            for connection in connections:
                connection.close()
