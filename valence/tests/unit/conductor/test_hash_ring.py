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

import collections

from oslo_utils import uuidutils

from valence import objects
from valence.common import context
from valence.common import exception
from valence.conductor import hash_ring
from valence.conductor import rpcapi
from valence.tests import base
from valence.tests.fixtures import database


class HashRingTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.context = context.get_admin_context()
        self.ring = hash_ring.HashRingManager()

    def register(self, *hosts, drivers=('redfishv1',)):
        for host in hosts:
            objects.Conductor.register(self.context, host, list(drivers))


class TestHashRing(HashRingTestCase):

    def test_without_live_conductors_nothing_can_be_served(self):
        self.assertRaises(exception.NoConductorAvailable, self.ring.host_for,
                          uuidutils.generate_uuid(), 'redfishv1')

    def test_one_pod_manager_always_maps_to_the_same_host(self):
        self.register('c1', 'c2', 'c3')
        podm = uuidutils.generate_uuid()
        hosts = {self.ring.host_for(podm, 'redfishv1') for _ in range(5)}
        self.assertEqual(1, len(hosts))

    def test_pod_managers_spread_over_the_live_conductors(self):
        self.register('c1', 'c2', 'c3')
        owners = collections.Counter(
            self.ring.host_for(uuidutils.generate_uuid(), 'redfishv1')
            for _ in range(300))
        self.assertEqual({'c1', 'c2', 'c3'}, set(owners))
        # No conductor gets more than twice its fair share.
        self.assertLessEqual(max(owners.values()), 2 * 100)

    def test_only_conductors_with_the_driver_serve_its_pods(self):
        self.register('c1', drivers=('redfishv1',))
        self.register('c2', drivers=('expether',))
        for _ in range(20):
            self.assertEqual('c2', self.ring.host_for(
                uuidutils.generate_uuid(), 'expether'))

    def test_unknown_driver_lists_the_available_ones(self):
        self.register('c1', drivers=('redfishv1', 'expether'))
        error = self.assertRaises(exception.InvalidDriver,
                                  self.ring.host_for,
                                  uuidutils.generate_uuid(), 'nosuch')
        self.assertIn('expether, redfishv1', str(error))

    def test_ring_is_cached_until_the_interval_passes(self):
        self.register('c1')
        podm = uuidutils.generate_uuid()
        self.assertEqual('c1', self.ring.host_for(podm, 'redfishv1'))
        objects.Conductor.list(self.context)[0].unregister()
        self.register('c2')
        self.assertEqual('c1', self.ring.host_for(podm, 'redfishv1'))
        self.ring.reset()
        self.assertEqual('c2', self.ring.host_for(podm, 'redfishv1'))

    def test_a_leaving_conductor_moves_only_its_own_pods(self):
        self.register('c1', 'c2', 'c3')
        pods = [uuidutils.generate_uuid() for _ in range(100)]
        before = {p: self.ring.host_for(p, 'redfishv1') for p in pods}
        [c3] = [c for c in objects.Conductor.list(self.context)
                if c.hostname == 'c3']
        c3.unregister()
        self.ring.reset()
        after = {p: self.ring.host_for(p, 'redfishv1') for p in pods}
        moved = [p for p in pods if before[p] != after[p]]
        self.assertEqual(sorted(p for p in pods if before[p] == 'c3'),
                         sorted(moved))


class TestConductorAPITopics(HashRingTestCase):

    def test_topic_is_the_owning_conductors_host_topic(self):
        self.register('c1')
        api = rpcapi.ConductorAPI()
        podm = objects.PodManager(uuid=uuidutils.generate_uuid(),
                                  driver='redfishv1')
        self.assertEqual('valence-conductor.c1', api.topic_for(podm))
