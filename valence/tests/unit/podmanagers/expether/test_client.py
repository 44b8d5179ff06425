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

"""The pure parts of the EEM client: waits, URLs, messages."""

import requests
import testtools

from valence.podmanagers.expether import client


def response(status, body):
    resp = requests.Response()
    resp.status_code = status
    resp._content = body
    return resp


class TestRetryWait(testtools.TestCase):

    def test_without_retry_after_the_interval_is_used(self):
        self.assertEqual(1.5, client.retry_wait(None, 1.5))

    def test_retry_after_in_seconds_is_used(self):
        self.assertEqual(3.0, client.retry_wait('3', 1.0))

    def test_long_retry_after_is_capped(self):
        self.assertEqual(client.RETRY_AFTER_CAP,
                         client.retry_wait('3600', 1.0))

    def test_retry_after_as_a_date_uses_the_interval(self):
        self.assertEqual(1.0, client.retry_wait(
            'Wed, 21 Oct 2015 07:28:00 GMT', 1.0))

    def test_negative_retry_after_is_no_wait(self):
        self.assertEqual(0.0, client.retry_wait('-5', 1.0))


class TestMessages(testtools.TestCase):

    def test_eem_error_body_gives_message_and_code(self):
        resp = response(409, b'{"message": "group is full", '
                             b'"code": "40900"}')
        self.assertEqual('group is full (code 40900)',
                         client.eem_message(resp))

    def test_other_body_is_quoted_briefly(self):
        resp = response(502, b'<html>' + b'x' * 500)
        self.assertEqual(200, len(client.eem_message(resp)))

    def test_empty_body_says_so(self):
        self.assertEqual('HTTP 500 with no body',
                         client.eem_message(response(500, b'')))

    def test_credentials_in_a_url_are_not_shown(self):
        self.assertEqual('http://eem.example:8000/eem',
                         client._without_userinfo(
                             'http://admin:s3cret@eem.example:8000/eem'))

    def test_device_ids_are_quoted_into_paths(self):
        self.assertEqual('devices/a%2Fb', client.device_path('a/b'))
