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

"""Several processes writing one SQLite database wait for each other.

The all-in-one service shares its SQLite file with valence-manage and
valence-dbsync; a write that reads first must wait for the other process's
write lock, not fail with "database is locked".
"""

import subprocess
import sys

from oslo_utils import uuidutils

from valence.db import api as db_api
from valence.tests import base
from valence.tests.fixtures import database

WRITER = '''
import sys
from valence import conf
from valence.db import api
conf.CONF([], project='valence', default_config_files=[])
conf.CONF.set_override('connection', sys.argv[1], group='database')
dbapi = api.get_instance()
failures = 0
for i in range(int(sys.argv[3])):
    try:
        dbapi.update_pod_manager(sys.argv[2], {'description': str(i)})
    except Exception as e:
        failures += 1
        print(e, file=sys.stderr)
print(failures)
'''


class TestWritersInSeveralProcesses(base.TestCase):

    def test_no_write_fails_for_another_process_writing(self):
        db = self.useFixture(database.Database())
        podm = db_api.get_instance().create_pod_manager({
            'uuid': uuidutils.generate_uuid(), 'name': 'pod',
            'url': 'http://pod', 'driver': 'redfishv1', 'auth_type': 'basic',
            'verify_tls': True, 'status': 'online'})
        writers = [subprocess.Popen(
            [sys.executable, '-c', WRITER, db.url, podm.uuid, '150'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            self.assertEqual(0, writer.returncode, err)
            self.assertEqual('0', out.strip(), err[-2000:])
