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

"""A conductor's driver instances: reused until the connection changes."""

from oslo_utils import uuidutils

from valence import objects
from valence.common import context
from valence.common import exception
from valence.conductor import drivers
from valence.tests import base
from valence.tests.fixtures import database


class TestDriverCache(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.context = context.get_admin_context()
        podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod',
            url='http://pod', driver='redfishv1', auth_type='basic',
            username='admin', password='first', verify_tls=True,
            status='online')
        podm.create()
        self.uuid = podm.uuid
        self.drivers = drivers.DriverCache()

    def load(self):
        return objects.PodManager.get_by_uuid(self.context, self.uuid)

    def test_the_same_connection_keeps_its_driver(self):
        driver = self.drivers.get(self.load())
        self.assertIs(driver, self.drivers.get(self.load()))
        self.assertEqual('first', driver.connection.password)

    def test_a_new_password_gets_a_new_driver_before_and_after_saving(self):
        old = self.drivers.get(self.load())
        podm = self.load()
        podm.password = 'second'
        # The check of a changed pod manager happens before it is saved,
        # with the timestamps it had.
        checked = self.drivers.get(podm)
        self.assertIsNot(old, checked)
        self.assertEqual('second', checked.connection.password)
        podm.save()
        self.assertEqual('second',
                         self.drivers.get(self.load()).connection.password)

    def test_a_password_changed_elsewhere_is_noticed(self):
        self.drivers.get(self.load())
        # Another conductor changed it, maybe within the same second.
        objects.PodManager.dbapi.update_pod_manager(
            self.uuid, {'password': objects.PodManager(
                password='third')._changes_to_store()['password']})
        self.assertEqual('third',
                         self.drivers.get(self.load()).connection.password)

    def test_a_new_url_gets_a_new_driver(self):
        old = self.drivers.get(self.load())
        podm = self.load()
        podm.url = 'http://other-pod'
        self.assertEqual('http://other-pod',
                         self.drivers.get(podm).connection.url)
        self.assertIsNot(old, self.drivers.get(podm))

    def test_an_unknown_driver_names_those_there_are(self):
        podm = self.load()
        podm.driver = 'nonesuch'
        error = self.assertRaises(exception.InvalidDriver,
                                  self.drivers.get, podm)
        self.assertIn('redfishv1', str(error))
