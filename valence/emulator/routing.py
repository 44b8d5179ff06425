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

"""Requests, responses, errors and the router every personality uses.

A handler is a plain callable ``handler(req, **params)``; ``params`` are the
``{name}`` segments of its route template. It returns a :class:`Response`, or
a ``dict`` (sent as ``200`` JSON), and raises :class:`HTTPError` to refuse.
The router walks a tree of path segments, so finding the handler costs the
depth of the path, never the number of resources a pod holds.
"""

import json
from urllib import parse


class HTTPError(Exception):
    """A refusal that the personality turns into its own error body.

    ``message_id`` names a message of the DMTF Base registry (Redfish
    personalities put it into ``@Message.ExtendedInfo``); ``args`` are the
    registry message arguments; ``related`` lists JSON pointers of the
    request properties at fault; ``extended`` replaces the generated
    ``@Message.ExtendedInfo`` entries when a personality wants several.
    """

    def __init__(self, status, message, message_id='GeneralError', args=(),
                 related=(), headers=None, extended=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.message_id = message_id
        self.args_ = tuple(str(a) for a in args)
        self.related = tuple(related)
        self.headers = dict(headers or {})
        self.extended = extended


class Response:
    """What a handler answers: a status, a body and headers.

    ``body`` is a ``dict`` or ``list`` (serialised as JSON), ``bytes`` (sent
    as they are) or ``None`` (no body).
    """

    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def created(cls, location, body=None, headers=None):
        """A ``201 Created`` pointing at the new resource."""
        headers = dict(headers or {})
        headers['Location'] = location
        return cls(201, body, headers)

    @classmethod
    def no_content(cls, headers=None):
        return cls(204, None, headers)


class Request:
    """One HTTP request, already read from the WSGI environment."""

    def __init__(self, method, path, query=None, headers=None, body=b''):
        self.method = method.upper()
        self.path = normalise(path)
        self.query = dict(query or {})
        # Header names are kept lower-case so lookups need no care.
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.body = body or b''
        self.user = None

    @classmethod
    def from_environ(cls, environ):
        headers = {}
        for key, value in environ.items():
            if key.startswith('HTTP_'):
                headers[key[5:].replace('_', '-')] = value
        if environ.get('CONTENT_TYPE'):
            headers['Content-Type'] = environ['CONTENT_TYPE']
        length = environ.get('CONTENT_LENGTH') or '0'
        try:
            length = int(length)
        except ValueError:
            length = 0
        body = environ['wsgi.input'].read(length) if length > 0 else b''
        query = dict(parse.parse_qsl(environ.get('QUERY_STRING', ''),
                                     keep_blank_values=True))
        path = environ.get('PATH_INFO', '/')
        # WSGI hands PATH_INFO over as latin-1 decoded bytes.
        path = path.encode('latin-1').decode('utf-8', 'replace')
        return cls(environ['REQUEST_METHOD'], path, query, headers, body)

    def json(self):
        """The body as JSON; a malformed body is the client's fault (400)."""
        if not self.body:
            raise HTTPError(400, 'The request body is empty.',
                            'MalformedJSON')
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise HTTPError(400, 'The request body is not valid JSON.',
                            'MalformedJSON')

    def json_object(self):
        """The body as a JSON object (a dict), or 400."""
        doc = self.json()
        if not isinstance(doc, dict):
            raise HTTPError(400, 'The request body must be a JSON object.',
                            'MalformedJSON')
        return doc


def normalise(path):
    """Drop trailing slashes so ``/redfish/v1/`` and ``/redfish/v1`` match."""
    path = '/' + path.strip('/')
    return path


class _Node:
    __slots__ = ('static', 'param', 'param_name', 'handlers')

    def __init__(self):
        self.static = {}
        self.param = None
        self.param_name = None
        self.handlers = {}


class Router:
    """Maps ``(method, path)`` to a handler through a tree of segments."""

    def __init__(self):
        self._root = _Node()

    def add(self, method, template, handler):
        """Register ``handler`` for ``method`` on ``template``.

        ``template`` is a path whose ``{name}`` segments match any one
        segment and are passed to the handler as keyword arguments.
        """
        node = self._root
        for segment in _segments(template):
            if segment.startswith('{') and segment.endswith('}'):
                name = segment[1:-1]
                if node.param is None:
                    node.param = _Node()
                    node.param_name = name
                elif node.param_name != name:
                    raise ValueError('%s: parameter {%s} clashes with {%s}'
                                     % (template, name, node.param_name))
                node = node.param
            else:
                node = node.static.setdefault(segment, _Node())
        if method in node.handlers:
            raise ValueError('%s %s is routed twice' % (method, template))
        node.handlers[method] = handler

    def match(self, path):
        """Return ``(handlers by method, params)`` or ``(None, None)``."""
        params = {}
        node = self._walk(self._root, _segments(path), 0, params)
        if node is None:
            return None, None
        return node.handlers, params

    def _walk(self, node, segments, index, params):
        if index == len(segments):
            return node if node.handlers else None
        segment = segments[index]
        child = node.static.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                return found
        if node.param is not None:
            params[node.param_name] = segment
            found = self._walk(node.param, segments, index + 1, params)
            if found is not None:
                return found
            del params[node.param_name]
        return None


def _segments(path):
    return [parse.unquote(s) for s in path.strip('/').split('/') if s]
