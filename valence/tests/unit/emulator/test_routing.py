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

from oslotest import base

from valence.emulator import routing


def handler(name):
    return lambda req, **params: (name, params)


class TestRouter(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.router = routing.Router()
        self.router.add('GET', '/redfish/v1/Nodes/{node}', handler('node'))
        self.router.add('POST', '/redfish/v1/Nodes/Actions/Allocate',
                        handler('allocate'))
        self.router.add('POST', '/redfish/v1/Nodes/{node}/Actions/Reset',
                        handler('reset'))

    def test_match_extracts_parameters(self):
        handlers, params = self.router.match('/redfish/v1/Nodes/7')
        self.assertEqual({'node': '7'}, params)
        self.assertIn('GET', handlers)

    def test_static_segment_wins_over_parameter(self):
        handlers, params = self.router.match(
            '/redfish/v1/Nodes/Actions/Allocate')
        self.assertEqual({}, params)
        self.assertIn('POST', handlers)

    def test_backtracks_from_static_to_parameter(self):
        self.router.add('GET', '/redfish/v1/Nodes/Actions', handler('x'))
        handlers, params = self.router.match(
            '/redfish/v1/Nodes/Actions/Actions/Reset')
        self.assertEqual({'node': 'Actions'}, params)

    def test_trailing_slash_is_ignored(self):
        handlers, _ = self.router.match('/redfish/v1/Nodes/7/')
        self.assertIsNotNone(handlers)

    def test_unknown_path_matches_nothing(self):
        self.assertEqual((None, None), self.router.match('/redfish/v2'))

    def test_same_route_twice_is_refused(self):
        self.assertRaises(ValueError, self.router.add, 'GET',
                          '/redfish/v1/Nodes/{node}', handler('again'))

    def test_clashing_parameter_names_are_refused(self):
        self.assertRaises(ValueError, self.router.add, 'GET',
                          '/redfish/v1/Nodes/{other}/x', handler('x'))


class TestRequest(base.BaseTestCase):

    def test_malformed_json_is_a_400(self):
        req = routing.Request('POST', '/x', body=b'{"a": ')
        error = self.assertRaises(routing.HTTPError, req.json)
        self.assertEqual((400, 'MalformedJSON'),
                         (error.status, error.message_id))

    def test_json_object_refuses_a_list(self):
        req = routing.Request('POST', '/x', body=b'[1]')
        self.assertRaises(routing.HTTPError, req.json_object)

    def test_header_names_are_case_insensitive(self):
        req = routing.Request('GET', '/x', headers={'X-Auth-Token': 't'})
        self.assertEqual('t', req.headers['x-auth-token'])
