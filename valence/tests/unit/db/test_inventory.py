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
import sqlalchemy as sa

from valence.common import exception
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.db import base
from valence.tests.unit.db import test_api


def device(uri, **overrides):
    record = {'pod_uri': uri, 'name': uri.rsplit('/', 1)[-1],
              'type': 'GPU', 'state': 'free', 'pod_node_uri': None,
              'rack_uri': '/redfish/v1/Chassis/Rack1', 'vendor': 'NVIDIA',
              'model': 'A100', 'zone_uri': None,
              'properties': {'memory_gib': 80}}
    record.update(overrides)
    return record


def system(uri, **overrides):
    record = {'pod_uri': uri, 'name': uri.rsplit('/', 1)[-1],
              'state': 'free', 'cores': 16, 'memory_mib': 65536,
              'processors': 2, 'local_gb': 0, 'mac_addresses': []}
    record.update(overrides)
    return record


class InventoryTests:

    def setUp(self):
        super().setUp()
        self.podm = self.dbapi.create_pod_manager(test_api.podm_values())

    def apply(self, podm=None, **inventory):
        return self.dbapi.apply_inventory((podm or self.podm).id, inventory)

    def devices(self, **filters):
        return [row[0] for row in self.dbapi.list_inventory(
            'devices', filters=filters, sort_key='pod_uri')]

    def test_first_sync_adds_every_record(self):
        counts = self.apply(devices=[device('/d/1'), device('/d/2')])
        self.assertEqual({'added': 2, 'updated': 0, 'removed': 0}, counts)
        self.assertEqual(['/d/1', '/d/2'],
                         [d.pod_uri for d in self.devices()])
        self.assertEqual({'memory_gib': 80}, self.devices()[0].properties)

    def test_unchanged_sync_writes_nothing(self):
        self.apply(devices=[device('/d/1'), device('/d/2')])
        before = [(d.uuid, d.updated_at) for d in self.devices()]
        counts = self.apply(devices=[device('/d/1'), device('/d/2')])
        self.assertEqual({'added': 0, 'updated': 0, 'removed': 0}, counts)
        self.assertEqual(before,
                         [(d.uuid, d.updated_at) for d in self.devices()])

    def test_changed_record_is_updated_in_place(self):
        self.apply(devices=[device('/d/1')])
        [old] = self.devices()
        counts = self.apply(devices=[device('/d/1', state='allocated',
                                            pod_node_uri='/n/1')])
        self.assertEqual(1, counts['updated'])
        [new] = self.devices()
        self.assertEqual(old.uuid, new.uuid)
        self.assertEqual('allocated', new.state)
        self.assertIsNotNone(new.updated_at)

    def test_record_gone_from_the_pod_is_removed(self):
        self.apply(devices=[device('/d/1'), device('/d/2')])
        counts = self.apply(devices=[device('/d/2')])
        self.assertEqual(1, counts['removed'])
        self.assertEqual(['/d/2'], [d.pod_uri for d in self.devices()])

    def test_other_pod_managers_rows_are_left_alone(self):
        other = self.dbapi.create_pod_manager(test_api.podm_values(
            name='other', url='http://other'))
        self.apply(podm=other, devices=[device('/d/1')])
        self.apply(devices=[device('/d/1')])
        self.apply(devices=[])
        self.assertEqual(1, len(self.devices()))
        self.assertEqual(other.uuid, self.dbapi.list_inventory(
            'devices')[0][1])

    def test_kinds_not_given_are_left_alone(self):
        self.apply(devices=[device('/d/1')], systems=[system('/s/1')])
        self.apply(systems=[system('/s/1')])
        self.assertEqual(1, len(self.devices()))

    def test_resource_of_a_known_node_refers_to_it(self):
        node_uuid = uuidutils.generate_uuid()
        with sqla_api.main_context.writer.using(self) as session:
            session.add(models.Node(uuid=node_uuid,
                                    podmanager_id=self.podm.id,
                                    pod_node_uri='/n/1', state='available'))
        self.apply(devices=[device('/d/1', state='allocated',
                                   pod_node_uri='/n/1'), device('/d/2')])
        [row] = self.dbapi.list_inventory('devices',
                                          filters={'node_uuid': node_uuid})
        self.assertEqual('/d/1', row[0].pod_uri)
        self.assertEqual(node_uuid, row[2])

    def test_rack_is_found_by_its_uri(self):
        self.apply(racks=[{'pod_uri': '/redfish/v1/Chassis/Rack1',
                           'name': 'Rack1', 'chassis_type': 'Rack'}],
                   devices=[device('/d/1'), device('/d/2', rack_uri=None)])
        [rack] = self.dbapi.list_inventory('racks')
        rows = self.dbapi.list_inventory(
            'devices', filters={'rack_uuid': rack[0].uuid})
        self.assertEqual(['/d/1'], [r[0].pod_uri for r in rows])
        self.assertEqual(rack[0].uuid, rows[0][3])

    def test_filters_match_values_and_lower_bounds(self):
        self.apply(devices=[device('/d/1'), device('/d/2', type='NIC')],
                   systems=[system('/s/1', cores=8),
                            system('/s/2', cores=32)])
        self.assertEqual(['/d/2'],
                         [d.pod_uri for d in self.devices(type='NIC')])
        self.assertEqual(['/d/1', '/d/2'], [d.pod_uri for d in self.devices(
            podm_uuid=self.podm.uuid)])
        rows = self.dbapi.list_inventory('systems',
                                         filters={'min_cores': 16})
        self.assertEqual(['/s/2'], [r[0].pod_uri for r in rows])

    def test_pages_follow_the_marker(self):
        self.apply(devices=[device('/d/%d' % i) for i in range(5)])
        first = self.dbapi.list_inventory('devices', limit=3,
                                          sort_key='pod_uri')
        rest = self.dbapi.list_inventory('devices', limit=3,
                                         sort_key='pod_uri',
                                         marker=first[-1][0].uuid)
        self.assertEqual(['/d/%d' % i for i in range(5)],
                         [r[0].pod_uri for r in first + rest])

    def test_unknown_uuid_is_not_found(self):
        self.assertRaises(exception.InventoryNotFound,
                          self.dbapi.get_inventory_item, 'devices',
                          uuidutils.generate_uuid())

    def test_found_by_pod_uri_within_its_pod_manager(self):
        other = self.dbapi.create_pod_manager(test_api.podm_values(
            name='pod-2', url='https://pod-2.example.com'))
        self.apply(devices=[device('/d/1')])
        self.apply(podm=other, devices=[device('/d/1', type='NIC')])
        row, podm_uuid, node_uuid, _rack = (
            self.dbapi.find_inventory_item_by_pod_uri(
                'devices', other.uuid, '/d/1'))
        self.assertEqual(('NIC', other.uuid, None),
                         (row.type, podm_uuid, node_uuid))
        self.assertIsNone(self.dbapi.find_inventory_item_by_pod_uri(
            'devices', self.podm.uuid, '/d/2'))

    def test_deleting_the_pod_manager_removes_its_inventory(self):
        self.apply(devices=[device('/d/1')], systems=[system('/s/1')])
        self.dbapi.destroy_pod_manager(self.podm.uuid)
        with sqla_api.main_context.reader.using(self) as session:
            self.assertEqual(0, session.scalar(
                sa.select(sa.func.count()).select_from(models.Device)))
            self.assertEqual(0, session.scalar(
                sa.select(sa.func.count()).select_from(models.System)))


base.backend_classes(globals(), InventoryTests)
