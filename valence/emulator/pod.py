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

"""One emulated pod: a WSGI application around a personality.

The pod does what all personalities share (see ``personality.py``):
credentials, routing, the pod lock, ETags, faults, the state file and the
control endpoint. :meth:`Pod.respond` serves a request without faults and
is what unit tests call; the WSGI entry point adds the faults.
"""

import dataclasses
import hashlib
import importlib
import json
import random
import threading

from valence.emulator import auth
from valence.emulator import control
from valence.emulator import faults
from valence.emulator import routing

#: Personality name -> "module:class", imported when first used.
PERSONALITIES = {
    'rsd': 'valence.emulator.rsd:RSDPersonality',
    'dmtf': 'valence.emulator.dmtf:DMTFPersonality',
    'expether': 'valence.emulator.expether:ExpEtherPersonality',
}


def personality_class(name):
    try:
        module_name, _, class_name = PERSONALITIES[name].partition(':')
    except KeyError:
        raise ValueError('unknown personality %r (known: %s)'
                         % (name, ', '.join(sorted(PERSONALITIES))))
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ValueError('personality %r is not available: %s' % (name, e))
    return getattr(module, class_name)


@dataclasses.dataclass
class PodOptions:
    """How to build one pod; None sizes mean the personality's defaults."""

    personality: str
    port: int = 0
    seed: int = 0
    systems: int = None
    devices: int = None
    username: str = 'admin'
    password: str = 'password'
    faults: dict = dataclasses.field(default_factory=dict)


class DropConnection(Exception):
    """Raised by the application: the server closes without answering."""


class Answer:
    """A response ready for the wire: status, headers and body bytes."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body) if self.body else None


def encode(body):
    return json.dumps(body, separators=(',', ':')).encode('utf-8')


def etag_of(body_bytes):
    return '"%s"' % hashlib.blake2b(body_bytes, digest_size=10).hexdigest()


_REASONS = {
    200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
    304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized',
    403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    409: 'Conflict', 412: 'Precondition Failed', 428: 'Precondition Required',
    500: 'Internal Server Error', 501: 'Not Implemented',
    503: 'Service Unavailable',
}


class Pod:
    """A pod of one personality, served as a WSGI application."""

    def __init__(self, options, state_file=None, key=None):
        self.options = options
        self.key = key or options.personality
        self.state_file = state_file
        self.lock = threading.RLock()
        self.faults = faults.Faults(options.seed, options.faults)
        self.sessions = auth.Sessions()
        # Set by the server so that a hung request ends when it stops.
        self.stopping = threading.Event()
        self.personality = personality_class(options.personality)(self)
        self.router = routing.Router()
        self.personality.add_routes(self.router)
        self.control = control.Control(self)

        saved = state_file.pod(self.key) if state_file else None
        source = saved or {}
        p = self.personality
        self.seed = source.get('seed', options.seed)
        self.systems = source.get('systems', _default(options.systems,
                                                      p.default_systems))
        self.devices = source.get('devices', _default(options.devices,
                                                      p.default_devices))
        self.build()
        if saved:
            p.load_state(saved.get('state') or {})

    # -- inventory and state ------------------------------------------------

    def build(self):
        with self.lock:
            self.personality.build(random.Random(self.seed), self.systems,
                                   self.devices)

    def reset(self):
        """Back to the generated inventory, as the control endpoint asks."""
        with self.lock:
            self.build()
            self.sessions.clear()
            self.faults.clear()
            self._save()

    def record(self):
        """What the state file holds for this pod."""
        with self.lock:
            return {'personality': self.personality.name, 'seed': self.seed,
                    'systems': self.systems, 'devices': self.devices,
                    'state': self.personality.dump_state()}

    def _save(self):
        if self.state_file is not None:
            self.state_file.save(self.key, self.record())

    # -- credentials --------------------------------------------------------

    def check_password(self, user, password):
        return (auth.same(user, self.options.username)
                and auth.same(password, self.options.password))

    def _authenticate(self, req):
        creds = auth.basic_credentials(req.headers.get('authorization'))
        if creds and self.check_password(*creds):
            req.user = creds[0]
            return
        token = req.headers.get('x-auth-token')
        if token and self.personality.uses_sessions:
            req.user = self.sessions.user_for_token(token)
            if req.user is not None:
                return
        raise routing.HTTPError(
            401, 'The credentials are missing or wrong: send basic auth or '
            'a session token.', 'NoValidSession',
            headers={'WWW-Authenticate': 'Basic realm="valence-emulator"'})

    # -- serving ------------------------------------------------------------

    def render(self, path):
        """The document a GET of ``path`` returns, or None (no auth)."""
        path = routing.normalise(path)
        handlers, params = self.router.match(path)
        handler = handlers and handlers.get('GET')
        if handler is None:
            return None
        with self.lock:
            try:
                result = handler(routing.Request('GET', path), **params)
            except routing.HTTPError:
                return None
        if isinstance(result, routing.Response):
            return result.body if result.status == 200 else None
        return result

    def respond(self, req):
        """Serve ``req`` (no faults, no latency): return an Answer."""
        if req.path == control.PREFIX or req.path.startswith(
                control.PREFIX + '/'):
            return self._respond_control(req)
        try:
            resp = self._dispatch(req)
        except routing.HTTPError as e:
            resp = self.error_response(e)
        return self._answer(req, resp)

    def _answer(self, req, resp):
        headers = dict(self.personality.extra_headers)
        headers.update(resp.headers)
        return self._finish(req, resp, headers)

    def _dispatch(self, req):
        if not self.personality.is_public(req):
            self._authenticate(req)
        handlers, params = self.router.match(req.path)
        if handlers is None:
            raise routing.HTTPError(
                404, "The resource at the URI '%s' was not found."
                % req.path, 'ResourceMissingAtURI', [req.path])
        handler = handlers.get(req.method)
        if handler is None:
            raise routing.HTTPError(
                405, 'The HTTP method is not allowed on this resource.',
                'OperationNotAllowed',
                headers={'Allow': ', '.join(sorted(handlers))})
        with self.lock:
            if req.method != 'GET':
                self._check_if_match(req)
            result = handler(req, **params)
            if not isinstance(result, routing.Response):
                result = routing.Response(200, result)
            if req.method != 'GET' and result.status < 400:
                self._save()
        return result

    def _check_if_match(self, req):
        wanted = req.headers.get('if-match')
        if not wanted or wanted.strip() == '*':
            return
        current = self.render(req.path.split('/Actions/')[0])
        if current is None:
            return
        tags = [t.strip().removeprefix('W/') for t in wanted.split(',')]
        if etag_of(encode(current)) not in tags:
            raise routing.HTTPError(
                self.personality.stale_etag_status,
                'The ETag supplied did not match the ETag required to '
                'change this resource.', 'PreconditionFailed')

    def error_response(self, error):
        return routing.Response(error.status,
                                self.personality.error_body(error),
                                error.headers)

    def _respond_control(self, req):
        handlers, params = self.control.router.match(req.path)
        try:
            if handlers is None:
                raise control.ControlError(404, 'no such control path')
            handler = handlers.get(req.method)
            if handler is None:
                raise control.ControlError(405, 'method not allowed')
            result = handler(req, **params)
            if not isinstance(result, routing.Response):
                result = routing.Response(200, result)
        except routing.HTTPError as e:
            result = routing.Response(e.status, control.error_body(e))
        return self._finish(req, result, dict(result.headers))

    def _finish(self, req, resp, headers):
        body = resp.body
        if isinstance(body, (dict, list)):
            body = encode(body)
            headers.setdefault('Content-Type',
                               'application/json; charset=utf-8')
            if req.method == 'GET' and resp.status == 200:
                tag = etag_of(body)
                headers['ETag'] = tag
                if req.headers.get('if-none-match') == tag:
                    return Answer(304, headers, b'')
        return Answer(resp.status, headers, body or b'')

    # -- WSGI ---------------------------------------------------------------

    def __call__(self, environ, start_response):
        req = routing.Request.from_environ(environ)
        faulty = (not req.path.startswith(control.PREFIX)
                  and self.faults.applies(req.method, req.path))
        answer = self._injected_error(req) if faulty else None
        if answer is None:
            answer = self.respond(req)
        body = answer.body
        if faulty and body:
            body = self._spoil(body)
        headers = [(k, str(v)) for k, v in answer.headers.items()
                   if k.lower() != 'content-length']
        headers.append(('Content-Length', str(len(body))))
        start_response('%d %s' % (answer.status,
                                  _REASONS.get(answer.status, 'Unknown')),
                       headers)
        return [body]

    def _injected_error(self, req):
        delay = self.faults.delay()
        if delay:
            self.stopping.wait(delay)
        kind = self.faults.request_fault()
        if kind == 'drop':
            raise DropConnection()
        if kind == 'hang':
            self.stopping.wait(self.faults.hang_seconds())
            raise DropConnection()
        if kind != 'error':
            return None
        status, retry_after = self.faults.error()
        if status == 503:
            error = routing.HTTPError(
                503, 'The service is temporarily unavailable.  Retry in %d '
                'seconds.' % retry_after, 'ServiceTemporarilyUnavailable',
                [retry_after], headers={'Retry-After': str(retry_after)})
        else:
            error = routing.HTTPError(
                status, 'The request failed due to an internal service '
                'error.  The service is still operational.', 'InternalError')
        return self._answer(req, self.error_response(error))

    def _spoil(self, body):
        kind = self.faults.body_fault()
        if kind == 'malformed':
            return b'<html><body>502 Bad Gateway</body></html>'
        if kind == 'truncated':
            return body[:len(body) // 2]
        return body


def _default(value, fallback):
    return fallback if value is None else value
