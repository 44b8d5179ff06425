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

"""What the API answers when the database or the message broker is away:
a 503 that says which, never a 500."""

import fixtures
import kombu.exceptions
from oslo_db import exception as db_exc
import oslo_messaging as messaging
from oslo_utils import uuidutils
import sqlalchemy.exc
import webtest

from valence import objects
from valence.api import app
from valence.common import exception
from valence.common import states
from valence.conductor import rpcapi
from valence.tests.unit.api import base


def lost_connection():
    return db_exc.DBConnectionError(
        sqlalchemy.exc.OperationalError(
            'SELECT 1', {}, Exception('Lost connection to MySQL server')))


class TestDatabaseUnavailable(base.APITestCase):

    def break_database(self, error):
        def fail(*args, **kwargs):
            raise error
        self.useFixture(fixtures.MonkeyPatch(
            'valence.db.sqlalchemy.api.Connection.list_pod_managers', fail))

    def test_a_lost_connection_answers_503(self):
        self.break_database(lost_connection())
        response = self.app.get('/v1/pod_managers', expect_errors=True)
        error = self.assertError(response, 503, 'database cannot be reached')
        self.assertNotIn('MySQL', error['message'])

    def test_a_missing_database_answers_503(self):
        self.break_database(db_exc.DBNonExistentDatabase('valence'))
        response = self.app.get('/v1/pod_managers', expect_errors=True)
        self.assertError(response, 503, 'database cannot be reached')

    def test_an_exhausted_connection_pool_answers_503(self):
        self.break_database(sqlalchemy.exc.TimeoutError('pool'))
        response = self.app.get('/v1/pod_managers', expect_errors=True)
        self.assertError(response, 503, 'database cannot be reached')

    def test_other_database_errors_stay_internal_errors(self):
        self.break_database(db_exc.DBError('something else'))
        response = self.app.get('/v1/pod_managers', expect_errors=True)
        error = self.assertError(response, 500)
        self.assertNotIn('something else', error['message'])

    def test_routing_and_arguments_still_work_through_the_guard(self):
        response = self.app.get('/v1/pod_managers?limit=1&sort_key=name')
        self.assertEqual(200, response.status_int)
        response = self.app.get('/v1/pod_managers/%s'
                                % uuidutils.generate_uuid(),
                                expect_errors=True)
        self.assertError(response, 404)


class FailingClient:
    """An RPC client whose sends fail as oslo.messaging's do when the
    broker cannot be reached after the allowed retries: on a pooled
    connection, or when no new connection could be made."""

    def __init__(self):
        self.prepared = []
        self.error = messaging.MessageDeliveryFailure('broker unreachable')

    def prepare(self, **kwargs):
        self.prepared.append(kwargs)
        return self

    def call(self, context, method, **kwargs):
        raise self.error

    def cast(self, context, method, **kwargs):
        raise self.error


class TestBrokerUnavailable(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.client = FailingClient()
        self.useFixture(fixtures.MonkeyPatch(
            'valence.common.rpc.get_client',
            lambda *args, **kwargs: self.client))
        self.app = webtest.TestApp(app.setup_app())
        self.podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-1',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='admin', password='p',
            verify_tls=True, status=states.OFFLINE)
        self.podm.create()

    def test_a_call_answers_503_saying_the_broker_is_away(self):
        response = self.app.patch_json(
            '/v1/pod_managers/%s' % self.podm.uuid, {'description': 'new'},
            expect_errors=True)
        self.assertError(response, 503, 'message broker cannot be reached')

    def test_a_connection_that_cannot_be_made_answers_503(self):
        self.client.error = kombu.exceptions.OperationalError(
            'Server unexpectedly closed connection')
        response = self.app.patch_json(
            '/v1/pod_managers/%s' % self.podm.uuid, {'description': 'new'},
            expect_errors=True)
        self.assertError(response, 503, 'message broker cannot be reached')

    def test_a_cast_answers_503_too(self):
        response = self.app.post_json('/v1/devices/sync', {},
                                      expect_errors=True)
        self.assertError(response, 503, 'message broker cannot be reached')

    def test_reads_from_the_database_keep_working(self):
        response = self.app.get('/v1/pod_managers/%s' % self.podm.uuid)
        self.assertEqual(200, response.status_int)

    def test_sends_are_retried_as_configured(self):
        self.config(rpc_send_retries=5)
        self.assertRaises(exception.BrokerUnavailable,
                          rpcapi.ConductorAPI().sync_pod_manager,
                          self.context, self.podm)
        self.assertEqual(5, self.client.prepared[-1]['retry'])
