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

"""valence-notification-listener as a process, against a RabbitMQ vhost
where the all-in-one Valence sends its notifications."""

import json
import subprocess

import testtools

from valence.tests.fixtures import emulator
from valence.tests.functional import base

PASSWORD = 'listener-test-pod-password'


class NotificationListenerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        base.require_rabbit(self)
        vhost = self.useFixture(base.RabbitVhost())
        self.pod = self.useFixture(emulator.EmulatorFixture(
            'rsd', systems=2, devices=4, password=PASSWORD))
        tempdir = self.useFixture(base.fixtures.TempDir()).path
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            transport_url=vhost.url))

    def listen(self, *args):
        """Start the listener with the services' configuration."""
        process = subprocess.Popen(
            [base.bin_path('valence-notification-listener'),
             '--config-file', self.services.write_config('listener')]
            + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(self._stop, process)
        return process

    @staticmethod
    def _stop(process):
        if process.poll() is None:
            process.kill()
        process.communicate()

    def test_prints_pod_manager_events_as_json_lines(self):
        # Started first: without a pool, it reads the topic's shared queue.
        listener = self.listen('--event-type', 'valence.pod_manager.*',
                               '--count', '2')
        podm = self.services.api('POST', '/v1/pod_managers', json={
            'name': 'rack-1', 'url': self.pod.url, 'driver': 'redfishv1',
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': 'admin', 'password': PASSWORD}}]}).json()
        self.services.api('PATCH', '/v1/pod_managers/rack-1',
                          json={'description': 'row 3'})

        out, err = listener.communicate(timeout=60)

        self.assertEqual(0, listener.returncode, err)
        events = [json.loads(line) for line in out.splitlines()]
        # The pod's inventory sync.start and sync.end came in between,
        # and the pattern left them out.
        self.assertEqual(['valence.pod_manager.create.end',
                          'valence.pod_manager.update.end'],
                         [e['event_type'] for e in events])
        created = events[0]
        self.assertEqual('INFO', created['priority'])
        self.assertEqual('valence-conductor.aio', created['publisher_id'])
        self.assertEqual('PodManagerPayload',
                         created['payload']['valence_object.name'])
        data = created['payload']['valence_object.data']
        self.assertEqual((podm['uuid'], 'online'),
                         (data['uuid'], data['status']))
        self.assertNotIn(PASSWORD, out)

    def test_refuses_to_start_without_a_transport(self):
        config = self.services.write_config('no-transport')
        with open(config) as f:
            text = f.read()
        with open(config, 'w') as f:
            f.write(text.replace('transport_url', '# transport_url'))
        result = subprocess.run(
            [base.bin_path('valence-notification-listener'),
             '--config-file', config],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(1, result.returncode)
        self.assertIn('No transport to listen on', result.stderr)
