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

"""HTTP to one Redfish service: one session, timeouts, retries, errors.

Every request of the driver goes through ``Client.session``, a single
``requests.Session`` that keeps its connections open between requests and
carries the credentials (basic auth, or the ``X-Auth-Token`` of a Redfish
session), so that whoever holds the session can repeat a request as it
was sent.

sushy's connector is not used here: it retries a POST after a read
timeout (a Compose that may have taken effect), asks the pod to close the
connection after every request, ignores ``Retry-After`` and drops the
headers of an error answer, which the ETag retries need.

Errors leave as ``valence.common.exception`` errors. Those built from an
HTTP answer also carry, in their keyword arguments, the status
(``http_status``) and the Redfish ``MessageId``s and ``RelatedProperties``
of the pod's ``@Message.ExtendedInfo``, so that callers can tell a stale
ETag or a vanished block apart without parsing messages.
"""

import email.utils
import json
import threading
import time
from urllib import parse

from oslo_log import log
import requests
from requests import adapters
from urllib3 import exceptions as urllib3_exc

from valence import conf
from valence.common import exception
from valence.podmanagers import base

LOG = log.getLogger(__name__)

ROOT = '/redfish/v1/'
# Parallel reads of one inventory sync, and so the connections to keep.
POOL_SIZE = 16
_IDEMPOTENT = ('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')


def root_path(url):
    """The path of the service root for a pod manager URL."""
    path = parse.urlsplit(url).path.rstrip('/')
    if not path.endswith('/redfish/v1'):
        path += '/redfish/v1'
    return path + '/'


def http_status(error):
    """The HTTP status a Valence error was built from, or None."""
    return getattr(error, 'kwargs', {}).get('http_status')


def message_ids(error):
    """The Redfish MessageIds of the pod's answer behind ``error``."""
    return getattr(error, 'kwargs', {}).get('message_ids') or []


def maybe_sent(error):
    """True when a failed request may have reached the pod all the same."""
    return bool(getattr(error, 'kwargs', {}).get('maybe_sent'))


def related_properties(error):
    """The JSON pointers the pod named as the cause of ``error``."""
    return getattr(error, 'kwargs', {}).get('related') or []


def names_message(error, *names):
    """True when the pod's answer has a MessageId ending in one of names."""
    return any(str(m).rsplit('.', 1)[-1] in names
               for m in message_ids(error))


def decode(resp, what):
    """The JSON object of an answer; PodManagerError if it is not one."""
    if not resp.content:
        raise exception.PodManagerError(
            reason='%s answered with an empty body where a JSON document '
                   'was expected' % what)
    try:
        doc = json.loads(resp.content)
    except ValueError as e:
        raise exception.PodManagerError(
            reason='%s answered with a body that is not JSON (malformed or '
                   'truncated: %s)' % (what, e))
    if not isinstance(doc, dict):
        raise exception.PodManagerError(
            reason='%s answered with a JSON %s where an object was '
                   'expected' % (what, type(doc).__name__))
    return doc


def _pod_words(resp):
    """``(message, MessageIds, RelatedProperties)`` of an error answer."""
    try:
        body = json.loads(resp.content) if resp.content else None
    except ValueError:
        body = None
    error = body.get('error') if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ('HTTP %d %s' % (resp.status_code, resp.reason or ''),
                [], [])
    info = error.get('@Message.ExtendedInfo')
    info = [m for m in info if isinstance(m, dict)] \
        if isinstance(info, list) else []
    messages, ids, related = [], [], []
    for entry in info:
        text = entry.get('Message')
        if isinstance(text, str) and text not in messages:
            messages.append(text)
        if isinstance(entry.get('MessageId'), str):
            ids.append(entry['MessageId'])
        pointers = entry.get('RelatedProperties')
        if isinstance(pointers, list):
            related.extend(p for p in pointers if isinstance(p, str))
    if isinstance(error.get('code'), str):
        ids.append(error['code'])
    if not messages and isinstance(error.get('message'), str):
        messages.append(error['message'])
    message = ' '.join(messages) or 'HTTP %d' % resp.status_code
    return message, ids, related


def _never_sent(error):
    """True when a failed request cannot have reached the pod."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    cause = error.args[0] if error.args else None
    reason = getattr(cause, 'reason', None)
    return isinstance(reason, urllib3_exc.ConnectTimeoutError)


def _retry_after(resp, cap):
    """Seconds the pod asked to wait in Retry-After, at most ``cap``."""
    value = resp.headers.get('Retry-After')
    if not value:
        return None
    if value.strip().isdigit():
        seconds = float(value)
    else:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = moment.timestamp() - time.time()
    return max(0.0, min(seconds, cap))


class Client:
    """The HTTP side of a driver: safe to use from several threads."""

    def __init__(self, connection):
        self.connection = connection
        self.root = root_path(connection.url)
        split = parse.urlsplit(connection.url)
        self._origin = '%s://%s' % (split.scheme, split.netloc)
        self.session = requests.Session()
        # The environment's proxies for this pod (HTTP(S)_PROXY, NO_PROXY)
        # are read once: requests would read the whole environment again
        # for every request. Nothing else of it applies: the CA bundle is
        # the configured one, the credentials the pod manager's.
        self.session.proxies = requests.utils.get_environ_proxies(
            connection.url)
        self.session.trust_env = False
        self.session.verify = self._verify()
        self.session.headers.update({'Accept': 'application/json',
                                     'OData-Version': '4.0'})
        pool = adapters.HTTPAdapter(pool_connections=1,
                                    pool_maxsize=POOL_SIZE)
        self.session.mount('http://', pool)
        self.session.mount('https://', adapters.HTTPAdapter(
            pool_connections=1, pool_maxsize=POOL_SIZE))
        self._uses_sessions = connection.auth_type == 'session'
        if not self._uses_sessions and connection.username is not None:
            self.session.auth = (connection.username,
                                 connection.password or '')
        self._login_lock = threading.Lock()
        self._token = None
        self._session_uri = None

    def _verify(self):
        if not self.connection.verify_tls:
            return False
        return conf.CONF.podmanager.ca_bundle or True

    def url(self, path):
        """The absolute URL of a pod URI (an @odata.id or a link)."""
        if parse.urlsplit(path).scheme:
            return path
        return parse.urljoin(self._origin, path)

    # -- requests -------------------------------------------------------------

    def get(self, path):
        """``(document, ETag)`` of a GET; the ETag may be None."""
        resp = self.request('GET', path)
        return decode(resp, 'GET %s' % path), resp.headers.get('ETag')

    def request(self, method, path, body=None, headers=None, safe=None):
        """Send a request and return its answer if it succeeded (< 400).

        Failed attempts are repeated, up to ``[podmanager] retries`` times,
        when they cannot have changed anything or repeating is harmless:
        ``safe`` (by default true for idempotent methods) says whether the
        request may be repeated after the pod may have acted on it; a POST
        is otherwise repeated only when it never reached the pod or the
        pod answered 503.
        """
        if safe is None:
            safe = method in _IDEMPOTENT
        opts = conf.CONF.podmanager
        attempts = opts.retries + 1
        relogged = False
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= attempts
            token = self._login_if_needed()
            try:
                resp = self._send(method, path, json=body, headers=headers)
            except requests.exceptions.SSLError as e:
                raise self._unreachable(e, sent=False)
            except requests.exceptions.RequestException as e:
                if last or not (safe or _never_sent(e)):
                    raise self._unreachable(e, sent=not _never_sent(e))
                self._pause(method, path, base.connection_failure(e),
                            opts.retry_interval, attempt, attempts)
                continue
            status = resp.status_code
            if status == 401 and self._uses_sessions and not relogged:
                # The pod dropped our Redfish session: log in once more.
                relogged = True
                attempt -= 1
                self._login(stale=token)
                continue
            if status >= 500 and not last and (safe or status == 503):
                wait = _retry_after(resp, opts.request_timeout)
                self._pause(method, path, 'HTTP %d' % status,
                            opts.retry_interval if wait is None else wait,
                            attempt, attempts)
                continue
            if status >= 400:
                raise self._refusal(method, path, resp)
            return resp

    def _send(self, method, path, **kwargs):
        opts = conf.CONF.podmanager
        return self.session.request(
            method, self.url(path),
            timeout=(opts.connect_timeout, opts.request_timeout), **kwargs)

    def _pause(self, method, path, why, seconds, attempt, attempts):
        LOG.warning('%(method)s %(path)s on the pod manager at %(url)s '
                    'failed (%(why)s); trying again in %(s).1f s (attempt '
                    '%(n)d of %(of)d)',
                    {'method': method, 'path': path, 'why': why,
                     'url': self.connection.url, 's': seconds,
                     'n': attempt + 1, 'of': attempts})
        time.sleep(seconds)

    def _unreachable(self, error, sent):
        # ``maybe_sent``: the pod may have received (and acted on) it.
        return exception.PodManagerUnreachable(
            url=self.connection.url, reason=base.connection_failure(error),
            maybe_sent=sent)

    def _refusal(self, method, path, resp):
        message, ids, related = _pod_words(resp)
        status = resp.status_code
        details = {'http_status': status, 'message_ids': ids,
                   'related': related}
        if status == 404:
            return exception.PodResourceNotFound(uri=path, **details)
        if status in (401, 403):
            return exception.PodManagerError(
                reason='the pod manager at %s refused the credentials '
                       '(HTTP %d on %s %s): %s' % (
                           self.connection.url, status, method, path,
                           message), **details)
        if status == 503:
            return exception.PodManagerUnreachable(
                url=self.connection.url,
                reason='it answered 503 Service Unavailable to %s %s: %s'
                       % (method, path, message), **details)
        if status < 500:
            return exception.PodRequestRefused(reason=message, **details)
        return exception.PodManagerError(
            reason='%s %s answered HTTP %d: %s' % (method, path, status,
                                                   message), **details)

    # -- Redfish sessions -------------------------------------------------

    def _login_if_needed(self):
        """The session token in use (logging in first if there is none)."""
        if not self._uses_sessions:
            return None
        token = self._token
        if token is None:
            token = self._login(stale=None)
        return token

    def _login(self, stale):
        """Open a Redfish session unless another thread just did."""
        with self._login_lock:
            if self._token is not None and self._token != stale:
                return self._token
            try:
                resp = self._send('GET', self.root)
                if resp.status_code >= 400:
                    raise self._refusal('GET', self.root, resp)
                root = decode(resp, 'GET %s' % self.root)
                sessions = (root.get('Links') or {}).get('Sessions') or {}
                sessions = sessions.get('@odata.id') if isinstance(
                    sessions, dict) else None
                if not isinstance(sessions, str):
                    raise exception.PodManagerError(
                        reason='the service root of %s links no Sessions '
                               'to log in to' % self.connection.url)
                # Not with the old token: a None header is left out. The
                # session's headers are not changed in place while other
                # threads may be sending with them.
                resp = self._send('POST', sessions, json={
                    'UserName': self.connection.username,
                    'Password': self.connection.password},
                    headers={'X-Auth-Token': None})
            except requests.exceptions.RequestException as e:
                raise self._unreachable(e, sent=False)
            if resp.status_code >= 400:
                raise self._refusal('POST', sessions, resp)
            token = resp.headers.get('X-Auth-Token')
            if not token:
                raise exception.PodManagerError(
                    reason='the pod manager at %s opened a session without '
                           'an X-Auth-Token' % self.connection.url)
            self.session.headers['X-Auth-Token'] = token
            self._token = token
            self._session_uri = resp.headers.get('Location')
            return token

    def close(self):
        """Log out of the Redfish session, if any, and close connections."""
        with self._login_lock:
            uri, self._session_uri, self._token = (self._session_uri, None,
                                                   None)
        if uri:
            try:
                self._send('DELETE', uri)
            except requests.exceptions.RequestException as e:
                LOG.info('Could not log out of the pod manager at %(url)s: '
                         '%(error)s', {'url': self.connection.url,
                                       'error': base.connection_failure(e)})
        self.session.close()
