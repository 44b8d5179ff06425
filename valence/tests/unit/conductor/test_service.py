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

"""The conductor's heartbeat, and when it may find others dead."""

import time

from valence import objects
from valence.common import context
from valence.conductor import service
from valence.tests import base
from valence.tests.fixtures import database


class RecordingManager:
    def __init__(self):
        self.recoveries = []
        self.drivers = type('Drivers', (), {'names': ['redfishv1']})()

    def recover_nodes(self, judge_others=True):
        self.recoveries.append(judge_others)


class BrokenConductor:
    """A conductor row whose heartbeat cannot be written."""

    def touch(self):
        raise ConnectionError('database unreachable')


class TestHeartbeat(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.config(heartbeat_timeout=60, group='conductor')
        self.service = service.ConductorService('conductor-a')
        self.service.manager = RecordingManager()
        self.service._conductor = objects.Conductor.register(
            context.get_admin_context(), 'conductor-a', ['redfishv1'])

    def test_others_are_not_judged_before_a_heartbeat_timeout(self):
        self.service._steady_since = time.monotonic() - 10
        self.service._recover()
        self.assertEqual([False], self.service.manager.recoveries)

    def test_others_are_judged_once_heartbeats_were_steady_long_enough(self):
        self.service._steady_since = time.monotonic() - 61
        self.service._recover()
        self.assertEqual([True], self.service.manager.recoveries)

    def test_a_failed_heartbeat_starts_the_wait_again(self):
        self.service._steady_since = time.monotonic() - 600
        good = self.service._conductor
        self.service._conductor = BrokenConductor()
        self.service._heartbeat()
        self.assertIsNone(self.service._steady_since)
        self.service._recover()
        self.service._conductor = good
        self.service._heartbeat()
        self.assertLess(time.monotonic() - self.service._steady_since, 5)
        self.service._recover()
        self.assertEqual([False, False], self.service.manager.recoveries)

    def test_first_runs_come_within_half_to_one_and_a_half_intervals(self):
        delays = [service._first_delay(100) for _ in range(200)]
        self.assertTrue(all(50 <= d <= 150 for d in delays))
        self.assertGreater(max(delays) - min(delays), 50)


class TestSyncPeriod(base.TestCase):

    def test_the_period_runs_from_one_pass_start_to_the_next(self):
        self.assertEqual(240.0, service._next_sync_in(300, 60))

    def test_a_pass_longer_than_the_period_is_followed_at_once(self):
        self.assertEqual(0.0, service._next_sync_in(300, 420))
