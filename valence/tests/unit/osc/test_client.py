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

"""The client's error reading and list paging (its HTTP is tested
against the real service in the functional tests)."""

import json

import requests
import testtools

from valence.osc import client

NODES = 'http://valence:8181/v1/nodes'


def response(status, body, headers=None):
    answer = requests.Response()
    answer.status_code = status
    answer.reason = requests.status_codes._codes[status][0].upper()
    answer._content = (body if isinstance(body, bytes)
                       else json.dumps(body).encode())
    answer.headers.update(headers or {})
    return answer


class TestErrors(testtools.TestCase):

    def test_valence_error_carries_status_message_and_request(self):
        error = client.error_from_response(response(400, {'error': {
            'code': 400, 'title': 'Bad Request',
            'message': "Invalid input for field 'name': must not be empty.",
            'request_id': 'req-1'}}))
        self.assertEqual(400, error.status)
        self.assertEqual('req-1', error.request_id)
        self.assertEqual("Invalid input for field 'name': must not be "
                         "empty. (HTTP 400, request req-1)", str(error))

    def test_original_valence_error_body(self):
        error = client.error_from_response(response(
            404, {'code': 'NotFound', 'title': 'Not Found',
                  'detail': 'Node x not found', 'request_id': 'req-2'},
            {'X-OpenStack-Request-Id': 'req-2'}))
        self.assertEqual('Node x not found (HTTP 404, request req-2)',
                         str(error))

    def test_a_body_that_is_not_json_is_shown_cut_short(self):
        error = client.error_from_response(response(
            502, b'<html>' + b'x' * 2000 + b'</html>'))
        self.assertEqual(502, error.status)
        self.assertEqual(client.MAX_TEXT_ERROR, len(error.message))

    def test_an_empty_body_gives_the_reason(self):
        error = client.error_from_response(response(503, b''))
        self.assertEqual('SERVICE_UNAVAILABLE (HTTP 503)', str(error))

    def test_an_error_without_an_answer_is_its_message(self):
        self.assertEqual('Unable to connect',
                         str(client.ValenceClientError('Unable to connect')))


class TestPaging(testtools.TestCase):
    """_list against pages served by a fake _request."""

    def client(self, total, page_size):
        valence = client.Client(endpoint='http://valence:8181')
        items = [{'uuid': 'u%03d' % i} for i in range(total)]
        valence.requests = []

        def fake_request(method, path, body=None, params=None,
                         secret=False):
            valence.requests.append(dict(params))
            start = 0
            if params.get('marker'):
                start = [i['uuid'] for i in items].index(
                    params['marker']) + 1
            size = min(params.get('limit', page_size), page_size)
            page = items[start:start + size]
            answer = {'nodes': page}
            if len(page) == size:
                answer['next'] = '%s?limit=%d&marker=%s' % (
                    NODES, size, page[-1]['uuid'])
            return answer

        valence._request = fake_request
        return valence

    def test_without_a_limit_every_page_is_read(self):
        valence = self.client(total=25, page_size=10)
        nodes = valence.list_nodes()
        self.assertEqual(25, len(nodes))
        self.assertEqual([None, 'u009', 'u019'],
                         [r.get('marker') for r in valence.requests])

    def test_a_limit_larger_than_a_page_reads_pages_up_to_it(self):
        valence = self.client(total=25, page_size=10)
        nodes = valence.list_nodes(limit=15)
        self.assertEqual(['u%03d' % i for i in range(15)],
                         [n['uuid'] for n in nodes])
        self.assertEqual([15, 5], [r['limit'] for r in valence.requests])

    def test_marker_and_filters_go_with_every_page(self):
        valence = self.client(total=25, page_size=10)
        nodes = valence.list_nodes(marker='u004', state='available',
                                   managed=False, detail=True,
                                   sort_key='name', podm_id=None)
        self.assertEqual(20, len(nodes))
        for query in valence.requests:
            self.assertEqual('available', query['state'])
            self.assertEqual('false', query['managed'])
            self.assertEqual('true', query['detail'])
            self.assertEqual('name', query['sort_key'])
            self.assertNotIn('podm_id', query)

    def test_a_next_link_is_followed_by_its_marker_only(self):
        self.assertEqual('u009', client.marker_of(
            'http://elsewhere/v1/nodes?limit=10&marker=u009&sort_key=x'))
        self.assertIsNone(client.marker_of(None))
        self.assertIsNone(client.marker_of('http://valence/v1/nodes'))


class TestClient(testtools.TestCase):

    def test_a_client_needs_a_session_or_an_endpoint(self):
        self.assertRaises(ValueError, client.Client)

    def test_the_version_path_of_an_endpoint_is_dropped(self):
        for url in ('http://valence:8181', 'http://valence:8181/',
                    'http://valence:8181/v1', 'http://valence:8181/v1/'):
            self.assertEqual('http://valence:8181',
                             client.Client(endpoint=url).endpoint)

    def test_pod_manager_credentials_are_sent_as_the_api_takes_them(self):
        self.assertEqual(
            [{'type': 'basic', 'auth_items': {'username': 'admin',
                                              'password': 'pw'}}],
            client.basic_auth('admin', 'pw'))
