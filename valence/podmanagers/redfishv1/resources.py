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

"""Reading and writing an RSD pod's documents as plain JSON.

RSD resources (composed nodes, their actions, fabric endpoints, storage
services) have no sushy classes, and building a sushy object per member of
a 100,000-member collection costs more than the reads themselves, so the
driver reads documents as dicts through sushy's connector (which brings
authentication, sessions, timeouts and retries of GETs) and picks what it
needs with the small helpers below.
"""

import concurrent.futures
import urllib.parse

from oslo_log import log
import requests
from sushy import exceptions as sushy_exc
from urllib3 import exceptions as urllib3_exc

from valence import conf
from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers import redfish

LOG = log.getLogger(__name__)

#: Requests in flight at once while reading many documents.
PARALLEL_READS = 8


# -- document helpers ---------------------------------------------------------

def dig(doc, *keys):
    """``doc[k1][k2]...``, or None where a level is missing or not a dict."""
    for key in keys:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def link(doc, *keys):
    """The ``@odata.id`` of the link at ``keys``, or None."""
    value = dig(doc, *keys)
    uri = value.get('@odata.id') if isinstance(value, dict) else None
    return uri if isinstance(uri, str) else None


def links(doc, *keys):
    """The ``@odata.id`` of every link in the array at ``keys``."""
    value = dig(doc, *keys)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v['@odata.id'] for v in value
            if isinstance(v, dict) and isinstance(v.get('@odata.id'), str)]


def uri_values(values):
    """URIs from allowable values: plain strings or ``{"@odata.id"}``."""
    result = []
    for value in values or ():
        if isinstance(value, dict):
            value = value.get('@odata.id')
        if isinstance(value, str):
            result.append(value)
    return result


def action(doc, name):
    """The advertised action ``#name`` of ``doc`` (a dict), or None."""
    found = dig(doc, 'Actions', '#' + name)
    if isinstance(found, dict) and isinstance(found.get('target'), str):
        return found
    return None


def number(doc, key, uri):
    """A numeric property, None when absent; garbage raises."""
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise malformed(uri, '%s is %r, not a number' % (key, value))
    return value


def text(doc, key):
    value = doc.get(key)
    return value if isinstance(value, str) else None


def state_of(doc):
    return dig(doc, 'Status', 'State')


def malformed(uri, what):
    return exception.PodManagerError(
        reason='the pod manager answered %s with an unexpected document: %s'
        % (uri, what))


def same_uri(a, b):
    """Two URIs name one resource ("/x/" is "/x", host or no host)."""
    return path_of(a) == path_of(b)


def path_of(uri):
    return urllib.parse.urlsplit(uri).path.rstrip('/')


# -- the client ---------------------------------------------------------------

class Client:
    """JSON documents of one pod, through one sushy connector.

    ``session`` is the connector's ``requests.Session``: every request of
    the driver goes through it. GETs, PATCHes and DELETEs are idempotent
    and use the connector's retries; POSTs are sent once (see ``post``).
    """

    def __init__(self, connection, root):
        self.connection = connection
        self._root = root
        self._conn = root._conn
        self.session = self._conn._session
        # sushy asks BMCs to close every connection; pod managers keep
        # them, and a sync makes thousands of requests.
        self.session.headers.pop('Connection', None)
        self.root = root.json
        self.expand = _expand_query(self.root)
        self._base = redfish.base_url(connection.url)

    def close(self):
        try:
            if self._root._auth is not None:
                self._root._auth.close()
                self._root._auth = None
        except Exception as e:  # closing must not raise
            LOG.debug('Ignoring an error while closing the session with %s: '
                      '%s', self.connection.url, e)
        self._conn.close()

    def error(self, error, uri):
        return redfish.pod_error(error, self.connection, uri)

    # -- single requests -----------------------------------------------------

    def get(self, uri):
        try:
            response = self._conn.get(uri)
        except sushy_exc.SushyError as e:
            raise self.error(e, uri) from None
        return self._json(response, uri)

    def get_or_none(self, uri):
        """The document at ``uri``, or None when the pod has no such thing."""
        try:
            return self.get(uri)
        except exception.PodResourceNotFound:
            return None

    def patch(self, uri, body):
        try:
            return self._conn.patch(uri, data=body)
        except sushy_exc.SushyError as e:
            raise self.error(e, uri) from None

    def delete(self, uri):
        try:
            return self._conn.delete(uri)
        except sushy_exc.SushyError as e:
            raise self.error(e, uri) from None

    def post(self, uri, body=None):
        """POST once; the answer's ``requests.Response``.

        sushy's connector retries a POST whose answer timed out, and an
        Allocate or Attach that took effect would then run twice. So the
        request goes through the connector's session (and so its
        credentials) but without its retries. A 401 on a Redfish session
        is safe to repeat: the pod did nothing.
        """
        url = urllib.parse.urljoin(self._base + '/', uri)
        opts = conf.CONF.podmanager
        for attempt in (1, 2):
            try:
                response = self.session.post(
                    url, json=body if body is not None else {},
                    headers={'OData-Version': '4.0',
                             'Accept-Encoding': 'identity'},
                    verify=self._conn._verify,
                    timeout=(opts.connect_timeout, opts.request_timeout))
            except requests.RequestException as e:
                error = exception.PodManagerUnreachable(
                    url=self.connection.url,
                    reason=base.connection_failure(e))
                # Whether the pod may have acted on it: only a request
                # that never reached the pod certainly did nothing.
                error.answer_lost = not _never_sent(e)
                raise error from None
            if (response.status_code == 401 and attempt == 1
                    and self._refresh_session()):
                continue
            try:
                sushy_exc.raise_for_response('POST', url, response)
            except sushy_exc.SushyError as e:
                raise self.error(e, uri) from None
            return response

    def _refresh_session(self):
        auth = self._root._auth
        if self.connection.auth_type != 'session' or auth is None:
            return False
        try:
            auth.refresh_session()
        except sushy_exc.SushyError as e:
            raise self.error(e, None) from None
        return True

    def _json(self, response, uri):
        try:
            doc = response.json()
        except ValueError as e:
            raise exception.PodManagerError(
                reason='the pod manager answered %s with malformed JSON: %s'
                % (uri, e)) from None
        if not isinstance(doc, dict):
            raise malformed(uri, 'not a JSON object')
        return doc

    # -- collections ---------------------------------------------------------

    def members(self, uri):
        """The documents of every member of the collection at ``uri``.

        Read with ``$expand`` when the service offers it, page by page
        (``Members@odata.nextLink``); members the service did not expand are
        read one by one, and one that vanished meanwhile is left out.
        """
        docs = []
        pending = []
        for member in self._pages(uri, self.expand):
            if len(member) > 1:
                docs.append(member)
            else:
                pending.append(member['@odata.id'])
        docs.extend(d for d in self.parallel(self.get_or_none, pending)
                    if d is not None)
        return docs

    def members_if_any(self, uri):
        """``members``, or [] when the collection itself has gone.

        For the collections below a resource (a system's processors), which
        vanish with it between the read of its parent and theirs.
        """
        try:
            return self.members(uri)
        except exception.PodResourceNotFound:
            return []

    def member_uris(self, uri):
        return [m['@odata.id'] for m in self._pages(uri, None)]

    def _pages(self, uri, expand):
        page = uri
        if expand:
            page += ('&' if '?' in uri else '?') + '$expand=' + expand
        seen = set()
        while page and page not in seen:
            seen.add(page)
            doc = self.get(page)
            members = doc.get('Members', [])
            if not isinstance(members, list):
                raise malformed(uri, 'Members is not a list')
            for member in members:
                if not (isinstance(member, dict) and isinstance(
                        member.get('@odata.id'), str)):
                    raise malformed(uri, 'a member without @odata.id')
                yield member
            page = doc.get('Members@odata.nextLink')
            if page is not None and not isinstance(page, str):
                raise malformed(uri, 'Members@odata.nextLink is not a URI')

    def parallel(self, function, items):
        """``[function(item)]``, several requests in flight at once."""
        items = list(items)
        if len(items) < 2:
            return [function(i) for i in items]
        workers = min(PARALLEL_READS, len(items))
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            return list(pool.map(function, items))


def _never_sent(error):
    """True when a request failed before the pod could have read it."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (urllib3_exc.NewConnectionError,
                              ConnectionRefusedError)):
            return True
        inner = getattr(error, 'reason', None)
        if inner is None and error.args and isinstance(error.args[0],
                                                       BaseException):
            inner = error.args[0]
        error = inner if isinstance(inner, BaseException) else None
    return False


def _expand_query(root):
    """The ``$expand`` value that expands a collection's members, if any."""
    expand = dig(root, 'ProtocolFeaturesSupported', 'ExpandQuery')
    if not isinstance(expand, dict):
        return None
    levels = '($levels=1)' if expand.get('Levels') else ''
    # "." expands what is not under Links: a collection's Members.
    if expand.get('NoLinks'):
        return '.' + levels
    if expand.get('ExpandAll'):
        return '*' + levels
    return None
