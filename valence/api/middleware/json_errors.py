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

"""Every error answer as one JSON document.

Errors come from WSME (``faultstring``), from Pecan and WebOb (text or
HTML) and from middleware. This turns all of them into::

    {"error": {"code": 409, "title": "Conflict", "message": "...",
               "request_id": "req-..."}}

A 500 never shows what failed inside: its message is generic, and the
details are in the service log under the same request id.
"""

import html
import http
import json
import re

from oslo_log import log

LOG = log.getLogger(__name__)

INTERNAL_ERROR = ('The server could not complete the request because of '
                  'an internal error.')
_TAGS = re.compile(r'<[^>]+>')


def _message_from(body, status):
    text = body.decode('utf-8', 'replace').strip()
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if isinstance(document, dict):
        if isinstance(document.get('faultstring'), str):
            return document['faultstring']
        if isinstance(document.get('error'), dict):
            return document['error'].get('message')
        if isinstance(document.get('message'), str):
            return document['message']
    # WebOb and Pecan answer "<status line>\n\n<explanation>\n\n<detail>"
    # as text or as a small HTML page. The detail, when there is one, is
    # what Valence said; the explanation is WebOb's generic sentence.
    phrase = status.split(' ', 1)[-1]
    lines = [html.unescape(line).strip()
             for line in _TAGS.sub('\n', text).splitlines()]
    lines = [line for line in lines if line and line not in (status, phrase)]
    return lines[-1] if lines else phrase


class JsonErrorMiddleware:

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured['status'] = status
            captured['headers'] = headers
            captured['exc_info'] = exc_info
            code = int(status.split(' ', 1)[0])
            if code < 400:
                return start_response(status, headers, exc_info)
            # The body is rewritten below; hold the answer back until then.
            return lambda data: None

        body_iter = self.app(environ, capture)
        code = int(captured['status'].split(' ', 1)[0])
        if code < 400:
            return body_iter
        try:
            body = b''.join(body_iter)
        finally:
            if hasattr(body_iter, 'close'):
                body_iter.close()
        status = captured['status']
        if code >= 500 and code not in (502, 503, 504):
            message = INTERNAL_ERROR
            LOG.error('Request %(method)s %(path)s failed with %(status)s',
                      {'method': environ.get('REQUEST_METHOD'),
                       'path': environ.get('PATH_INFO'), 'status': status})
        else:
            message = _message_from(body, status)
        try:
            title = http.HTTPStatus(code).phrase
        except ValueError:
            title = status.split(' ', 1)[-1]
        document = {'error': {
            'code': code,
            'title': title,
            'message': message,
            'request_id': environ.get('openstack.request_id'),
        }}
        payload = json.dumps(document).encode('utf-8')
        headers = [(k, v) for k, v in captured['headers']
                   if k.lower() not in ('content-type', 'content-length')]
        headers += [('Content-Type', 'application/json'),
                    ('Content-Length', str(len(payload)))]
        start_response(status, headers, captured['exc_info'])
        return [payload]
