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

"""The HTTP helpers of the redfishv2 driver, without a pod."""

import json
import time

from oslotest import base as test_base
import requests

from valence.common import exception
from valence.podmanagers.redfishv2 import client


def answer(status=200, body=None, headers=None, raw=None):
    resp = requests.Response()
    resp.status_code = status
    resp._content = raw if raw is not None else (
        json.dumps(body).encode() if body is not None else b'')
    resp.headers.update(headers or {})
    return resp


class TestRootPath(test_base.BaseTestCase):

    def test_root_is_added_to_a_bare_url(self):
        self.assertEqual('/redfish/v1/',
                         client.root_path('https://pod.example:8443'))

    def test_root_in_the_url_is_kept_once(self):
        self.assertEqual('/redfish/v1/',
                         client.root_path('http://pod/redfish/v1/'))


class TestRetryAfter(test_base.BaseTestCase):

    def test_seconds_are_taken(self):
        self.assertEqual(2.0, client._retry_after(
            answer(503, headers={'Retry-After': '2'}), cap=30))

    def test_long_waits_are_capped(self):
        self.assertEqual(30, client._retry_after(
            answer(503, headers={'Retry-After': '3600'}), cap=30))

    def test_http_date_is_understood(self):
        when = time.strftime('%a, %d %b %Y %H:%M:%S GMT',
                             time.gmtime(time.time() + 120))
        wait = client._retry_after(answer(503, headers={'Retry-After': when}),
                                   cap=1000)
        self.assertTrue(60 < wait <= 120, wait)

    def test_garbage_means_no_advice(self):
        self.assertIsNone(client._retry_after(
            answer(503, headers={'Retry-After': 'soon'}), cap=30))


class TestDecode(test_base.BaseTestCase):

    def test_truncated_json_is_a_pod_manager_error_naming_the_request(self):
        error = self.assertRaises(exception.PodManagerError, client.decode,
                                  answer(raw=b'{"Members": [{"@odata'),
                                  'GET /redfish/v1/Systems')
        self.assertIn('GET /redfish/v1/Systems answered with a body that is '
                      'not JSON', str(error))

    def test_array_is_not_a_document(self):
        self.assertRaises(exception.PodManagerError, client.decode,
                          answer(body=[1, 2]), 'GET /x')


class TestPodWords(test_base.BaseTestCase):

    def test_extended_info_gives_messages_ids_and_pointers(self):
        body = {'error': {
            'code': 'Base.1.22.ResourceExhaustion',
            'message': 'summary',
            '@Message.ExtendedInfo': [
                {'MessageId': 'Base.1.22.ResourceExhaustion',
                 'Message': 'No free block.',
                 'RelatedProperties': ['#/Processors/Members/0']},
                {'MessageId': 'Composition.1.1.NoResourceMatch',
                 'Message': 'No match.'}]}}
        self.assertEqual(
            ('No free block. No match.',
             ['Base.1.22.ResourceExhaustion',
              'Composition.1.1.NoResourceMatch',
              'Base.1.22.ResourceExhaustion'],
             ['#/Processors/Members/0']),
            client._pod_words(answer(409, body)))

    def test_error_without_a_redfish_body_gives_the_status(self):
        message, ids, related = client._pod_words(answer(502, raw=b'<html>'))
        self.assertEqual(('HTTP 502', [], []),
                         (message.strip(), ids, related))
