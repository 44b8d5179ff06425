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

"""Taking over what dead conductors, and this one's lost work, left.

The pod is a stand-in: these tests are about which nodes recovery takes
and what it writes; the functional tests kill real conductors in front of
emulated pods.
"""

import datetime
import types

from oslo_messaging.notify import _impl_test as test_notifications
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from valence import conf
from valence import objects
from valence.common import context
from valence.common import rpc
from valence.common import states
from valence.conductor import manager
from valence.conductor import task_manager
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests import base
from valence.tests.fixtures import database

HOST = 'conductor-a'
DEAD = 'conductor-gone'


class StandInDriver:
    """Records what recovery asks of the pod; the node it reports holds
    the devices in ``attached``."""

    def __init__(self):
        self.deleted = []
        self.attached = []

    def delete_node(self, uri):
        self.deleted.append(uri)

    def get_node(self, uri):
        return types.SimpleNamespace(uri=uri, device_uris=self.attached)


class StandInDrivers:
    def __init__(self, driver):
        self.driver = driver
        self.names = ['redfishv1']

    def get(self, podm):
        return self.driver


class RecoveryTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.config(driver=['test'], group='oslo_messaging_notifications')
        rpc.init(conf.CONF)
        test_notifications.reset()
        self.addCleanup(test_notifications.reset)
        self.context = context.get_admin_context()
        self.manager = manager.ConductorManager(HOST)
        self.addCleanup(self.manager.stop)
        self.driver = StandInDriver()
        self.manager.drivers = StandInDrivers(self.driver)
        objects.Conductor.register(self.context, HOST, ['redfishv1'])
        objects.Conductor.register(self.context, DEAD, ['redfishv1'])
        self.podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-1',
            url='http://127.0.0.1:1', driver='redfishv1', auth_type='basic',
            username='admin', password='p', verify_tls=True,
            status=states.ONLINE)
        self.podm.create()
        # This conductor serves every pod manager.
        self.silence(DEAD)

    def make_node(self, state, reservation, age=0):
        node = objects.Node(
            self.context, uuid=uuidutils.generate_uuid(), name='node',
            podmanager_id=self.podm.id, pod_node_uri='/redfish/v1/Nodes/1',
            state=state, managed=False, composed={}, requested={})
        node.create()
        values = {'reservation': reservation}
        if age:
            values['created_at'] = values['updated_at'] = (
                timeutils.utcnow() - datetime.timedelta(seconds=age))
        self.write(models.Node, models.Node.uuid == node.uuid, values)
        return node.uuid

    def write(self, model, where, values):
        with sqla_api.main_context.writer.using(self.context) as session:
            session.execute(sa.update(model).where(where).values(values))

    def silence(self, hostname):
        self.write(models.Conductor, models.Conductor.hostname == hostname,
                   {'heartbeat_at': timeutils.utcnow() -
                    datetime.timedelta(seconds=3600)})
        self.manager.ring.reset()

    def node(self, uuid):
        return objects.Node.get_by_uuid(self.context, uuid)

    def events(self):
        """(event type, details) of the notifications sent."""
        return [(message['event_type'],
                 message['payload']['valence_object.data'].get('details'))
                for _ctx, message, _priority, _retry
                in test_notifications.NOTIFICATIONS]


class TestDeadConductor(RecoveryTestCase):

    def test_a_compose_it_left_is_rolled_back(self):
        uuid = self.make_node(states.ALLOCATED, DEAD)
        self.manager.recover_nodes()
        node = self.node(uuid)
        self.assertEqual(states.COMPOSE_FAILED, node.state)
        self.assertIn('stopped', node.last_error)
        self.assertIsNone(node.reservation)
        self.assertEqual(['/redfish/v1/Nodes/1'], self.driver.deleted)
        [(event, details)] = self.events()
        self.assertEqual('valence.node.compose.error', event)
        self.assertEqual(node.last_error, details['error'])

    def test_interrupted_attaches_and_detaches_end_as_the_pod_says(self):
        uuid = self.make_node(states.ATTACHING, DEAD)
        objects.inventory.apply(self.context, self.podm.id, {'devices': [
            {'pod_uri': '/d/%d' % i, 'name': 'd%d' % i, 'type': 'GPU',
             'state': 'free', 'pod_node_uri': None, 'rack_uri': None,
             'vendor': None, 'model': None, 'zone_uri': None,
             'properties': {}} for i in range(4)]})
        node_id = self.node(uuid).id
        # Attaches of d0 and d1, detaches of d2 and d3; the pod did the
        # first of each.
        for i, state in enumerate(('attaching', 'attaching', 'detaching',
                                   'detaching')):
            self.write(models.Device, models.Device.pod_uri == '/d/%d' % i,
                       {'state': state, 'node_id': node_id})
        self.driver.attached = ['/d/0', '/d/3']
        self.manager.recover_nodes()
        node = self.node(uuid)
        self.assertEqual(states.AVAILABLE, node.state)
        self.assertIn('as the pod reports them', node.last_error)
        devices = {d.pod_uri: (d.state, d.node_uuid) for d in
                   objects.Device.list(self.context)}
        self.assertEqual({'/d/0': ('allocated', uuid), '/d/1': ('free', None),
                          '/d/2': ('free', None),
                          '/d/3': ('allocated', uuid)}, devices)
        by_uri = {d.uuid: d.pod_uri for d in objects.Device.list(self.context)}
        self.assertEqual(
            [('valence.node.attach.end', '/d/0'),
             ('valence.node.attach.error', '/d/1'),
             ('valence.node.detach.end', '/d/2'),
             ('valence.node.detach.error', '/d/3')],
            sorted((event, by_uri[details['device_uuid']])
                   for event, details in self.events()))

    def test_a_stable_node_it_held_is_only_unlocked(self):
        uuid = self.make_node(states.AVAILABLE, DEAD)
        self.manager.recover_nodes()
        node = self.node(uuid)
        self.assertEqual(states.AVAILABLE, node.state)
        self.assertIsNone(node.reservation)
        self.assertEqual([], self.driver.deleted)

    def test_its_reservations_stand_until_others_may_be_judged(self):
        uuid = self.make_node(states.ALLOCATED, DEAD)
        self.manager.recover_nodes(judge_others=False)
        self.assertEqual(DEAD, self.node(uuid).reservation)
        self.assertEqual(states.ALLOCATED, self.node(uuid).state)

    def test_nodes_of_pods_another_conductor_serves_are_left_to_it(self):
        uuid = self.make_node(states.AVAILABLE, DEAD)
        self.write(models.Conductor, models.Conductor.hostname == HOST,
                   {'drivers': ['expether']})
        objects.Conductor.register(self.context, 'conductor-b',
                                   ['redfishv1'])
        self.manager.ring.reset()
        self.manager.recover_nodes()
        self.assertEqual(DEAD, self.node(uuid).reservation)


class TestOwnReservations(RecoveryTestCase):

    def test_a_node_being_worked_on_here_is_left_alone(self):
        uuid = self.make_node(states.ATTACHING, None)
        node = task_manager.reserve(self.context, uuid, HOST)
        self.manager.recover_nodes()
        self.assertEqual(HOST, self.node(uuid).reservation)
        self.assertEqual(states.ATTACHING, self.node(uuid).state)
        task_manager.release(node, HOST)
        self.assertIsNone(self.node(uuid).reservation)

    def test_a_reservation_no_work_holds_is_taken_over(self):
        # As left by a release that the database refused.
        uuid = self.make_node(states.AVAILABLE, HOST)
        self.assertFalse(task_manager.working_on(HOST, uuid))
        self.manager.recover_nodes()
        self.assertIsNone(self.node(uuid).reservation)

    def test_a_flow_that_let_go_does_not_release_the_next_holder(self):
        uuid = self.make_node(states.AVAILABLE, None)
        first = task_manager.reserve(self.context, uuid, HOST)
        first.reservation = None  # its last write let go
        first.save()
        second = task_manager.reserve(self.context, uuid, HOST)
        task_manager.release(first, HOST)
        self.assertEqual(HOST, self.node(uuid).reservation)
        self.assertTrue(task_manager.working_on(HOST, uuid))
        task_manager.release(second, HOST)
        self.assertIsNone(self.node(uuid).reservation)
        self.assertFalse(task_manager.working_on(HOST, uuid))


class TestUnreservedNodes(RecoveryTestCase):

    def test_a_node_just_placed_is_left_to_its_conductor(self):
        uuid = self.make_node(states.COMPOSING, None)
        self.manager.recover_nodes()
        self.assertEqual(states.COMPOSING, self.node(uuid).state)

    def test_a_node_placed_long_ago_and_never_started_is_rolled_back(self):
        uuid = self.make_node(states.COMPOSING, None, age=3600)
        self.manager.recover_nodes()
        self.assertEqual(states.COMPOSE_FAILED, self.node(uuid).state)

    def test_a_stable_unreserved_node_is_not_touched(self):
        uuid = self.make_node(states.AVAILABLE, None, age=3600)
        self.manager.recover_nodes()
        node = self.node(uuid)
        self.assertEqual(states.AVAILABLE, node.state)
        self.assertIsNone(node.last_error)
