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

"""Helpers to drive a pod in process, without a network."""

import base64
import io
import json
from wsgiref import util

from oslotest import base

from valence.emulator import pod as pod_module
from valence.emulator import routing

BASIC = 'Basic ' + base64.b64encode(b'admin:password').decode()


class PodTestCase(base.BaseTestCase):
    """A test case with a pod of ``personality`` in ``self.pod``."""

    personality = 'expether'
    systems = None
    devices = None

    def setUp(self):
        super().setUp()
        self.pod = self.make_pod()

    def make_pod(self, state_file=None, **kwargs):
        options = dict(personality=self.personality, seed=1,
                       systems=self.systems, devices=self.devices)
        options.update(kwargs)
        return pod_module.Pod(pod_module.PodOptions(**options), state_file)

    def call(self, method, path, body=None, headers=None, auth=True,
             pod=None, query=None):
        """Serve one request through Pod.respond; return the Answer."""
        headers = dict(headers or {})
        if auth:
            headers.setdefault('Authorization', BASIC)
        raw = json.dumps(body).encode() if body is not None else b''
        req = routing.Request(method, path, query, headers, raw)
        return (pod or self.pod).respond(req)

    def ok(self, method, path, body=None, status=200, **kwargs):
        """Call and check the status; return the decoded body."""
        answer = self.call(method, path, body, **kwargs)
        self.assertEqual(status, answer.status, answer.body)
        return answer.json()


def wsgi_call(app, method, path, body=b'', headers=None):
    """Call a WSGI app; return (status line, headers dict, body bytes)."""
    environ = {'REQUEST_METHOD': method, 'PATH_INFO': path,
               'QUERY_STRING': '', 'wsgi.input': io.BytesIO(body),
               'CONTENT_LENGTH': str(len(body))}
    util.setup_testing_defaults(environ)
    for name, value in (headers or {}).items():
        environ['HTTP_' + name.upper().replace('-', '_')] = value
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured['status'] = status
        captured['headers'] = dict(response_headers)

    chunks = app(environ, start_response)
    return captured['status'], captured['headers'], b''.join(chunks)
