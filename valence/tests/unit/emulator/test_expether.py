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

from valence.emulator import expether
from valence.tests.unit.emulator import base

DEVICES = '/eem/devices'


class ExpEtherTestCase(base.PodTestCase):
    personality = 'expether'
    systems = 3
    devices = 40

    def servers(self):
        return [d['id'] for d in self.ok(
            'GET', DEVICES, query={'status': 'eesv'})['devices']]

    def io_devices(self):
        return self.ok('GET', DEVICES + '/detail',
                       query={'status': 'eeio'})['devices']

    def group_of(self, dev_id):
        return self.ok('GET', DEVICES + '/' + dev_id)['device']['group_id']

    def attach(self, io_id, server_id):
        """Give the server a group of its own, then put the device in."""
        group = self.ok('PUT', DEVICES + '/%s/group_id' % server_id,
                        {'group_id': None})['group_id']
        return self.call('PUT', DEVICES + '/%s/group_id' % io_id,
                         {'group_id': group}), group


class TestInventory(ExpEtherTestCase):

    def test_api_version_answers(self):
        self.assertIn('api_version', self.ok('GET', '/eem/api_version'))

    def test_devices_list_servers_and_io_devices(self):
        self.assertEqual(43, len(self.ok('GET', DEVICES)['devices']))

    def test_status_filter_keeps_servers_only(self):
        self.assertEqual(3, len(self.servers()))

    def test_servers_start_in_their_default_group(self):
        self.assertEqual({expether.SERVER_GROUP},
                         {self.group_of(s) for s in self.servers()})

    def test_io_devices_start_free(self):
        self.assertEqual({expether.FREE_GROUP},
                         {d['group_id'] for d in self.io_devices()})

    def test_nvme_drives_have_the_nvme_class_code(self):
        codes = {d['pcie_class_code'] for d in self.io_devices()
                 if 'SSD' in d['model']}
        self.assertEqual({'0x010802'}, codes)

    def test_class_codes_tell_gpus_and_nics(self):
        bases = {d['pcie_class_code'][:4] for d in self.io_devices()}
        self.assertTrue({'0x03', '0x02', '0x01'} <= bases, bases)

    def test_same_seed_gives_same_inventory(self):
        other = self.make_pod()
        self.assertEqual(self.call('GET', DEVICES + '/detail').body,
                         self.call('GET', DEVICES + '/detail',
                                   pod=other).body)

    def test_server_detail_tells_the_group_maximum(self):
        detail = self.ok('GET', DEVICES + '/' + self.servers()[0])
        self.assertEqual(str(expether.MAX_EEIO),
                         detail['device']['max_eeio_count'])

    def test_group_filter_lists_the_group(self):
        io_id = self.io_devices()[0]['id']
        _, group = self.attach(io_id, self.servers()[0])
        listed = self.ok('GET', DEVICES, query={'status': 'eeio',
                                                'group_id': group})
        self.assertEqual([io_id], [d['id'] for d in listed['devices']])

    def test_unknown_status_is_a_400_json_error(self):
        answer = self.call('GET', DEVICES, query={'status': 'disk'})
        self.assertEqual(400, answer.status)
        self.assertEqual({'message', 'code'}, set(answer.json()))

    def test_unknown_device_is_a_404(self):
        answer = self.call('GET', DEVICES + '/0x0')
        self.assertEqual((404, '40400'),
                         (answer.status, answer.json()['code']))

    def test_basic_auth_is_required(self):
        self.assertEqual(401, self.call('GET', DEVICES, auth=False).status)


class TestGroups(ExpEtherTestCase):

    def test_null_group_gives_the_server_a_new_group(self):
        server = self.servers()[0]
        group = self.ok('PUT', DEVICES + '/%s/group_id' % server,
                        {'group_id': None})['group_id']
        self.assertNotIn(group, (expether.FREE_GROUP, expether.SERVER_GROUP))
        self.assertEqual(group, self.group_of(server))

    def test_new_groups_differ(self):
        a, b = self.servers()[:2]
        groups = {self.ok('PUT', DEVICES + '/%s/group_id' % s,
                          {'group_id': None})['group_id'] for s in (a, b)}
        self.assertEqual(2, len(groups))

    def test_joining_the_server_group_attaches(self):
        io_id = self.io_devices()[0]['id']
        server = self.servers()[0]
        answer, group = self.attach(io_id, server)
        self.assertEqual(200, answer.status)
        self.assertEqual({DEVICES + '/' + io_id: DEVICES + '/' + server},
                         self.pod.personality.allocations())

    def test_device_of_another_group_is_refused(self):
        io_id = self.io_devices()[0]['id']
        a, b = self.servers()[:2]
        self.attach(io_id, a)
        answer, _ = self.attach(io_id, b)
        self.assertEqual(409, answer.status)
        self.assertEqual(DEVICES + '/' + a, self.pod.personality
                         .allocations()[DEVICES + '/' + io_id])

    def test_full_group_is_refused(self):
        ids = [d['id'] for d in self.io_devices()]
        server = self.servers()[0]
        _, group = self.attach(ids[0], server)
        for io_id in ids[1:expether.MAX_EEIO]:
            self.ok('PUT', DEVICES + '/%s/group_id' % io_id,
                    {'group_id': group})
        answer = self.call('PUT', DEVICES + '/%s/group_id'
                           % ids[expether.MAX_EEIO], {'group_id': group})
        self.assertEqual(409, answer.status)

    def test_delete_frees_the_io_device(self):
        io_id = self.io_devices()[0]['id']
        self.attach(io_id, self.servers()[0])
        self.ok('DELETE', DEVICES + '/%s/group_id' % io_id)
        self.assertEqual(expether.FREE_GROUP, self.group_of(io_id))
        self.assertEqual({}, self.pod.personality.allocations())

    def test_delete_puts_the_server_back_in_its_default_group(self):
        server = self.servers()[0]
        self.attach(self.io_devices()[0]['id'], server)
        self.ok('DELETE', DEVICES + '/%s/group_id' % server)
        self.assertEqual(expether.SERVER_GROUP, self.group_of(server))

    def test_reserved_group_is_refused(self):
        answer = self.call('PUT', DEVICES + '/%s/group_id'
                           % self.servers()[0], {'group_id': 4095})
        self.assertEqual(400, answer.status)

    def test_missing_group_id_is_a_400(self):
        answer = self.call('PUT', DEVICES + '/%s/group_id'
                           % self.servers()[0], {})
        self.assertEqual(400, answer.status)

    def test_attach_failure_point_fails_with_500(self):
        self.pod.faults.update({'fail': {'attach': 1}})
        answer, _ = self.attach(self.io_devices()[0]['id'],
                                self.servers()[0])
        self.assertEqual(500, answer.status)
        self.assertEqual({}, self.pod.personality.allocations())

    def test_detach_failure_point_fails_with_500(self):
        io_id = self.io_devices()[0]['id']
        self.attach(io_id, self.servers()[0])
        self.pod.faults.update({'fail': {'detach': 1}})
        answer = self.call('DELETE', DEVICES + '/%s/group_id' % io_id)
        self.assertEqual(500, answer.status)

    def test_vanish_rate_makes_the_device_vanish_at_attach(self):
        io_id = self.io_devices()[0]['id']
        self.pod.faults.update({'vanish_rate': 1.0})
        answer, _ = self.attach(io_id, self.servers()[0])
        self.assertEqual(404, answer.status)
        self.assertEqual(404, self.call('GET', DEVICES + '/' + io_id).status)

    def test_vanished_device_leaves_the_listing(self):
        io_id = self.io_devices()[0]['id']
        self.assertTrue(self.pod.personality.vanish(DEVICES + '/' + io_id))
        self.assertNotIn(io_id, [d['id'] for d in self.io_devices()])

    def test_state_round_trip_keeps_groups_and_vanished_devices(self):
        ids = [d['id'] for d in self.io_devices()]
        self.attach(ids[0], self.servers()[0])
        self.pod.personality.vanish(DEVICES + '/' + ids[1])
        dumped = self.pod.personality.dump_state()
        other = self.make_pod()
        other.personality.load_state(dumped)
        self.assertEqual(dumped, other.personality.dump_state())
        self.assertEqual(self.pod.personality.allocations(),
                         other.personality.allocations())
