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

"""valence-status upgrade check: each check on a real (SQLite) database."""

import datetime

from oslo_upgradecheck import upgradecheck
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from valence import objects
from valence.cmd import status
from valence.common import context
from valence.common import crypto
from valence.common import states
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests import base
from valence.tests.fixtures import database

Code = upgradecheck.Code


class StatusTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database())
        self.context = context.get_admin_context()
        self.checks = status.Checks()

    def add_pod_manager(self, name, driver='redfishv1'):
        podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name=name,
            url='http://127.0.0.1:1/%s' % name, driver=driver,
            auth_type='basic', username='admin', password='secret',
            verify_tls=True, status=states.ONLINE)
        podm.create()
        return podm


class TestSchema(StatusTestCase):

    def test_a_schema_at_head_passes(self):
        self.assertEqual(Code.SUCCESS, self.checks._check_schema().code)

    def test_an_older_schema_fails_and_says_what_to_run(self):
        with self.db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE alembic_version SET version_num = 'older'"))
        result = self.checks._check_schema()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('older', result.details)
        self.assertIn('valence-dbsync upgrade', result.details)


class TestConductors(StatusTestCase):

    def test_no_live_conductor_is_a_warning(self):
        result = self.checks._check_conductors()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('503', result.details)

    def test_a_silent_conductor_does_not_count(self):
        objects.Conductor.register(self.context, 'c1', ['redfishv1'])
        with sqla_api.main_context.writer.using(self.context) as session:
            session.execute(sa.update(models.Conductor).values(
                heartbeat_at=timeutils.utcnow() -
                datetime.timedelta(days=1)))
        self.assertEqual(Code.WARNING,
                         self.checks._check_conductors().code)

    def test_live_conductors_pass_and_are_named(self):
        objects.Conductor.register(self.context, 'c1', ['redfishv1'])
        objects.Conductor.register(self.context, 'c2', ['redfishv1'])
        result = self.checks._check_conductors()
        self.assertEqual(Code.SUCCESS, result.code)
        self.assertIn('c1, c2', result.details)


class TestDrivers(StatusTestCase):

    def test_a_pod_manager_no_live_conductor_can_drive_fails(self):
        objects.Conductor.register(self.context, 'c1', ['redfishv1'])
        self.add_pod_manager('rsd-1')
        self.add_pod_manager('eem-1', driver='expether')
        result = self.checks._check_drivers()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('eem-1 (expether)', result.details)
        self.assertNotIn('rsd-1', result.details)

    def test_every_driver_served_passes(self):
        objects.Conductor.register(self.context, 'c1',
                                   ['redfishv1', 'expether'])
        self.add_pod_manager('rsd-1')
        self.add_pod_manager('eem-1', driver='expether')
        self.assertEqual(Code.SUCCESS, self.checks._check_drivers().code)


class TestSecretKeys(StatusTestCase):

    def test_configured_keys_that_open_every_password_pass(self):
        self.add_pod_manager('rsd-1')
        self.assertEqual(Code.SUCCESS,
                         self.checks._check_secret_keys().code)

    def test_keys_that_cannot_open_a_password_fail(self):
        self.add_pod_manager('rsd-1')
        self.config(fernet_keys=[crypto.generate_key()], group='secrets')
        result = self.checks._check_secret_keys()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('rsd-1', result.details)

    def test_a_malformed_key_fails(self):
        self.config(fernet_keys=['not-a-key'], group='secrets')
        self.assertEqual(Code.FAILURE,
                         self.checks._check_secret_keys().code)

    def test_no_keys_at_all_is_a_warning(self):
        self.config(fernet_keys=[], group='secrets')
        result = self.checks._check_secret_keys()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('share', result.details)


class TestCommand(StatusTestCase):

    def test_the_worst_result_is_the_exit_code(self):
        # No live conductor: a warning.
        self.assertEqual(Code.WARNING, self.checks.check())
