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


"""Attaching pooled devices to live nodes, over real HTTP, on every kind
of pod, with the pod's own view checked after each step."""

import concurrent.futures

from valence.tests.functional import test_nodes


def pod_holds(allocations, node, device):
    """Whether the pod's allocations show the device (or what stands behind
    its fabric endpoint) held by the node."""
    behind = (device.get('properties') or {}).get('entity_uri')
    for resource, owner in allocations.items():
        if not owner.endswith(node['resource_uri']):
            continue
        if resource.endswith(device['resource_uri']) or resource == behind:
            return True
    return False


class DeviceTests:
    """The same story on every kind of pod."""

    def free_device(self, kind):
        devices = self.api('GET', '/v1/devices?type=%s&state=free&limit=1'
                           % kind, 200).json()['devices']
        self.assertTrue(devices, 'no free %s on the pod' % kind)
        return devices[0]

    def node_devices(self, node_uuid):
        return self.api('GET', '/v1/nodes/%s/devices' % node_uuid,
                        200).json()['devices']

    def attach(self, node_uuid, device_uuid):
        self.api('POST', '/v1/nodes/%s/devices' % node_uuid, 202,
                 json={'resource_id': device_uuid})
        return self.settled(node_uuid)

    def detach(self, node_uuid, device_uuid):
        self.api('DELETE', '/v1/nodes/%s/devices/%s'
                 % (node_uuid, device_uuid), 202)
        return self.settled(node_uuid)

    def pod_holds(self, node, device):
        return pod_holds(self.pod.allocations(), node, device)

    def test_attach_and_detach_a_gpu_an_nvme_drive_and_a_nic(self):
        node = self.settled(self.compose({})['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        for kind in self.KINDS:
            device = self.free_device(kind)
            node = self.attach(node['uuid'], device['uuid'])
            self.assertEqual('available', node['state'], node['last_error'])
            [held] = [d for d in self.node_devices(node['uuid'])
                      if d['uuid'] == device['uuid']]
            self.assertEqual('allocated', held['state'])
            self.assertEqual(node['uuid'], held['node_id'])
            self.assertIsNotNone(held['reboot_required'])
            device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                              200).json()
            self.assertTrue(self.pod_holds(node, device), kind)

            node = self.detach(node['uuid'], device['uuid'])
            self.assertEqual('available', node['state'], node['last_error'])
            device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                              200).json()
            self.assertEqual('free', device['state'])
            self.assertIsNone(device['node_id'])
            self.assertFalse(self.pod_holds(node, device), kind)
        self.assertEqual([], self.node_devices(node['uuid']))

    def test_original_action_bodies_attach_and_detach(self):
        node = self.settled(self.compose({})['uuid'])
        device = self.free_device('GPU')
        self.api('POST', '/v1/nodes/%s/action' % node['uuid'], 202,
                 json={'attach': {'resource_id': device['uuid']}})
        self.assertEqual('available', self.settled(node['uuid'])['state'])
        self.assertEqual([device['uuid']],
                         [d['uuid'] for d in self.node_devices(node['uuid'])])
        self.api('POST', '/v1/nodes/%s/action' % node['uuid'], 202,
                 json={'detach': {'resource_id': device['uuid']}})
        self.settled(node['uuid'])
        self.assertEqual([], self.node_devices(node['uuid']))

    def test_device_held_by_another_node_is_refused(self):
        first = self.settled(self.compose({}, name='first')['uuid'])
        second = self.settled(self.compose({}, name='second')['uuid'])
        device = self.free_device('GPU')
        self.attach(first['uuid'], device['uuid'])
        response = self.api('POST', '/v1/nodes/%s/devices' % second['uuid'],
                            409, json={'resource_id': device['uuid']})
        self.assertIn('not free', response.json()['error']['message'])
        response = self.api('DELETE', '/v1/nodes/%s/devices/%s'
                            % (second['uuid'], device['uuid']), 409)
        self.assertIn('not attached', response.json()['error']['message'])

    def test_unknown_device_is_400(self):
        node = self.settled(self.compose({})['uuid'])
        response = self.api('POST', '/v1/nodes/%s/devices' % node['uuid'],
                            400, json={'resource_id': 'not-a-uuid'})
        self.assertIn('resource_id', response.json()['error']['message'])

    def test_decompose_detaches_everything_first(self):
        node = self.settled(self.compose({})['uuid'])
        device = self.free_device('GPU')
        self.attach(node['uuid'], device['uuid'])
        self.delete(node['uuid'])
        self.assertEqual({}, self.pod.allocations())
        device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                          200).json()
        self.assertEqual('free', device['state'])


class TestRSDDevices(DeviceTests, test_nodes.NodeTestCase):
    PERSONALITY = 'rsd'
    KINDS = ('GPU', 'NVMe', 'NIC')

    def test_failed_attach_releases_the_claim(self):
        node = self.settled(self.compose({})['uuid'])
        device = self.free_device('GPU')
        self.pod.fail('attach')
        node = self.attach(node['uuid'], device['uuid'])
        self.assertEqual('available', node['state'])
        self.assertTrue(node['last_error'])
        device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                          200).json()
        self.assertEqual('free', device['state'])
        self.assertFalse(self.pod_holds(node, device))


class TestDMTFDevices(DeviceTests, test_nodes.NodeTestCase):
    PERSONALITY = 'dmtf'
    SYSTEMS = 4
    DEVICES = 16
    KINDS = ('GPU', 'NVMe', 'NIC')

    def test_failed_add_resource_block_releases_the_claim(self):
        node = self.settled(self.compose({})['uuid'])
        device = self.free_device('GPU')
        self.pod.fail('add_resource_block')
        node = self.attach(node['uuid'], device['uuid'])
        self.assertTrue(node['last_error'])
        device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                          200).json()
        self.assertEqual('free', device['state'])
        self.assertFalse(self.pod_holds(node, device))


class TestExpEtherDevices(DeviceTests, test_nodes.NodeTestCase):
    PERSONALITY = 'expether'
    KINDS = ('GPU', 'NVMe', 'NIC')

    def test_vanished_device_is_reported_and_the_inventory_corrected(self):
        node = self.settled(self.compose({})['uuid'])
        device = self.free_device('GPU')
        self.pod.vanish('/eem/' + device['resource_uri'])
        node = self.attach(node['uuid'], device['uuid'])
        self.assertIn('gone', node['last_error'])
        device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                          200).json()
        self.assertEqual('unavailable', device['state'])
        response = self.api('POST', '/v1/nodes/%s/devices' % node['uuid'],
                            409, json={'resource_id': device['uuid']})
        self.assertIn('unavailable', response.json()['error']['message'])


class TestConcurrentAttaches(test_nodes.NodeTestCase):
    """50 attach requests for 5 free devices from 10 nodes (RSD: no
    resource zones to keep some nodes from some devices)."""

    PERSONALITY = 'rsd'
    SYSTEMS = 10
    DEVICES = 12

    def test_each_device_is_attached_once(self):
        nodes = [self.compose({}, name='n%d' % i)['uuid'] for i in range(10)]
        nodes = [self.settled(uuid) for uuid in nodes]
        self.assertEqual({'available'}, {n['state'] for n in nodes})
        devices = self.api('GET', '/v1/devices?state=free&limit=5',
                           200).json()['devices']
        self.assertEqual(5, len(devices))

        def attach(i):
            node = nodes[i % 10]
            device = devices[i % 5]
            return self.services.api(
                'POST', '/v1/nodes/%s/devices' % node['uuid'],
                json={'resource_id': device['uuid']})

        with concurrent.futures.ThreadPoolExecutor(25) as pool:
            answers = list(pool.map(attach, range(50)))
        for answer in answers:
            self.assertIn(answer.status_code, (202, 409), answer.text)
        nodes = [self.settled(n['uuid']) for n in nodes]
        held = {}
        for node in nodes:
            for device in self.api('GET', '/v1/nodes/%s/devices'
                                   % node['uuid'], 200).json()['devices']:
                self.assertNotIn(device['uuid'], held)
                held[device['uuid']] = node['uuid']
        self.assertEqual(5, len(held))
        # The pod agrees: each device is held by the node the inventory
        # names, and by no other.
        allocations = self.pod.allocations()
        for device in devices:
            device = self.api('GET', '/v1/devices/%s' % device['uuid'],
                              200).json()
            holders = [n['uuid'] for n in nodes
                       if pod_holds(allocations, n, device)]
            self.assertEqual([held[device['uuid']]], holders)
