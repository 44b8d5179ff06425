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

"""API tests drive the real Pecan application with WebTest.

The conductor manager of the test runs in the same process behind the
``local`` RPC transport, as in the all-in-one service; the database is
SQLite; notifications go to oslo.messaging's ``test`` driver, which keeps
them in memory.
"""

import socket
import time

from oslo_messaging.notify import _impl_test as test_notifications
import webtest

from valence import conf
from valence import objects
from valence.api import app
from valence.common import context
from valence.common import rpc
from valence.conductor import manager
from valence.tests import base
from valence.tests.fixtures import database

_HANDED_OUT_PORTS = set()


def closed_port_url():
    """An http URL on which nothing listens: connections are refused.

    Each call gives another port: the system may hand out a port it just
    freed again, and pod manager URLs are unique.
    """
    while True:
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        if port not in _HANDED_OUT_PORTS:
            _HANDED_OUT_PORTS.add(port)
            return 'http://127.0.0.1:%d' % port


class APITestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.config(driver=['test'], group='oslo_messaging_notifications')
        self.config(retries=0, retry_interval=0.01, connect_timeout=1,
                    request_timeout=2, group='podmanager')
        rpc.init(conf.CONF)
        test_notifications.reset()
        self.addCleanup(test_notifications.reset)
        self.context = context.get_admin_context()
        self.manager = manager.ConductorManager('test-host')
        objects.Conductor.register(self.context, 'test-host',
                                   self.manager.drivers.names)
        rpc.set_local_endpoint(self.manager, workers=4)
        self.app = webtest.TestApp(app.setup_app())

    def wait_for(self, condition, timeout=10):
        """Wait for work the conductor does in the background."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.fail('condition not met within %ss' % timeout)
            time.sleep(0.02)

    def notifications(self, event_type=None):
        """(event_type, payload data) of the notifications sent so far."""
        sent = [(message['event_type'],
                 message['payload']['valence_object.data'])
                for _ctx, message, _priority, _retry
                in test_notifications.NOTIFICATIONS]
        if event_type is not None:
            sent = [n for n in sent if n[0] == event_type]
        return sent

    def assertError(self, response, status, *fragments):
        """The answer is a JSON error with this status and message."""
        self.assertEqual(status, response.status_int, response.text)
        error = response.json['error']
        self.assertEqual(status, error['code'])
        self.assertTrue(error['request_id'].startswith('req-'))
        for fragment in fragments:
            self.assertIn(fragment, error['message'])
        return error
