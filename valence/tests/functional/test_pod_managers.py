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

"""Pod manager CRUD against real processes and real emulator pods.

The split services run over RabbitMQ with MariaDB (and once with
PostgreSQL); the all-in-one ``valence`` runs on SQLite with no broker.
"""

import testtools

from valence.tests.fixtures import database
from valence.tests.fixtures import emulator
from valence.tests.functional import base

PASSWORD = 'emulated-pod-password-8c1f'


def podm_body(name, pod, driver, password=PASSWORD):
    return {'name': name, 'url': pod, 'driver': driver,
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': 'admin', 'password': password}}]}


class PodManagerLifecycle:
    """What a user does with pod managers, over HTTP."""

    def start_pods(self):
        self.pods = self.useFixture(emulator.EmulatorFixture(
            pods=['rsd', 'expether'], password=PASSWORD))

    def test_pod_manager_lifecycle(self):
        rsd_url, expether_url = self.pods.urls
        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('rack-1', rsd_url, 'redfishv1'))
        self.assertEqual(201, response.status_code, response.text)
        podm = response.json()
        self.assertEqual('online', podm['status'], podm['status_reason'])
        self.assertEqual('%s/v1/pod_managers/%s' % (self.services.url,
                                                    podm['uuid']),
                         response.headers['Location'])
        path = '/v1/pod_managers/%s' % podm['uuid']

        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('ee-1', expether_url + '/eem', 'expether'))
        self.assertEqual('online', response.json()['status'],
                         response.json()['status_reason'])

        listed = self.services.api('GET', '/v1/pod_managers').json()
        self.assertEqual({'rack-1', 'ee-1'},
                         {p['name'] for p in listed['pod_managers']})

        response = self.services.api('PATCH', path,
                                     json={'description': 'row 3'})
        self.assertEqual('row 3', response.json()['description'])
        self.assertEqual('row 3',
                         self.services.api('GET', path).json()['description'])

        response = self.services.api('DELETE', path)
        self.assertEqual(204, response.status_code)
        self.assertEqual(404, self.services.api('GET', path).status_code)

        if self.notifications is not None:
            self.notifications.wait_for('valence.pod_manager.create.end',
                                        uuid=podm['uuid'], status='online')
            self.notifications.wait_for('valence.pod_manager.update.end',
                                        uuid=podm['uuid'],
                                        description='row 3')
            event = self.notifications.wait_for(
                'valence.pod_manager.delete.end', uuid=podm['uuid'])
            self.assertTrue(event['publisher_id'].startswith(
                'valence-conductor.'))
            self.assertNotIn(PASSWORD, str(self.notifications.events))
        self.assertNotIn(PASSWORD, self.services.logs())

    def test_refused_credentials_are_recorded_as_error(self):
        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('rack-1', self.pods.urls[0], 'redfishv1',
                           password='wrong'))
        self.assertEqual(201, response.status_code, response.text)
        self.assertEqual('error', response.json()['status'])
        self.assertIn('refused the credentials',
                      response.json()['status_reason'])

    def test_pod_of_another_kind_is_recorded_as_error(self):
        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('rack-1', self.pods.urls[0], 'redfishv2'))
        self.assertEqual('error', response.json()['status'])
        self.assertIn('CompositionService', response.json()['status_reason'])


class TestSplitServicesOnMariaDB(PodManagerLifecycle, testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.services, self.notifications = base.split_services(self)
        self.start_pods()

    def test_conductor_leaves_the_conductors_table_on_clean_stop(self):
        self.assertEqual({'conductor-0'}, self.services.conductor_hosts())
        self.assertEqual(0, self.services.stop('conductor-0'))
        self.assertEqual(set(), self.services.conductor_hosts())

    def test_without_a_conductor_the_api_answers_503(self):
        self.services.stop('conductor-0')
        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('rack-1', self.pods.urls[0], 'redfishv1'))
        self.assertEqual(503, response.status_code, response.text)
        self.assertIn('No conductor', response.json()['error']['message'])
        listed = self.services.api('GET', '/v1/pod_managers')
        self.assertEqual([], listed.json()['pod_managers'])


class TestSplitServicesOnPostgreSQL(PodManagerLifecycle, testtools.TestCase):

    def setUp(self):
        super().setUp()
        base.require_rabbit(self)
        base.require_database(self, 'postgresql')
        vhost = self.useFixture(base.RabbitVhost())
        db = self.useFixture(database.ServerDatabase('postgresql'))
        self.notifications = self.useFixture(
            base.NotificationCollector(vhost.url))
        self.services = self.useFixture(base.ValenceServices(
            'split', db.url, transport_url=vhost.url))
        self.start_pods()


class TestAllInOneOnSQLite(PodManagerLifecycle, testtools.TestCase):
    """The embedded default: one process, SQLite, no message broker."""

    def setUp(self):
        super().setUp()
        tempdir = self.useFixture(base.fixtures.TempDir()).path
        self.notifications = None
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir))
        self.start_pods()


class TestAllInOneNotifications(testtools.TestCase):
    """The all-in-one process sends notifications when given a broker."""

    def setUp(self):
        super().setUp()
        base.require_rabbit(self)
        vhost = self.useFixture(base.RabbitVhost())
        tempdir = self.useFixture(base.fixtures.TempDir()).path
        self.notifications = self.useFixture(
            base.NotificationCollector(vhost.url))
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            transport_url=vhost.url,
            options={'DEFAULT': {'rpc_transport': 'local'}}))
        self.pods = self.useFixture(emulator.EmulatorFixture(
            'rsd', password=PASSWORD))

    def test_create_end_is_received(self):
        response = self.services.api(
            'POST', '/v1/pod_managers',
            json=podm_body('rack-1', self.pods.url, 'redfishv1'))
        self.notifications.wait_for('valence.pod_manager.create.end',
                                    uuid=response.json()['uuid'])
