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


"""Pod manager passwords: encrypted in the database, loaded on demand."""

from oslo_utils import uuidutils
import sqlalchemy as sa

from valence import objects
from valence.common import context
from valence.common import crypto
from valence.objects import base as objects_base
from valence.tests import base
from valence.tests.fixtures import database

PASSWORD = 's3cr3t-pw'


class TestPodManagerPassword(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(database.Database())
        self.context = context.get_admin_context()
        self.podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod',
            url='http://pod', driver='redfishv1', auth_type='basic',
            username='admin', password=PASSWORD, verify_tls=True,
            status='online')
        self.podm.create()

    def stored_password(self):
        with self.db.engine.connect() as connection:
            return connection.execute(sa.text(
                'SELECT password FROM pod_managers')).scalar_one()

    def test_the_database_holds_it_encrypted(self):
        stored = self.stored_password()
        self.assertTrue(stored.startswith('fernet:'))
        self.assertNotIn(PASSWORD, stored)
        self.assertEqual(PASSWORD, crypto.decrypt(stored))

    def test_a_loaded_object_decrypts_it_only_when_read(self):
        podm = objects.PodManager.get(self.context, 'pod')
        self.assertFalse(podm.obj_attr_is_set('password'))
        self.assertEqual(PASSWORD, podm.password)
        self.assertEqual(set(), podm.obj_what_changed())

    def test_objects_sent_over_rpc_carry_no_stored_password(self):
        for podm in (self.podm, objects.PodManager.get(self.context, 'pod')):
            primitive = objects_base.ValenceObjectSerializer(
                ).serialize_entity(self.context, podm)
            self.assertNotIn('password', primitive['valence_object.data'])

    def test_a_changed_password_is_encrypted_when_saved(self):
        podm = objects.PodManager.get(self.context, 'pod')
        podm.password = 'new-pw'
        podm.save()
        self.assertEqual('new-pw', crypto.decrypt(self.stored_password()))
        self.assertFalse(podm.obj_attr_is_set('password'))

    def test_reencrypt_uses_the_first_key(self):
        old_key = self.config_fixture.conf.secrets.fernet_keys[0]
        new_key = crypto.generate_key()
        self.config(fernet_keys=[new_key, old_key], group='secrets')
        self.assertEqual(1, objects.PodManager.reencrypt_passwords(
            self.context))
        self.config(fernet_keys=[new_key], group='secrets')
        self.assertEqual(PASSWORD,
                         objects.PodManager.get(self.context, 'pod').password)

    def test_reencrypt_encrypts_passwords_stored_in_clear(self):
        with self.db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE pod_managers SET password = 'legacy-pw'"))
        self.assertEqual(1, objects.PodManager.reencrypt_passwords(
            self.context))
        self.assertEqual('legacy-pw', crypto.decrypt(self.stored_password()))
        self.assertTrue(crypto.is_encrypted(self.stored_password()))

    def test_reencrypt_keeps_a_password_changed_meanwhile(self):
        stale = self.stored_password()
        podm = objects.PodManager.get(self.context, 'pod')
        podm.password = 'changed-pw'
        podm.save()
        self.assertFalse(self.podm.dbapi.replace_pod_manager_password(
            self.podm.uuid, stale, crypto.reencrypt(stale)))
        self.assertEqual('changed-pw',
                         crypto.decrypt(self.stored_password()))
