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
import webtest

from valence import conf
from valence import objects
from valence.api import app
from valence.common import states
from valence.conductor import rpcapi
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.api import base


class ConductorsAPITestCase(base.APITestCase):
    """The test's own conductor ('test-host') and two more, with pod
    managers spread over them."""

    def setUp(self):
        super().setUp()
        for host in ('conductor-b', 'conductor-c'):
            objects.Conductor.register(self.context, host,
                                       ['redfishv1', 'redfishv2'])
        self.podms = []
        for index in range(12):
            podm = objects.PodManager(
                self.context, uuid=uuidutils.generate_uuid(),
                name='pod-%02d' % index,
                url='%s/pod-%02d' % (base.closed_port_url(), index),
                driver='redfishv1', auth_type='basic', username='admin',
                password='p', verify_tls=True, status=states.OFFLINE)
            podm.create()
            self.podms.append(podm)
        self.rpcapi = rpcapi.ConductorAPI()
        self.app = webtest.TestApp(app.setup_app(rpcapi=self.rpcapi))

    def silence(self, hostname):
        """Make a conductor's last heartbeat older than the timeout."""
        old = timeutils.utcnow() - datetime.timedelta(
            seconds=conf.CONF.conductor.heartbeat_timeout + 5)
        with sqla_api.main_context.writer.using(self.context) as session:
            session.execute(sa.update(models.Conductor)
                            .where(models.Conductor.hostname == hostname)
                            .values(heartbeat_at=old))
        # The API reads the live conductors again at once.
        self.rpcapi.ring.reset()

    def list(self, query=''):
        response = self.app.get('/v1/conductors' + query)
        self.assertEqual(200, response.status_int)
        return response.json


class TestList(ConductorsAPITestCase):

    def test_list_shows_every_conductor_alive_with_its_share(self):
        conductors = self.list()['conductors']
        self.assertEqual(['conductor-b', 'conductor-c', 'test-host'],
                         [c['hostname'] for c in conductors])
        for conductor in conductors:
            self.assertTrue(conductor['alive'])
            self.assertTrue(conductor['heartbeat_at'])
            self.assertIn('redfishv1', conductor['drivers'])
            self.assertNotIn('pod_managers', conductor)
            self.assertEqual(
                'http://localhost/v1/conductors/%s' % conductor['hostname'],
                conductor['links'][0]['href'])
        self.assertEqual(12, sum(c['pod_manager_count'] for c in conductors))

    def test_detail_names_each_pod_manager_once(self):
        conductors = self.list('?detail=true')['conductors']
        served = [p['uuid'] for c in conductors for p in c['pod_managers']]
        self.assertEqual(sorted(p.uuid for p in self.podms), sorted(served))
        for conductor in conductors:
            self.assertEqual(conductor['pod_manager_count'],
                             len(conductor['pod_managers']))
            for podm in conductor['pod_managers']:
                self.assertTrue(podm['name'].startswith('pod-'))
                self.assertTrue(podm['links'][0]['href'].endswith(
                    '/v1/pod_managers/%s' % podm['uuid']))

    def test_a_silent_conductor_is_dead_and_serves_nothing(self):
        self.silence('conductor-b')
        conductors = {c['hostname']: c for c in self.list()['conductors']}
        self.assertFalse(conductors['conductor-b']['alive'])
        self.assertEqual(0, conductors['conductor-b']['pod_manager_count'])
        self.assertEqual(12, conductors['conductor-c']['pod_manager_count'] +
                         conductors['test-host']['pod_manager_count'])
        dead = self.list('?alive=false')['conductors']
        self.assertEqual(['conductor-b'], [c['hostname'] for c in dead])
        alive = self.list('?alive=true')['conductors']
        self.assertEqual(['conductor-c', 'test-host'],
                         [c['hostname'] for c in alive])

    def test_pages_follow_the_hostnames(self):
        page = self.list('?limit=2')
        self.assertEqual(['conductor-b', 'conductor-c'],
                         [c['hostname'] for c in page['conductors']])
        self.assertIn('marker=conductor-c', page['next'])
        rest = self.list(page['next'].replace('http://localhost/v1/'
                                              'conductors', ''))
        self.assertEqual(['test-host'],
                         [c['hostname'] for c in rest['conductors']])
        self.assertNotIn('next', rest)

    def test_sorted_backwards(self):
        conductors = self.list('?sort_dir=desc')['conductors']
        self.assertEqual(['test-host', 'conductor-c', 'conductor-b'],
                         [c['hostname'] for c in conductors])

    def test_bad_queries_are_400(self):
        for query, fragment in (('?alive=maybe', 'alive'),
                                ('?marker=nobody', 'nobody'),
                                ('?sort_key=drivers', 'drivers'),
                                ('?colour=red', 'colour')):
            response = self.app.get('/v1/conductors' + query,
                                    expect_errors=True)
            self.assertError(response, 400, fragment)


class TestShow(ConductorsAPITestCase):

    def test_show_lists_the_pod_managers_served(self):
        listed = {c['hostname']: c for c in self.list()['conductors']}
        conductor = self.app.get('/v1/conductors/test-host').json
        self.assertEqual('test-host', conductor['hostname'])
        self.assertTrue(conductor['alive'])
        self.assertEqual(listed['test-host']['pod_manager_count'],
                         len(conductor['pod_managers']))

    def test_unknown_conductor_is_404(self):
        response = self.app.get('/v1/conductors/nobody', expect_errors=True)
        self.assertError(response, 404, 'nobody')

    def test_v1_links_to_conductors(self):
        v1 = self.app.get('/v1').json
        self.assertEqual('http://localhost/v1/conductors/',
                         v1['conductors'][0]['href'])
