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

"""Every command-line fault flag, on a real valence-emulator process."""

import subprocess
import sys

import requests
import testtools

from valence.tests.fixtures import emulator

SYSTEM = '/redfish/v1/Systems/1'


class FlagTestCase(testtools.TestCase):

    def start(self, *flags, personality='rsd'):
        self.emu = self.useFixture(emulator.EmulatorFixture(
            personality, systems=2, devices=8, extra_args=flags))
        return self.emu

    def get(self, path=SYSTEM, timeout=30):
        return requests.get(self.emu.url + path, auth=self.emu.auth,
                            verify=self.emu.verify, timeout=timeout)


class TestFaultFlags(FlagTestCase):

    def test_error_rate_answers_500_by_default(self):
        self.start('--error-rate', '1')
        self.assertEqual(500, self.get().status_code)

    def test_error_status_503_carries_retry_after(self):
        self.start('--error-rate', '1', '--error-status', '503',
                   '--retry-after', '9')
        resp = self.get()
        self.assertEqual((503, '9'),
                         (resp.status_code, resp.headers['Retry-After']))

    def test_drop_rate_closes_the_connection_unanswered(self):
        self.start('--drop-rate', '1')
        self.assertRaises(requests.ConnectionError, self.get)

    def test_hang_rate_outlasts_the_client_timeout(self):
        self.start('--hang-rate', '1', '--hang-seconds', '5')
        self.assertRaises(requests.ReadTimeout, self.get, timeout=0.5)

    def test_malformed_rate_sends_a_body_that_is_not_json(self):
        self.start('--malformed-rate', '1')
        self.assertRaises(ValueError, self.get().json)

    def test_truncated_rate_sends_cut_json(self):
        self.start('--truncated-rate', '1')
        resp = self.get()
        self.assertTrue(resp.text.startswith('{"@odata.id"'))
        self.assertRaises(ValueError, resp.json)

    def test_latency_flags_set_the_latency(self):
        emu = self.start('--latency-ms', '20', '--jitter-ms', '5')
        faults = emu.faults()
        self.assertEqual((20, 5), (faults['latency_ms'],
                                   faults['jitter_ms']))
        self.assertEqual(200, self.get().status_code)

    def test_fault_path_spares_other_paths(self):
        self.start('--error-rate', '1', '--fault-path', '/redfish/v1/Nodes')
        self.assertEqual(200, self.get().status_code)
        self.assertEqual(500, self.get('/redfish/v1/Nodes').status_code)

    def test_fault_method_spares_other_methods(self):
        self.start('--error-rate', '1', '--fault-method', 'POST')
        self.assertEqual(200, self.get().status_code)

    def test_fail_flag_fails_the_assemble(self):
        emu = self.start('--fail', 'assemble')
        http = emu.session()
        node = http.post(emu.url + '/redfish/v1/Nodes/Actions/Allocate',
                         json={}, timeout=30).headers['Location']
        resp = http.post(emu.url + node +
                         '/Actions/ComposedNode.Assemble', json={},
                         timeout=30)
        self.assertEqual(500, resp.status_code)

    def test_vanish_rate_makes_an_attached_device_vanish(self):
        emu = self.start('--vanish-rate', '1', personality='expether')
        http = emu.session()
        io = http.get(emu.url + '/eem/devices?status=eeio',
                      timeout=30).json()['devices'][0]['id']
        resp = http.put(emu.url + '/eem/devices/%s/group_id' % io,
                        json={'group_id': 10}, timeout=30)
        self.assertEqual(404, resp.status_code)

    def test_control_vanish_removes_a_device(self):
        emu = self.start()
        emu.vanish('/redfish/v1/Fabrics/PCIe/Endpoints/1')
        self.assertEqual(404, self.get(
            '/redfish/v1/Fabrics/PCIe/Endpoints/1').status_code)


class TestServerFlags(FlagTestCase):

    def test_tls_serves_https_with_a_verifiable_certificate(self):
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', systems=1, devices=1, tls=True))
        self.assertTrue(self.emu.url.startswith('https://'))
        self.assertEqual(200, self.get().status_code)

    def test_several_pods_serve_their_own_personality(self):
        self.emu = self.useFixture(emulator.EmulatorFixture(
            pods=['rsd', 'expether'], systems=1, devices=2))
        rsd, eem = self.emu.urls
        self.assertEqual(200, requests.get(rsd + SYSTEM, auth=self.emu.auth,
                                           timeout=30).status_code)
        self.assertEqual(200, requests.get(eem + '/eem/devices',
                                           auth=self.emu.auth,
                                           timeout=30).status_code)

    def test_profile_sets_the_inventory_size(self):
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', profile='rack'))
        info = self.emu.info()
        self.assertEqual((32, 96), (info['systems'], info['devices']))

    def test_credentials_flags_set_the_accepted_password(self):
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', systems=1, devices=1, username='ops', password='s3cret'))
        self.assertEqual(200, self.get().status_code)
        self.assertEqual(401, requests.get(self.emu.url + SYSTEM,
                                           auth=('admin', 'password'),
                                           timeout=30).status_code)

    def test_unknown_pod_personality_exits_with_an_error(self):
        done = subprocess.run(
            [sys.executable, '-c', emulator.START, '--pod', 'cobol:0'],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(2, done.returncode)
        self.assertIn("unknown personality 'cobol'", done.stderr)
