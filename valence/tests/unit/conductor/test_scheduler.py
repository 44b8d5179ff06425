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
from valence.common import context
from valence.common import exception
from valence.common import states
from valence.conductor import scheduler
from valence.objects import inventory
from valence.podmanagers import base as driver_base
from valence.tests import base
from valence.tests.fixtures import database


def request(cores=None, memory_mib=None, model=None, devices=()):
    processor = driver_base.ProcessorRequirement(cores=cores, model=model)
    return driver_base.ComposeRequest(
        name='n', processor=processor,
        memory=driver_base.MemoryRequirement(capacity_mib=memory_mib),
        devices=[driver_base.DeviceRequirement(type=t, count=c)
                 for t, c in devices])


class SchedulerTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(database.Database())
        self.context = context.get_admin_context()

    def pod(self, name, systems=(), devices=(), status=states.ONLINE,
            zones=None):
        podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name=name,
            url='http://%s' % name, driver='redfishv2', auth_type='basic',
            username='u', password='p', verify_tls=True, status=status)
        podm.create()
        records = {
            'systems': [{'pod_uri': '/%s/s/%d' % (name, i),
                         'name': 's%d' % i, 'state': state, 'cores': cores,
                         'memory_mib': memory, 'processors': 1,
                         'local_gb': 0, 'processor_model': 'Xeon Gold'}
                        for i, (cores, memory, state) in enumerate(systems)],
            'devices': [{'pod_uri': '/%s/d/%d' % (name, i),
                         'name': 'd%d' % i, 'type': kind, 'state': state,
                         'model': 'M1', 'zone_uri': zone}
                        for i, (kind, state, zone) in enumerate(devices)],
        }
        if zones:
            records['resource_zones'] = [
                {'pod_uri': zone, 'name': zone} for zone in zones]
            records['resource_blocks'] = [
                {'pod_uri': '/%s/s/%d' % (name, i), 'name': 'b%d' % i,
                 'block_types': ['Compute'], 'state': 'free',
                 'reserved': False, 'sharing_capable': False,
                 'zone_uris': [zone]}
                for i, zone in enumerate(zones)]
        inventory.apply(self.context, podm.id, records)
        return podm


class TestPlace(SchedulerTestCase):

    def test_the_best_fitting_system_of_any_pod_is_chosen(self):
        big = self.pod('big', systems=[(64, 262144, 'free')])
        snug = self.pod('snug', systems=[(8, 16384, 'free'),
                                         (16, 32768, 'free')])
        placement = scheduler.place(self.context, request(cores=12,
                                                          memory_mib=20000),
                                    [big, snug])
        self.assertEqual('snug', placement.podm.name)
        self.assertEqual('/snug/s/1', placement.system_uri)

    def test_allocated_systems_are_not_chosen(self):
        pod = self.pod('p', systems=[(16, 32768, 'allocated'),
                                     (16, 32768, 'free')])
        placement = scheduler.place(self.context, request(cores=8), [pod])
        self.assertEqual('/p/s/1', placement.system_uri)

    def test_devices_are_picked_with_the_system(self):
        pod = self.pod('p', systems=[(16, 32768, 'free')],
                       devices=[('GPU', 'free', None),
                                ('GPU', 'allocated', None),
                                ('GPU', 'free', None), ('NIC', 'free', None)])
        placement = scheduler.place(self.context,
                                    request(devices=[('GPU', 2)]), [pod])
        self.assertEqual(['/p/d/0', '/p/d/2'], sorted(placement.device_uris))
        self.assertEqual(['/p/s/0', '/p/d/0', '/p/d/2'],
                         [placement.resource_uris[0]] +
                         sorted(placement.resource_uris[1:]))

    def test_devices_come_from_the_systems_zone(self):
        pod = self.pod('p', systems=[(16, 32768, 'free'),
                                     (16, 32768, 'free')],
                       devices=[('GPU', 'free', '/z/b')],
                       zones=['/z/a', '/z/b'])
        placement = scheduler.place(self.context,
                                    request(devices=[('GPU', 1)]), [pod])
        self.assertEqual('/p/s/1', placement.system_uri)

    def test_no_fit_says_why_for_each_pod(self):
        small = self.pod('small', systems=[(8, 16384, 'free')])
        gpuless = self.pod('gpuless', systems=[(32, 65536, 'free')],
                           devices=[('GPU', 'free', None)])
        down = self.pod('down', systems=[(64, 262144, 'free')],
                        status=states.OFFLINE)
        error = self.assertRaises(
            exception.NoValidPod, scheduler.place, self.context,
            request(cores=16, devices=[('GPU', 2)]), [small, gpuless, down])
        message = str(error)
        self.assertIn('small: no free system with 16 cores (the largest '
                      'free one has 8 cores', message)
        self.assertIn('gpuless: 2 free GPU wanted, 1 free', message)
        self.assertIn('down: the pod manager is offline', message)
        self.assertEqual(422, error.code)

    def test_pod_without_free_systems_says_so(self):
        pod = self.pod('full', systems=[(8, 16384, 'allocated')])
        error = self.assertRaises(exception.NoValidPod, scheduler.place,
                                  self.context, request(), [pod])
        self.assertIn('full: no free compute system', str(error))

    def test_processor_model_matches_a_part_of_the_name(self):
        pod = self.pod('p', systems=[(8, 16384, 'free')])
        self.assertEqual('/p/s/0', scheduler.place(
            self.context, request(model='xeon'), [pod]).system_uri)
        self.assertRaises(exception.NoValidPod, scheduler.place,
                          self.context, request(model='EPYC'), [pod])

    def test_pods_that_report_no_cores_are_not_judged_on_them(self):
        # ExpEther servers report no processors: their cores are unknown.
        pod = self.pod('ee', systems=[(0, 0, 'free')])
        self.assertEqual('/ee/s/0', scheduler.place(
            self.context, request(cores=64, memory_mib=1024),
            [pod]).system_uri)
