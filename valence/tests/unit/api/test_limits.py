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


"""Request limits: body size and JSON nesting."""

import json

import webob

from valence import conf
from valence.tests.unit.api import base

PODMS = '/v1/pod_managers'


def nested(depth):
    """A pod manager body whose description nests ``depth`` levels in all."""
    value = 'x'
    for _ in range(depth - 1):
        value = [value]
    return json.dumps({'name': 'rack-1', 'description': value})


class TestJsonDepth(base.APITestCase):

    def post(self, body):
        return self.app.post(PODMS, body, content_type='application/json',
                             expect_errors=True)

    def test_a_body_nested_too_deep_is_a_clear_400(self):
        self.config(max_json_depth=8, group='api')
        response = self.post(nested(9))
        self.assertError(response, 400, 'more than 8 levels deep')

    def test_a_body_at_the_limit_goes_on_to_validation(self):
        self.config(max_json_depth=8, group='api')
        error = self.assertError(self.post(nested(8)), 400)
        self.assertIn("field 'url'", error['message'])

    def test_a_hostile_nesting_is_refused_before_parsing(self):
        response = self.post('[' * 50000 + ']' * 50000)
        self.assertError(response, 400, 'more than 32 levels deep')

    def test_brackets_inside_strings_do_not_count(self):
        body = json.dumps({'name': '[' * 50 + '"{' * 10,
                           'url': 'http://pod', 'authentication': []})
        error = self.assertError(self.post(body), 400)
        self.assertIn("field 'authentication'", error['message'])


class TestBodySize(base.APITestCase):

    def test_the_default_limit_leaves_room_for_any_valence_body(self):
        self.assertEqual(114688,
                         conf.CONF.oslo_middleware.max_request_body_size)

    def test_a_body_over_the_limit_is_a_json_413(self):
        self.config(max_request_body_size=1024, group='oslo_middleware')
        body = json.dumps({'name': 'rack-1', 'description': 'x' * 2000})
        response = self.app.post(PODMS, body,
                                 content_type='application/json',
                                 expect_errors=True)
        self.assertError(response, 413, 'larger than 1024 bytes')
        self.assertEqual([], self.app.get(PODMS).json['pod_managers'])

    def test_a_body_without_length_is_cut_at_the_limit(self):
        self.config(max_request_body_size=1024, group='oslo_middleware')
        body = json.dumps({'name': 'rack-1', 'description': 'x' * 2000})
        request = webob.Request.blank(PODMS, method='POST',
                                      body=body.encode(),
                                      content_type='application/json')
        del request.environ['CONTENT_LENGTH']
        request.environ['wsgi.input_terminated'] = True
        response = request.get_response(self.app.app)
        self.assertEqual(413, response.status_int, response.text)
        self.assertEqual(413, response.json['error']['code'])
