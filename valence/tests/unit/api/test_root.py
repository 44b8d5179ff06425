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

from valence.tests.unit.api import base


class TestRoot(base.APITestCase):

    def test_root_lists_v1_with_its_microversions(self):
        response = self.app.get('/')
        self.assertEqual(200, response.status_int)
        v1 = response.json['versions'][0]
        self.assertEqual('v1', v1['id'])
        self.assertEqual('CURRENT', v1['status'])
        self.assertEqual('1.0', v1['min_version'])
        self.assertEqual('1.0', v1['version'])
        self.assertEqual('http://localhost/v1/', v1['links'][0]['href'])

    def test_v1_links_to_pod_managers(self):
        response = self.app.get('/v1')
        self.assertEqual('http://localhost/v1/pod_managers/',
                         response.json['pod_managers'][0]['href'])
        self.assertEqual('application/vnd.openstack.valence.v1+json',
                         response.json['media_types'][0]['type'])

    def test_every_answer_has_a_request_id(self):
        for path in ('/', '/v1', '/v1/pod_managers', '/nowhere'):
            response = self.app.get(path, expect_errors=True)
            self.assertTrue(response.headers['X-OpenStack-Request-Id']
                            .startswith('req-'), path)

    def test_answers_carry_the_version_used_and_the_range(self):
        response = self.app.get('/v1')
        self.assertEqual('composition 1.0',
                         response.headers['OpenStack-API-Version'])
        self.assertEqual('1.0', response.headers[
            'X-OpenStack-Valence-API-Version'])
        self.assertEqual('1.0',
                         response.headers['OpenStack-API-Minimum-Version'])
        self.assertEqual('1.0',
                         response.headers['OpenStack-API-Maximum-Version'])

    def test_latest_version_is_the_maximum(self):
        response = self.app.get(
            '/v1', headers={'OpenStack-API-Version': 'composition latest'})
        self.assertEqual('composition 1.0',
                         response.headers['OpenStack-API-Version'])

    def test_legacy_version_header_is_understood(self):
        response = self.app.get(
            '/v1', headers={'X-OpenStack-Valence-API-Version': '1.0'})
        self.assertEqual(200, response.status_int)

    def test_unsupported_version_is_406_naming_the_range(self):
        response = self.app.get(
            '/v1', headers={'OpenStack-API-Version': 'composition 1.99'},
            expect_errors=True)
        self.assertError(response, 406, '1.99', '1.0 to 1.0')

    def test_garbled_version_is_406(self):
        response = self.app.get(
            '/v1', headers={'OpenStack-API-Version': 'composition one'},
            expect_errors=True)
        self.assertError(response, 406, 'Invalid API version')

    def test_unknown_path_is_a_json_404(self):
        response = self.app.get('/v1/nowhere', expect_errors=True)
        error = self.assertError(response, 404)
        self.assertEqual('Not Found', error['title'])
        self.assertEqual('application/json', response.content_type)

    def test_healthcheck_answers_ok(self):
        response = self.app.get('/healthcheck')
        self.assertEqual(200, response.status_int)
