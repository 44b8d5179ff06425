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


"""The sync flow, with a stand-in driver.

These unit tests give the flow a small driver object returning fixed
records or raising, so that the flow's handling of each outcome is checked
without a network; the functional tests sync real drivers against
emulator pods.
"""

from oslo_messaging.notify import _impl_test as test_notifications

from valence import conf
from valence import objects
from valence.common import context
from valence.common import exception
from valence.common import rpc
from valence.common import states
from valence.conductor import inventory
from valence.podmanagers import base as driver_base
from valence.tests import base
from valence.tests.fixtures import database


class StandInDriver:
    """Returns ``result`` from get_inventory, or raises it."""

    def __init__(self, result):
        self.result = result

    def get_inventory(self):
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def pod_inventory(gpus=2):
    return driver_base.Inventory(
        racks=[driver_base.Rack(uri='/c/rack', name='rack',
                                chassis_type='Rack')],
        systems=[driver_base.System(uri='/s/1', name='s1', cores=8,
                                    uuid='8c5c2d5e-5b4e-4d6f-9b1e-'
                                         '2b1b1f0f1a01',
                                    mac_addresses=['52:54:00:00:00:01'])],
        devices=[driver_base.Device(uri='/d/%d' % i, name='gpu%d' % i,
                                    type=driver_base.GPU, rack_uri='/c/rack')
                 for i in range(gpus)])


class TestSync(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.config(driver=['test'], group='oslo_messaging_notifications')
        rpc.init(conf.CONF)
        test_notifications.reset()
        self.addCleanup(test_notifications.reset)
        self.context = context.get_admin_context()
        self.podm = objects.PodManager(
            self.context, uuid='0c1b6e6c-3d1f-4f0e-9a55-6a5b9a1f2c11',
            name='pod', url='http://pod', driver='redfishv1',
            auth_type='basic', username='u', password='p', verify_tls=True,
            status=states.ONLINE)
        self.podm.create()

    def events(self):
        return [(m['event_type'], m['payload']['valence_object.data'])
                for _c, m, _p, _r in test_notifications.NOTIFICATIONS]

    def test_sync_stores_what_the_pod_holds(self):
        counts = inventory.sync(self.context, self.podm,
                                StandInDriver(pod_inventory()))
        self.assertEqual({'added': 4, 'updated': 0, 'removed': 0}, counts)
        [system] = objects.System.list(self.context)
        self.assertEqual(8, system.cores)
        self.assertEqual('8c5c2d5e-5b4e-4d6f-9b1e-2b1b1f0f1a01',
                         system.hw_uuid)
        devices = objects.Device.list(self.context)
        self.assertEqual(['GPU', 'GPU'], [d.type for d in devices])
        [rack] = objects.Rack.list(self.context)
        self.assertEqual({rack.uuid}, {d.rack_uuid for d in devices})

    def test_sync_records_when_it_ran(self):
        inventory.sync(self.context, self.podm, StandInDriver(pod_inventory()))
        stored = objects.PodManager.get_by_uuid(self.context, self.podm.uuid)
        self.assertIsNotNone(stored.last_sync_at)

    def test_sync_announces_start_and_end_with_counts(self):
        inventory.sync(self.context, self.podm, StandInDriver(pod_inventory()))
        inventory.sync(self.context, self.podm,
                       StandInDriver(pod_inventory(gpus=1)))
        events = self.events()
        self.assertEqual(['valence.inventory.sync.start',
                          'valence.inventory.sync.end'] * 2,
                         [e[0] for e in events])
        self.assertEqual({'podm_uuid': self.podm.uuid, 'podm_name': 'pod',
                          'added': 0, 'updated': 0, 'removed': 1},
                         events[3][1])

    def test_unreachable_pod_goes_offline_and_keeps_its_inventory(self):
        inventory.sync(self.context, self.podm, StandInDriver(pod_inventory()))
        result = inventory.sync(
            self.context, self.podm,
            StandInDriver(exception.PodManagerUnreachable(
                url='http://pod', reason='timed out')))
        self.assertIsNone(result)
        stored = objects.PodManager.get_by_uuid(self.context, self.podm.uuid)
        self.assertEqual(states.OFFLINE, stored.status)
        self.assertIn('timed out', stored.status_reason)
        self.assertEqual(2, len(objects.Device.list(self.context)))
        self.assertEqual('valence.inventory.sync.error', self.events()[-1][0])

    def test_pod_answering_garbage_goes_to_error(self):
        inventory.sync(self.context, self.podm, StandInDriver(
            exception.PodManagerError(reason='Systems is not JSON')))
        stored = objects.PodManager.get_by_uuid(self.context, self.podm.uuid)
        self.assertEqual(states.ERROR, stored.status)
        self.assertIn('Systems is not JSON', stored.status_reason)
        self.assertIn('Systems is not JSON', self.events()[-1][1]['error'])

    def test_unexpected_driver_failure_is_an_error_too(self):
        inventory.sync(self.context, self.podm,
                       StandInDriver(KeyError('Members')))
        stored = objects.PodManager.get_by_uuid(self.context, self.podm.uuid)
        self.assertEqual(states.ERROR, stored.status)
        self.assertIn('KeyError', stored.status_reason)

    def test_good_sync_brings_the_pod_manager_back_online(self):
        inventory.sync(self.context, self.podm, StandInDriver(
            exception.PodManagerError(reason='boom')))
        inventory.sync(self.context, self.podm, StandInDriver(pod_inventory()))
        stored = objects.PodManager.get_by_uuid(self.context, self.podm.uuid)
        self.assertEqual(states.ONLINE, stored.status)
        self.assertIsNone(stored.status_reason)
