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

"""The EEM REST calls: one HTTP session, retries, and error translation.

Every request of the driver goes through :class:`EEMClient`, which turns
whatever ``requests`` raises and whatever the EEM answers wrongly into
``valence.common.exception`` errors carrying the EEM's own message.
"""

import contextlib
import gc
import json
import time
import urllib.parse

from oslo_log import log
import requests
from requests import adapters
from urllib3 import exceptions as urllib3_exc

from valence import conf
from valence.common import exception
from valence.podmanagers import base

LOG = log.getLogger(__name__)

# Connections kept open to one EEM: the conductor runs compositions,
# attachments and syncs of one pod manager in parallel threads.
POOL_SIZE = 16

# A Retry-After longer than this is not waited for in full: a conductor
# thread must not sleep for as long as a pod asks.
RETRY_AFTER_CAP = 10.0


@contextlib.contextmanager
def gc_paused():
    """Keep the cyclic garbage collector from running for a while.

    A pod of 100,000 devices is a listing of some 50 MB: decoding it and
    reading it into records makes millions of objects, none of them
    garbage, which the collector would walk again and again, doubling the
    time of a sync. Only decoding and reading are done paused, never a
    wait for the pod.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def retry_wait(retry_after, interval):
    """Seconds to wait before the next attempt.

    :param retry_after: the Retry-After header of the answer, or None.
    :param interval: the configured retry interval.
    """
    if retry_after is None:
        return interval
    try:
        seconds = float(retry_after)
    except ValueError:
        # An HTTP date: not worth a clock comparison with the pod's clock.
        return interval
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _not_sent(error):
    """True when a connection error happened before the request was sent.

    Such a request cannot have taken effect, so even a non-idempotent one
    may be tried again.
    """
    if isinstance(error, requests.ConnectTimeout):
        return True
    cause = error.args[0] if error.args else None
    return isinstance(getattr(cause, 'reason', None),
                      urllib3_exc.NewConnectionError)


def _without_userinfo(url):
    """The URL as it may be shown: credentials in it are dropped."""
    parts = urllib.parse.urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc=parts.netloc.rsplit('@', 1)[1]))


class EEMClient:
    """HTTP access to one EEM; safe to use from several threads."""

    def __init__(self, connection):
        self.base_url = connection.url.rstrip('/') + '/'
        self.display_url = _without_userinfo(connection.url.rstrip('/'))
        self.session = requests.Session()
        if connection.username is not None:
            self.session.auth = (connection.username,
                                 connection.password or '')
        if connection.verify_tls:
            self.session.verify = conf.CONF.podmanager.ca_bundle or True
        else:
            self.session.verify = False
        self.session.headers['Accept'] = 'application/json'
        # Retries are ours (below), so that they follow [podmanager] and
        # never repeat a request that may have taken effect.
        adapter = adapters.HTTPAdapter(pool_connections=1,
                                       pool_maxsize=POOL_SIZE,
                                       max_retries=0)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    def close(self):
        self.session.close()

    # -- the EEM calls ------------------------------------------------------

    def get(self, path):
        """The JSON object at ``path`` (relative to the EEM URL)."""
        return self.request('GET', path)

    def device(self, device_id):
        """The detail of one device."""
        path = device_path(device_id)
        detail = self.get(path).get('device')
        if not isinstance(detail, dict) or detail.get('id') != device_id:
            raise exception.PodManagerError(
                reason='GET %s/%s answered no detail of the device'
                % (self.display_url, path))
        return detail

    def devices(self, path):
        """The list of device details (or ids) at ``path``."""
        details = self.get(path).get('devices')
        if not isinstance(details, list):
            raise exception.PodManagerError(
                reason='GET %s/%s answered no list of devices'
                % (self.display_url, path))
        return details

    def put_group(self, device_id, group_id):
        """Set a device's group; ``None`` lets the EEM pick a new one.

        :returns: the group id the EEM answered.
        """
        # Setting a given group twice is harmless; asking for a new group
        # twice would make two, so only the former is retried.
        document = self.request('PUT', device_path(device_id) + '/group_id',
                                body={'group_id': group_id},
                                idempotent=group_id is not None)
        return group_of(document, device_path(device_id) + '/group_id')

    def delete_group(self, device_id):
        """Put a device back in its default group."""
        self.request('DELETE', device_path(device_id) + '/group_id')

    # -- requests, retries and errors ---------------------------------------

    def request(self, method, path, body=None, idempotent=True):
        opts = conf.CONF.podmanager
        url = self.base_url + path
        attempts = opts.retries + 1
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                # verify is passed again because requests lets
                # REQUESTS_CA_BUNDLE in the environment override the
                # session's own setting.
                response = self.session.request(
                    method, url, json=body, verify=self.session.verify,
                    timeout=(opts.connect_timeout, opts.request_timeout))
            except requests.exceptions.SSLError as e:
                # A certificate that is not trusted stays so: no retry.
                raise exception.PodManagerError(
                    reason='TLS with %s failed: %s'
                    % (self.display_url, base.connection_failure(e)))
            except requests.ConnectionError as e:
                if last or not (idempotent or _not_sent(e)):
                    raise exception.PodManagerUnreachable(
                        url=self.display_url,
                        reason='%s %s: %s' % (method, path,
                                              base.connection_failure(e)))
                self._wait(method, path, attempt, attempts,
                           base.connection_failure(e), opts.retry_interval)
                continue
            except requests.Timeout:
                # The pod took the request and did not answer: waiting as
                # long again is unlikely to help, so no retry.
                raise exception.PodManagerUnreachable(
                    url=self.display_url,
                    reason='%s %s: no answer within %s seconds'
                    % (method, path, opts.request_timeout))
            except requests.RequestException as e:
                raise exception.PodManagerError(
                    reason='%s %s%s failed: %s'
                    % (method, self.display_url, '/' + path, e))
            if response.status_code >= 500 and idempotent and not last:
                self._wait(method, path, attempt, attempts,
                           'HTTP %d' % response.status_code,
                           retry_wait(response.headers.get('Retry-After'),
                                      opts.retry_interval))
                continue
            return self._document(method, path, response, attempt)

    def _wait(self, method, path, attempt, attempts, why, seconds):
        LOG.warning('%(method)s %(url)s/%(path)s failed (%(why)s); attempt '
                    '%(next)d of %(attempts)d in %(seconds)s seconds.',
                    {'method': method, 'url': self.display_url, 'path': path,
                     'why': why, 'next': attempt + 1, 'attempts': attempts,
                     'seconds': seconds})
        time.sleep(seconds)

    def _document(self, method, path, response, attempts):
        status = response.status_code
        if status >= 400:
            raise self._error(method, path, response, attempts)
        try:
            with gc_paused():
                document = json.loads(response.content)
        except ValueError as e:
            raise exception.PodManagerError(
                reason='%s %s/%s answered a body that is not JSON (%s)'
                % (method, self.display_url, path, e))
        if not isinstance(document, dict):
            raise exception.PodManagerError(
                reason='%s %s/%s answered JSON that is not an object'
                % (method, self.display_url, path))
        return document

    def _error(self, method, path, response, attempts):
        status = response.status_code
        message = eem_message(response)
        if status in (401, 403):
            return exception.PodManagerError(
                reason='the ExpEther manager at %s refused the credentials '
                '(HTTP %d: %s)' % (self.display_url, status, message))
        if status == 404:
            # The resource is the device, also when its group_id was asked.
            uri = path.split('?')[0].removesuffix('/group_id')
            return exception.PodResourceNotFound(
                'The pod manager has no %s: %s' % (uri, message), uri=uri)
        if status < 500:
            return exception.PodRequestRefused(reason=message)
        tried = ' after %d attempts' % attempts if attempts > 1 else ''
        return exception.PodManagerError(
            reason='%s %s/%s answered HTTP %d%s: %s'
            % (method, self.display_url, path, status, tried, message))


def eem_message(response):
    """The EEM's own words from an error answer.

    EEM errors are ``{"message": ..., "code": ...}``; anything else is
    quoted briefly so that an HTML error page does not flood the reason.
    """
    try:
        document = json.loads(response.content)
    except ValueError:
        document = None
    if isinstance(document, dict) and isinstance(document.get('message'),
                                                 str):
        code = document.get('code')
        if code is not None:
            return '%s (code %s)' % (document['message'], code)
        return document['message']
    text = response.text.strip()
    if not text:
        return 'HTTP %d with no body' % response.status_code
    return text[:200]


def device_path(device_id):
    return 'devices/' + urllib.parse.quote(device_id, safe='')


def group_of(document, where):
    """The group id of an EEM answer, as a decimal string."""
    group = document.get('group_id')
    if isinstance(group, int) and not isinstance(group, bool):
        group = str(group)
    if not isinstance(group, str) or not group.isdigit():
        raise exception.PodManagerError(
            reason='%s answered no valid group_id: %r' % (where, group))
    return group
