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

"""Pod manager passwords never leave the database, and only encrypted.

valence-conductor and valence-api run over RabbitMQ and MariaDB with every
logger at DEBUG (RPC, AMQP, SQL statements, HTTP towards the pods), and a
user does all there is to do with pod managers whose password is known:
register them against emulator pods, change them, list and show them,
sync their inventory, send bad requests, rotate the Fernet keys, delete
them. Then the logs, the notifications, the API answers and the database
rows are searched for the passwords, plain or base64-encoded as in an
HTTP Authorization header.
"""

import base64

import sqlalchemy as sa
import testtools

from valence.tests.fixtures import emulator
from valence.tests.functional import base

PASSWORD = 'canary-pod-password-5e1d'
WRONG_PASSWORD = 'canary-wrong-password-77b0'
USERNAME = 'admin'
PODMS = '/v1/pod_managers'
DEBUG_EVERYWHERE = ','.join('%s=DEBUG' % logger for logger in (
    'amqp', 'kombu', 'oslo_messaging', 'oslo.messaging', 'oslo_policy',
    'sqlalchemy.engine', 'urllib3', 'requests', 'sushy', 'stevedore',
    'cheroot', 'keystonemiddleware', 'valence'))


def podm_body(name, url, driver, password=PASSWORD):
    return {'name': name, 'url': url, 'driver': driver,
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': USERNAME, 'password': password}}]}


def leaked_forms(password):
    """The password as text and as an HTTP basic Authorization value."""
    pair = ('%s:%s' % (USERNAME, password)).encode()
    return (password, base64.b64encode(pair).decode())


class TestPasswordsStaySecret(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.services, self.notifications = base.split_services(
            self, options={
                'DEFAULT': {'default_log_levels': DEBUG_EVERYWHERE},
                # Every SQL statement with its parameters.
                'database': {'connection_debug': 100}})
        self.pods = self.useFixture(emulator.EmulatorFixture(
            pods=['rsd', 'expether'], password=PASSWORD))
        self.answers = []

    def api(self, method, path, **kwargs):
        response = self.services.api(method, path, **kwargs)
        self.answers.append(response.text)
        return response

    def stored_passwords(self):
        with self.services.engine.connect() as connection:
            return [row[0] for row in connection.execute(
                sa.text('SELECT password FROM pod_managers'))]

    def rotate_keys(self):
        """The documented rotation: a new first key, re-encrypt, drop the
        old key."""
        config = self.services.write_config('manage')
        self.services.run_command('valence-manage', config, 'add_key')
        output = self.services.run_command('valence-manage', config,
                                           'reencrypt_passwords')
        self.assertIn('2 pod manager password(s)', output)
        with open(self.services.key_file) as f:
            keys = [line for line in f.read().splitlines()
                    if line and not line.startswith('#')]
        with open(self.services.key_file, 'w') as f:
            f.write(keys[0] + '\n')

    def test_passwords_appear_nowhere_but_encrypted_in_the_database(self):
        rsd_url, expether_url = self.pods.urls
        rsd = self.api('POST', PODMS, json=podm_body(
            'rack-1', rsd_url, 'redfishv1')).json()
        self.assertEqual('online', rsd['status'], rsd['status_reason'])
        expether = self.api('POST', PODMS, json=podm_body(
            'ee-1', expether_url + '/eem', 'expether')).json()
        self.assertEqual('online', expether['status'],
                         expether['status_reason'])
        rsd_path = '%s/%s' % (PODMS, rsd['uuid'])

        # A refused password, and bad requests that carry one.
        response = self.api('PATCH', rsd_path, json={
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': USERNAME, 'password': WRONG_PASSWORD}}]})
        self.assertEqual('error', response.json()['status'])
        body = podm_body('rack-2', rsd_url, 'redfishv1')
        body['authentication'][0]['auth_items']['password'] = [PASSWORD]
        self.assertEqual(400, self.api('POST', PODMS, json=body).status_code)
        self.assertEqual(400, self.api(
            'POST', PODMS, data='{"password": "%s",' % PASSWORD,
            headers={'Content-Type': 'application/json'}).status_code)
        self.assertEqual(400, self.api('POST', PODMS, json=podm_body(
            'rack-3', 'http://%s:%s@pod' % (USERNAME, PASSWORD),
            'redfishv1')).status_code)

        response = self.api('PATCH', rsd_path, json={
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': USERNAME, 'password': PASSWORD}}],
            'description': 'row 3'})
        self.assertEqual('online', response.json()['status'])
        self.api('GET', PODMS)
        self.api('GET', rsd_path)
        self.assertEqual(202, self.api('POST', '/v1/devices/sync',
                                       json={}).status_code)

        self.rotate_keys()
        # Checking the pod again needs the password, now under the new key.
        response = self.api('PATCH', rsd_path, json={'verify_tls': False})
        self.assertEqual('online', response.json()['status'],
                         response.json()['status_reason'])

        stored = self.stored_passwords()
        self.assertEqual(2, len(stored))
        for value in stored:
            self.assertTrue(value.startswith('fernet:'), value)

        self.assertEqual(204, self.api('DELETE', rsd_path).status_code)
        self.notifications.wait_for('valence.pod_manager.delete.end',
                                    uuid=rsd['uuid'])

        logs = self.services.logs()
        # The debug logs are there: RPC and SQL traffic with its parameters
        # (the encrypted passwords among them) is what is searched.
        for expected in ('Calling RPC method create_pod_manager',
                         'INSERT INTO pod_managers', "'fernet:"):
            self.assertTrue(expected in logs, 'no "%s" logged' % expected)
        places = {'logs': logs,
                  'notifications': str(self.notifications.events),
                  'API answers': '\n'.join(self.answers),
                  'database': '\n'.join(stored)}
        for password in (PASSWORD, WRONG_PASSWORD):
            for form in leaked_forms(password):
                for place, text in places.items():
                    # Not assertNotIn: it would print all the logs.
                    self.assertFalse(form in text, 'a password is in the %s'
                                     % place)
