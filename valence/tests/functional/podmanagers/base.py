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


"""What the driver tests share: one emulated pod per test class."""

import socket

from valence.podmanagers import base
from valence.tests import base as test_base
from valence.tests.fixtures import emulator


def closed_port_url(path=''):
    """An http URL on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    return 'http://127.0.0.1:%d%s' % (port, path)


def compose_request(*devices, **kwargs):
    """A ComposeRequest for (type, count) pairs of pooled devices."""
    return base.ComposeRequest(
        name='node-1', devices=[base.DeviceRequirement(type=t, count=c)
                                for t, c in devices], **kwargs)


class DriverTestCase(test_base.TestCase):
    """One emulated pod per class, back to its first state per test.

    Subclasses set DRIVER (the driver class) and EMULATOR (the pod's
    EmulatorFixture arguments); ``emulator_args`` changes them for one
    class (TLS...).
    """

    DRIVER = None
    EMULATOR = {}
    URL_PATH = ''
    PASSWORD = 'password'
    REQUEST_TIMEOUT = 5
    emulator_args = {}
    auth_type = 'basic'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        args = dict(cls.EMULATOR, password=cls.PASSWORD)
        args.update(cls.emulator_args)
        cls.emu = emulator.EmulatorFixture(**args)
        cls.emu.setUp()

    @classmethod
    def tearDownClass(cls):
        cls.emu.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.emu.reset()
        self.config(retries=0, retry_interval=0, connect_timeout=2,
                    request_timeout=self.REQUEST_TIMEOUT,
                    group='podmanager')
        self.driver = self.make_driver()

    def make_driver(self, url=None, password=None, **kwargs):
        kwargs.setdefault('auth_type', self.auth_type)
        connection = base.PodConnection(
            url or self.emu.url + self.URL_PATH, 'admin',
            password or self.PASSWORD, **kwargs)
        made = self.DRIVER(connection)
        self.addCleanup(made.close)
        return made

    def steps(self):
        """(recorded steps, a record_step function filling them)."""
        recorded = []
        return recorded, lambda step, uri: recorded.append((step, uri))
