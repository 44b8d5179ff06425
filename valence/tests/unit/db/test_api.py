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

import datetime

from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from valence.common import exception
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.db import base


def podm_values(**overrides):
    values = {'uuid': uuidutils.generate_uuid(), 'name': 'pod-1',
              'url': 'https://pod-1.example.com', 'driver': 'redfishv1',
              'auth_type': 'basic', 'username': 'admin', 'password': 'secret',
              'verify_tls': True, 'status': 'online'}
    values.update(overrides)
    return values


class PodManagerTests:

    def create(self, **overrides):
        return self.dbapi.create_pod_manager(podm_values(**overrides))

    def test_created_pod_manager_is_found_by_uuid_name_and_id(self):
        podm = self.create()
        self.assertEqual(podm.id,
                         self.dbapi.get_pod_manager_by_uuid(podm.uuid).id)
        self.assertEqual(podm.uuid,
                         self.dbapi.get_pod_manager_by_name('pod-1').uuid)
        self.assertEqual(podm.uuid,
                         self.dbapi.get_pod_manager_by_id(podm.id).uuid)
        self.assertIsNotNone(podm.created_at)
        self.assertIsNone(podm.updated_at)

    def test_unknown_pod_manager_is_not_found(self):
        self.assertRaises(exception.PodManagerNotFound,
                          self.dbapi.get_pod_manager_by_uuid,
                          uuidutils.generate_uuid())

    def test_duplicate_name_is_refused(self):
        self.create()
        self.assertRaises(exception.DuplicateName, self.create,
                          url='https://other.example.com')

    def test_duplicate_url_is_refused(self):
        self.create()
        self.assertRaises(exception.DuplicatePodManagerURL, self.create,
                          name='pod-2')

    def test_list_filters_by_exact_value(self):
        self.create(name='a', url='http://a', driver='redfishv1')
        self.create(name='b', url='http://b', driver='expether')
        listed = self.dbapi.list_pod_managers(filters={'driver': 'expether'})
        self.assertEqual(['b'], [p.name for p in listed])

    def test_list_pages_with_marker_in_sort_order(self):
        for name in ('c', 'a', 'd', 'b'):
            self.create(name=name, url='http://%s' % name)
        first = self.dbapi.list_pod_managers(limit=2, sort_key='name')
        second = self.dbapi.list_pod_managers(limit=2, sort_key='name',
                                              marker=first[-1].uuid)
        self.assertEqual(['a', 'b', 'c', 'd'],
                         [p.name for p in first + second])

    def test_list_sorts_descending(self):
        for name in ('a', 'b'):
            self.create(name=name, url='http://%s' % name)
        listed = self.dbapi.list_pod_managers(sort_key='name',
                                              sort_dir='desc')
        self.assertEqual(['b', 'a'], [p.name for p in listed])

    def test_list_with_unknown_marker_is_refused(self):
        self.assertRaises(exception.InvalidMarker,
                          self.dbapi.list_pod_managers,
                          marker=uuidutils.generate_uuid())

    def test_update_changes_values_and_the_update_time(self):
        podm = self.create()
        updated = self.dbapi.update_pod_manager(
            podm.uuid, {'status': 'error', 'status_reason': 'boom'})
        self.assertEqual('error', updated.status)
        self.assertEqual('boom',
                         self.dbapi.get_pod_manager_by_uuid(
                             podm.uuid).status_reason)
        self.assertIsNotNone(updated.updated_at)

    def test_update_to_a_taken_name_is_refused_and_changes_nothing(self):
        self.create(name='a', url='http://a')
        b = self.create(name='b', url='http://b')
        self.assertRaises(exception.DuplicateName,
                          self.dbapi.update_pod_manager, b.uuid,
                          {'name': 'a'})
        self.assertEqual('b', self.dbapi.get_pod_manager_by_uuid(b.uuid).name)

    def test_update_of_unknown_pod_manager_is_not_found(self):
        self.assertRaises(exception.PodManagerNotFound,
                          self.dbapi.update_pod_manager,
                          uuidutils.generate_uuid(), {'name': 'x'})

    def test_destroy_removes_the_pod_manager(self):
        podm = self.create()
        self.dbapi.destroy_pod_manager(podm.uuid)
        self.assertRaises(exception.PodManagerNotFound,
                          self.dbapi.get_pod_manager_by_uuid, podm.uuid)

    def test_destroy_with_nodes_is_refused_and_keeps_the_row(self):
        podm = self.create()
        with sqla_api.main_context.writer.using(self) as session:
            session.add(models.Node(uuid=uuidutils.generate_uuid(),
                                    podmanager_id=podm.id, state='available'))
        self.assertRaises(exception.PodManagerInUse,
                          self.dbapi.destroy_pod_manager, podm.uuid)
        self.assertEqual(podm.id,
                         self.dbapi.get_pod_manager_by_uuid(podm.uuid).id)


class ConductorTests:

    def test_registered_conductor_is_listed_alive_with_its_drivers(self):
        self.dbapi.register_conductor('c1', ['redfishv1', 'expether'])
        [alive] = self.dbapi.list_conductors(alive_within=60)
        self.assertEqual('c1', alive.hostname)
        self.assertEqual(['redfishv1', 'expether'], alive.drivers)

    def test_conductor_without_recent_heartbeat_is_not_alive(self):
        self.dbapi.register_conductor('c1', ['redfishv1'])
        self._age('c1', seconds=120)
        self.assertEqual([], self.dbapi.list_conductors(alive_within=60))
        self.assertEqual(['c1'], [c.hostname
                                  for c in self.dbapi.list_conductors()])

    def test_heartbeat_brings_a_conductor_back_to_life(self):
        self.dbapi.register_conductor('c1', ['redfishv1'])
        self._age('c1', seconds=120)
        self.dbapi.touch_conductor('c1')
        self.assertEqual(1, len(self.dbapi.list_conductors(alive_within=60)))

    def test_registering_again_replaces_the_stale_row(self):
        self.dbapi.register_conductor('c1', ['redfishv1'])
        self._age('c1', seconds=120)
        self.dbapi.register_conductor('c1', ['expether'])
        [conductor] = self.dbapi.list_conductors(alive_within=60)
        self.assertEqual(['expether'], conductor.drivers)

    def test_unregistered_conductor_is_gone(self):
        self.dbapi.register_conductor('c1', ['redfishv1'])
        self.dbapi.unregister_conductor('c1')
        self.assertEqual([], self.dbapi.list_conductors())

    def test_heartbeat_of_an_unknown_conductor_is_refused(self):
        self.assertRaises(exception.ConductorNotFound,
                          self.dbapi.touch_conductor, 'ghost')

    def _age(self, hostname, seconds):
        old = timeutils.utcnow() - datetime.timedelta(seconds=seconds)
        with sqla_api.main_context.writer.using(self) as session:
            session.execute(sa.update(models.Conductor)
                            .where(models.Conductor.hostname == hostname)
                            .values(heartbeat_at=old))


class NodeTests:

    def setUp(self):
        super().setUp()
        self.podm = self.dbapi.create_pod_manager(podm_values())

    def create(self, pod_node_uri):
        node, podm_uuid = self.dbapi.create_node({
            'uuid': uuidutils.generate_uuid(), 'name': 'node',
            'podmanager_id': self.podm.id, 'state': 'available',
            'pod_node_uri': pod_node_uri})
        self.assertEqual(self.podm.uuid, podm_uuid)
        return node

    def test_a_pod_node_taken_at_creation_is_a_conflict(self):
        self.create('/Nodes/1')
        error = self.assertRaises(exception.Conflict, self.create, '/Nodes/1')
        self.assertIn('/Nodes/1 is already a Valence node', str(error))

    def test_a_pod_node_taken_by_an_update_is_a_conflict(self):
        self.create('/Nodes/1')
        node = self.create(None)
        error = self.assertRaises(
            exception.Conflict, self.dbapi.update_node, node.uuid,
            {'pod_node_uri': '/Nodes/1', 'state': 'active'})
        self.assertIn('/Nodes/1 is already a Valence node', str(error))
        stored, _podm_uuid = self.dbapi.get_node_by_uuid(node.uuid)
        self.assertIsNone(stored.pod_node_uri)
        self.assertEqual('available', stored.state)

    def test_an_update_in_the_wrong_state_says_so(self):
        node = self.create('/Nodes/1')
        self.assertRaises(exception.InvalidState, self.dbapi.update_node,
                          node.uuid, {'state': 'deleting'},
                          states=['active'])

    def test_an_update_by_another_holder_says_who_holds_it(self):
        node = self.create('/Nodes/1')
        self.dbapi.reserve_node(node.uuid, 'conductor-1')
        error = self.assertRaises(
            exception.NodeLocked, self.dbapi.update_node, node.uuid,
            {'state': 'deleting'}, states=['available'],
            reservation='conductor-2')
        self.assertIn('conductor-1', str(error))
        self.dbapi.update_node(node.uuid, {'state': 'deleting',
                                           'composed': {'device_uris': []}},
                               states=['available', 'active'],
                               reservation='conductor-1')
        stored, _podm_uuid = self.dbapi.get_node_by_uuid(node.uuid)
        self.assertEqual(('deleting', {'device_uris': []}),
                         (stored.state, stored.composed))
        self.assertIsNotNone(stored.updated_at)

    def test_a_reserved_node_is_reserved_once_until_released(self):
        node = self.create('/Nodes/1')
        self.dbapi.reserve_node(node.uuid, 'conductor-1')
        self.assertRaises(exception.NodeLocked, self.dbapi.reserve_node,
                          node.uuid, 'conductor-2')
        # Only its holder releases it.
        self.dbapi.release_node(node.uuid, 'conductor-2')
        self.assertEqual('conductor-1', self.dbapi.get_node_by_uuid(
            node.uuid)[0].reservation)
        self.dbapi.release_node(node.uuid, 'conductor-1')
        self.dbapi.reserve_node(node.uuid, 'conductor-2')
        self.assertEqual('conductor-2', self.dbapi.get_node_by_uuid(
            node.uuid)[0].reservation)

    def test_node_actions_are_recorded_and_finished(self):
        node = self.create('/Nodes/1')
        started = timeutils.utcnow()
        first = self.dbapi.create_node_action({
            'node_uuid': node.uuid, 'action': 'attach', 'step': 'device',
            'conductor': 'conductor-1', 'started_at': started,
            'result': 'in progress'})
        second = self.dbapi.create_node_action({
            'node_uuid': node.uuid, 'action': 'detach',
            'started_at': started, 'result': 'in progress'})
        self.assertGreater(second.id, first.id)
        self.assertIsNotNone(first.created_at)
        self.dbapi.update_node_action(first.id, {'result': 'error',
                                                 'error': 'pod said no'})
        listed = self.dbapi.list_node_actions(node.uuid)
        self.assertEqual(
            [(first.id, 'attach', 'error', 'pod said no'),
             (second.id, 'detach', 'in progress', None)],
            [(a.id, a.action, a.result, a.error) for a in listed])



class TransactionTests:

    def setUp(self):
        super().setUp()
        self.podm = self.dbapi.create_pod_manager(podm_values())

    def test_calls_in_a_transaction_are_written_together(self):
        with self.dbapi.transaction():
            self.dbapi.update_pod_manager(self.podm.uuid, {'status': 'error'})
            # Later calls of the block see what the earlier ones wrote.
            self.assertEqual('error', self.dbapi.get_pod_manager_by_uuid(
                self.podm.uuid).status)
            self.dbapi.update_pod_manager(self.podm.uuid,
                                          {'description': 'written'})
        stored = self.dbapi.get_pod_manager_by_uuid(self.podm.uuid)
        self.assertEqual(('error', 'written'),
                         (stored.status, stored.description))

    def test_a_block_that_raises_writes_nothing(self):
        def change_then_fail():
            with self.dbapi.transaction():
                self.dbapi.update_pod_manager(self.podm.uuid,
                                              {'status': 'error'})
                self.dbapi.reserve_node(uuidutils.generate_uuid(), 'host')

        self.assertRaises(exception.NodeNotFound, change_then_fail)
        self.assertEqual('online', self.dbapi.get_pod_manager_by_uuid(
            self.podm.uuid).status)


base.backend_classes(globals(), PodManagerTests)
base.backend_classes(globals(), ConductorTests)
base.backend_classes(globals(), NodeTests)
base.backend_classes(globals(), TransactionTests)
