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

from valence.common import exception
from valence.common import states
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.db import base

PROPERTIES = {
    'processor': {'model': 'Xeon', 'total_cores': 8},
    'devices': [{'type': 'GPU', 'model': 'V100', 'count': 2}],
}


def flavor_values(**overrides):
    values = {'uuid': uuidutils.generate_uuid(), 'name': 'gpu',
              'description': None, 'properties': PROPERTIES,
              'project_id': None}
    values.update(overrides)
    return values


class FlavorTests:

    def create(self, **overrides):
        return self.dbapi.create_flavor(flavor_values(**overrides))

    def add_node(self, flavor_uuid, state):
        if not hasattr(self, 'podm'):
            self.podm = self.dbapi.create_pod_manager({
                'uuid': uuidutils.generate_uuid(), 'name': 'pod-1',
                'url': 'https://pod-1.example.com', 'driver': 'redfishv1',
                'auth_type': 'basic', 'verify_tls': True,
                'status': 'online'})
        uuid = uuidutils.generate_uuid()
        with sqla_api.main_context.writer.using(self) as session:
            session.add(models.Node(uuid=uuid, podmanager_id=self.podm.id,
                                    pod_node_uri='/Nodes/%s' % uuid,
                                    flavor_id=flavor_uuid, state=state))
        return uuid

    def node_flavors(self):
        with sqla_api.main_context.reader.using(self) as session:
            return [node.flavor_id for node in session.query(models.Node)]

    def test_created_flavor_is_found_by_uuid_and_name(self):
        flavor = self.create()
        self.assertEqual(flavor.id,
                         self.dbapi.get_flavor_by_uuid(flavor.uuid).id)
        self.assertEqual(flavor.uuid,
                         self.dbapi.get_flavor_by_name('gpu').uuid)
        self.assertIsNotNone(flavor.created_at)
        self.assertIsNone(flavor.updated_at)

    def test_properties_come_back_as_stored(self):
        flavor = self.create()
        self.assertEqual(PROPERTIES,
                         self.dbapi.get_flavor_by_uuid(flavor.uuid).properties)

    def test_unknown_flavor_is_not_found(self):
        self.assertRaises(exception.FlavorNotFound,
                          self.dbapi.get_flavor_by_uuid,
                          uuidutils.generate_uuid())
        self.assertRaises(exception.FlavorNotFound,
                          self.dbapi.get_flavor_by_name, 'nothing')

    def test_duplicate_name_is_refused(self):
        self.create()
        self.assertRaises(exception.DuplicateName, self.create)

    def test_list_filters_by_exact_value(self):
        self.create(name='a', project_id='p1')
        self.create(name='b', project_id='p2')
        self.create(name='c')
        listed = self.dbapi.list_flavors(filters={'project_id': 'p2'})
        self.assertEqual(['b'], [f.name for f in listed])
        listed = self.dbapi.list_flavors(filters={'name': 'c'})
        self.assertEqual(['c'], [f.name for f in listed])

    def test_list_visible_to_a_project_has_public_and_its_own(self):
        self.create(name='mine', project_id='p1')
        self.create(name='theirs', project_id='p2')
        self.create(name='public')
        listed = self.dbapi.list_flavors(visible_to='p1', sort_key='name')
        self.assertEqual(['mine', 'public'], [f.name for f in listed])
        self.assertEqual(3, len(self.dbapi.list_flavors()))

    def test_list_pages_with_marker_in_sort_order(self):
        for name in ('c', 'a', 'd', 'b'):
            self.create(name=name)
        first = self.dbapi.list_flavors(limit=2, sort_key='name')
        second = self.dbapi.list_flavors(limit=2, sort_key='name',
                                         marker=first[-1].uuid)
        self.assertEqual(['a', 'b', 'c', 'd'],
                         [f.name for f in first + second])

    def test_list_sorts_descending(self):
        for name in ('a', 'c', 'b'):
            self.create(name=name)
        listed = self.dbapi.list_flavors(sort_key='name', sort_dir='desc')
        self.assertEqual(['c', 'b', 'a'], [f.name for f in listed])

    def test_update_changes_the_given_columns(self):
        flavor = self.create(description='old')
        updated = self.dbapi.update_flavor(
            flavor.uuid, {'description': 'new', 'properties': {}})
        self.assertEqual('new', updated.description)
        self.assertEqual({}, updated.properties)
        self.assertIsNotNone(updated.updated_at)
        self.assertEqual({}, self.dbapi.get_flavor_by_name('gpu').properties)

    def test_update_to_a_taken_name_is_refused(self):
        self.create(name='a')
        flavor = self.create(name='b')
        self.assertRaises(exception.DuplicateName, self.dbapi.update_flavor,
                          flavor.uuid, {'name': 'a'})
        self.assertEqual('b',
                         self.dbapi.get_flavor_by_uuid(flavor.uuid).name)

    def test_update_of_unknown_flavor_is_not_found(self):
        self.assertRaises(exception.FlavorNotFound, self.dbapi.update_flavor,
                          uuidutils.generate_uuid(), {'name': 'x'})

    def test_destroy_removes_the_flavor(self):
        flavor = self.create()
        self.dbapi.destroy_flavor(flavor.uuid)
        self.assertRaises(exception.FlavorNotFound,
                          self.dbapi.get_flavor_by_uuid, flavor.uuid)

    def test_destroy_of_unknown_flavor_is_not_found(self):
        self.assertRaises(exception.FlavorNotFound,
                          self.dbapi.destroy_flavor,
                          uuidutils.generate_uuid())

    def test_destroy_is_refused_while_a_node_is_composed_from_it(self):
        flavor = self.create()
        for state in states.COMPOSE_STATES:
            self.add_node(flavor.uuid, state)
        error = self.assertRaises(exception.FlavorInUse,
                                  self.dbapi.destroy_flavor, flavor.uuid)
        self.assertIn('3 node(s)', str(error))
        self.assertEqual(flavor.id,
                         self.dbapi.get_flavor_by_uuid(flavor.uuid).id)

    def test_destroy_leaves_nodes_that_are_done_composing(self):
        flavor = self.create()
        other = self.create(name='other')
        self.add_node(flavor.uuid, states.AVAILABLE)
        self.add_node(flavor.uuid, states.COMPOSE_FAILED)
        # Another flavor's composition does not hold this one.
        self.add_node(other.uuid, states.COMPOSING)
        self.dbapi.destroy_flavor(flavor.uuid)
        self.assertEqual(sorted([flavor.uuid, flavor.uuid, other.uuid]),
                         sorted(self.node_flavors()))


base.backend_classes(globals(), FlavorTests)
