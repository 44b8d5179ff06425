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


from oslo_utils import uuidutils

from valence import objects
from valence.common import states
from valence.objects import inventory
from valence.tests.unit.api import base


class InventoryAPITestCase(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-1',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='u', password='p', verify_tls=True,
            status=states.ONLINE)
        self.podm.create()
        inventory.apply(self.context, self.podm.id, {
            'racks': [{'pod_uri': '/c/rack', 'name': 'rack-1',
                       'chassis_type': 'Rack'}],
            'systems': [
                {'pod_uri': '/s/%d' % i, 'name': 'system-%d' % i,
                 'state': 'free', 'cores': 8 * (i + 1), 'processors': 1,
                 'memory_mib': 16384, 'local_gb': 0, 'rack_uri': '/c/rack',
                 'mac_addresses': ['52:54:00:00:00:0%d' % i]}
                for i in range(3)],
            'storages': [{'pod_uri': '/v/1', 'name': 'volume-1',
                          'kind': 'volume', 'state': 'free',
                          'capacity_gib': 500}],
            'devices': [
                {'pod_uri': '/d/%d' % i, 'name': 'dev-%d' % i,
                 'type': 'GPU' if i % 2 else 'NVMe', 'state': 'free',
                 'vendor': 'Acme', 'model': 'M%d' % i,
                 'properties': {'slot': i}}
                for i in range(5)],
        })

    def get(self, path, status=200):
        response = self.app.get(path, expect_errors=status != 200)
        self.assertEqual(status, response.status_int, response.text)
        return response


class TestDevices(InventoryAPITestCase):

    def test_list_shows_every_device_with_its_pod_manager(self):
        devices = self.get('/v1/devices').json['devices']
        self.assertEqual(5, len(devices))
        self.assertEqual({self.podm.uuid}, {d['podm_id'] for d in devices})
        self.assertEqual({'/d/%d' % i for i in range(5)},
                         {d['resource_uri'] for d in devices})

    def test_filter_by_type(self):
        devices = self.get('/v1/devices?type=GPU').json['devices']
        self.assertEqual(['dev-1', 'dev-3'],
                         sorted(d['name'] for d in devices))

    def test_filter_by_pod_manager_and_state(self):
        path = '/v1/devices?podm_id=%s&state=free' % self.podm.uuid
        self.assertEqual(5, len(self.get(path).json['devices']))
        path = '/v1/devices?podm_id=%s' % uuidutils.generate_uuid()
        self.assertEqual([], self.get(path).json['devices'])

    def test_show_has_the_pods_properties(self):
        uuid = self.get('/v1/devices?name=dev-2').json['devices'][0]['uuid']
        device = self.get('/v1/devices/%s' % uuid).json
        self.assertEqual({'slot': 2}, device['properties'])
        self.assertEqual('NVMe', device['type'])
        self.assertIsNone(device['node_id'])
        self.assertEqual('http://localhost/v1/devices/%s' % uuid,
                         device['links'][0]['href'])

    def test_unknown_device_is_404(self):
        response = self.get('/v1/devices/%s' % uuidutils.generate_uuid(),
                            status=404)
        self.assertIn('device', response.json['error']['message'])

    def test_pages_are_linked(self):
        page = self.get('/v1/devices?limit=2&type=NVMe').json
        self.assertEqual(2, len(page['devices']))
        self.assertIn('type=NVMe', page['next'])
        rest = self.get(page['next'].replace('http://localhost', '')).json
        self.assertEqual(1, len(rest['devices']))
        self.assertNotIn('next', rest)

    def test_unknown_filter_is_400_listing_the_valid_ones(self):
        response = self.get('/v1/devices?colour=red', status=400)
        message = response.json['error']['message']
        self.assertIn('colour', message)
        for name in ('type', 'state', 'podm_id', 'node_id', 'rack_id'):
            self.assertIn(name, message)


class TestSystems(InventoryAPITestCase):

    def test_lower_bound_filter(self):
        systems = self.get('/v1/systems?min_cores=16').json['systems']
        self.assertEqual(['system-1', 'system-2'],
                         sorted(s['name'] for s in systems))

    def test_lower_bound_must_be_a_number(self):
        response = self.get('/v1/systems?min_cores=many', status=400)
        self.assertIn("'min_cores'", response.json['error']['message'])

    def test_system_shows_its_rack(self):
        rack = self.get('/v1/racks').json['racks'][0]
        systems = self.get('/v1/systems?rack_id=%s' % rack['uuid']).json
        self.assertEqual(3, len(systems['systems']))
        self.assertEqual({rack['uuid']},
                         {s['rack_id'] for s in systems['systems']})
        self.assertEqual(['52:54:00:00:00:00'],
                         systems['systems'][0]['mac_addresses'])

    def test_sort_by_cores_descending(self):
        systems = self.get('/v1/systems?sort_key=cores&sort_dir=desc').json
        self.assertEqual([24, 16, 8],
                         [s['cores'] for s in systems['systems']])


class TestStoragesAndRacks(InventoryAPITestCase):

    def test_storages_list_volumes(self):
        storages = self.get('/v1/storages?kind=volume').json['storages']
        self.assertEqual([500], [s['capacity_gib'] for s in storages])

    def test_racks_list_the_chassis(self):
        racks = self.get('/v1/racks').json['racks']
        self.assertEqual([('rack-1', 'Rack')],
                         [(r['name'], r['chassis_type']) for r in racks])


class TestSync(InventoryAPITestCase):

    def test_sync_answers_202_and_the_conductor_reads_the_pod(self):
        response = self.app.post_json('/v1/devices/sync',
                                      {'podm_id': self.podm.uuid})
        self.assertEqual(202, response.status_int)
        self.assertEqual([{'podm_id': self.podm.uuid, 'name': 'pod-1'}],
                         response.json['pod_managers'])
        # The pod does not answer: the conductor marks it offline.
        self.wait_for(lambda: objects.PodManager.get_by_uuid(
            self.context, self.podm.uuid).status == states.OFFLINE)
        self.assertEqual(5, len(self.get('/v1/devices').json['devices']))

    def test_sync_without_body_reads_every_pod(self):
        response = self.app.post('/v1/devices/sync')
        self.assertEqual(202, response.status_int)
        self.assertEqual(1, len(response.json['pod_managers']))

    def test_sync_of_unknown_pod_manager_is_404(self):
        response = self.app.post_json(
            '/v1/devices/sync', {'podm_id': uuidutils.generate_uuid()},
            expect_errors=True)
        self.assertError(response, 404)

    def test_sync_with_unknown_field_is_400(self):
        response = self.app.post_json('/v1/devices/sync', {'pod': 'x'},
                                      expect_errors=True)
        self.assertError(response, 400, "'pod'")
