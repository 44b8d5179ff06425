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

"""The RSD personality over real HTTP, with sushy and plain requests."""

import concurrent.futures
import time

import sushy
import testtools

from valence.tests.fixtures import emulator


class RSDTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', seed=5, systems=6, devices=40))
        self.http = self.emu.session()

    def get(self, uri):
        resp = self.http.get(self.emu.url + uri, timeout=30)
        resp.raise_for_status()
        return resp.json()

    def post(self, uri, body):
        return self.http.post(self.emu.url + uri, json=body, timeout=30)

    def nodes_uri(self):
        root = self.get('/redfish/v1/')
        return root['Oem']['Intel_RackScale']['Nodes']['@odata.id']

    def compose(self, body):
        nodes = self.get(self.nodes_uri())
        target = nodes['Actions']['#ComposedNodeCollection.Allocate'][
            'target']
        resp = self.post(target, body)
        self.assertEqual(201, resp.status_code, resp.text)
        uri = resp.headers['Location']
        node = self.get(uri)
        assemble = node['Actions']['#ComposedNode.Assemble']['target']
        self.assertEqual(204, self.post(assemble, {}).status_code)
        deadline = time.monotonic() + 30
        while self.get(uri)['ComposedNodeState'] != 'Assembled':
            self.assertLess(time.monotonic(), deadline, 'never assembled')
            time.sleep(0.1)
        return uri


class TestSushy(RSDTestCase):

    def connect(self):
        auth = sushy.auth.SessionAuth(self.emu.username, self.emu.password)
        conn = sushy.Sushy(self.emu.url + '/redfish/v1', auth=auth)
        # Log out while the emulator still runs.
        self.addCleanup(auth.close)
        return conn

    def test_sushy_lists_the_systems_over_a_session(self):
        conn = self.connect()
        systems = conn.get_system_collection()
        self.assertEqual(6, len(systems.members_identities))

    def test_sushy_reads_a_composed_nodes_system(self):
        uri = self.compose({'Name': 'n', 'Processors': [{'TotalCores': 10}]})
        node = self.get(uri)
        system_uri = node['Links']['ComputerSystem']['@odata.id']
        system = self.connect().get_system(system_uri)
        self.assertEqual(node['Memory']['TotalSystemMemoryGiB'],
                         system.memory_summary.size_gib)


class TestComposition(RSDTestCase):

    def test_compose_attach_and_decompose_leave_nothing_allocated(self):
        uri = self.compose({'Name': 'n',
                            'LocalDrives': [{'CapacityGiB': 100}]})
        action = self.get(uri)['Actions']['#ComposedNode.AttachResource']
        info = self.get(action['@Redfish.ActionInfo'])
        resource = info['Parameters'][0]['AllowableValues'][0]
        resp = self.post(action['target'],
                         {'Resource': {'@odata.id': resource}})
        self.assertEqual(204, resp.status_code, resp.text)
        self.assertEqual(3, len(self.emu.allocations()))
        self.http.delete(self.emu.url + uri, timeout=30).raise_for_status()
        self.assertEqual({}, self.emu.allocations())

    def test_unmet_requirement_is_explained(self):
        nodes = self.get(self.nodes_uri())
        target = nodes['Actions']['#ComposedNodeCollection.Allocate'][
            'target']
        resp = self.post(target, {'Memory': [{'CapacityMiB': 10 ** 9}]})
        self.assertEqual(409, resp.status_code)
        info = resp.json()['error']['@Message.ExtendedInfo'][0]
        self.assertEqual(['#/Memory'], info['RelatedProperties'])

    def test_concurrent_allocations_never_share_a_system(self):
        target = self.nodes_uri() + '/Actions/Allocate'

        def allocate(_):
            return self.post(target, {'Name': 'x'}).status_code

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(allocate, range(16)))
        nodes = self.get(self.nodes_uri() + '?$expand=.')['Members']
        systems = {n['Links']['ComputerSystem']['@odata.id'] for n in nodes}
        self.assertEqual((6, 6), (codes.count(201), len(systems)))

    def test_restart_with_a_state_file_keeps_the_nodes(self):
        emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', systems=3, devices=10, state_file=True))
        http = emu.session()
        resp = http.post(emu.url + '/redfish/v1/Nodes/Actions/Allocate',
                         json={'Name': 'kept'}, timeout=30)
        before = emu.allocations()
        emu.restart()
        node = http.get(emu.url + resp.headers['Location'], timeout=30)
        self.assertEqual(('kept', before),
                         (node.json()['Name'], emu.allocations()))
