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

"""ExpEther pods over real HTTP, through the fixture."""

import requests
import testtools

from valence.tests.fixtures import emulator


class TestExpEtherOverHTTP(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'expether', systems=2, devices=6))
        self.http = self.emu.session()

    def eem(self, method, path, **kwargs):
        return self.http.request(method, self.emu.url + '/eem' + path,
                                 timeout=30, **kwargs)

    def test_attach_and_detach_leave_no_allocation(self):
        servers = self.eem('GET', '/devices?status=eesv').json()['devices']
        io = self.eem('GET', '/devices?status=eeio').json()['devices']
        group = self.eem('PUT', '/devices/%s/group_id' % servers[0]['id'],
                         json={'group_id': None}).json()['group_id']
        self.eem('PUT', '/devices/%s/group_id' % io[0]['id'],
                 json={'group_id': group}).raise_for_status()
        self.assertEqual(1, len(self.emu.allocations()))
        self.eem('DELETE', '/devices/%s/group_id' % io[0]['id'])
        self.assertEqual({}, self.emu.allocations())

    def test_wrong_password_is_a_401(self):
        resp = requests.get(self.emu.url + '/eem/devices',
                            auth=('admin', 'wrong'), timeout=30)
        self.assertEqual(401, resp.status_code)
