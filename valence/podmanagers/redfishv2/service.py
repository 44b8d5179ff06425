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

"""What a Redfish composition service offers, and reading collections.

The service root, the CompositionService and the composition capabilities
of ``Systems`` describe the service, not its changing state, so they are
read once per driver instance (the conductor makes a new instance when a
pod manager's URL or credentials change).
"""

from concurrent import futures
import threading

from valence.common import exception
from valence.podmanagers.redfishv2 import documents

# Parallel GETs when many resources must be read one by one: pods answer
# a few requests at once much faster than one after the other.
READ_WORKERS = 8
# Resources handed to the workers at a time, which bounds the requests
# still queued when one of them fails.
_CHUNK = 512
COMPOSE_ACTION = '#CompositionService.Compose'


class Service:
    """One pod's Redfish service, read lazily and kept."""

    def __init__(self, client):
        self.client = client
        self._lock = threading.Lock()
        self._cache = {}

    def _cached(self, name, load):
        with self._lock:
            if name in self._cache:
                return self._cache[name]
        value = load()
        with self._lock:
            return self._cache.setdefault(name, value)

    # -- what the service advertises ----------------------------------------

    @property
    def root(self):
        return self._cached('root', lambda: self.client.get(
            self.client.root)[0])

    def root_link(self, name, required=False):
        """The URI the service root links as ``name``, or None."""
        uri = documents.link(self.root, name, 'the service root')
        if uri is None and required:
            raise exception.PodManagerError(
                reason='the service root of %s links no %s'
                       % (self.client.connection.url, name))
        return uri

    @property
    def composition(self):
        return self._cached('composition', lambda: self.client.get(
            self.root_link('CompositionService', required=True))[0])

    def composition_link(self, name):
        uri = documents.link(self.composition, name, 'CompositionService')
        if uri is None:
            raise exception.PodManagerError(
                reason='the CompositionService of %s links no %s'
                       % (self.client.connection.url, name))
        return uri

    def expand_query(self, levels=1):
        """The ``$expand`` query for subordinate resources, or None.

        ``.`` expands what a resource holds but not its Links, which is
        what reading collections needs; ``*`` expands everything, a larger
        answer, when ``.`` is not offered.
        """
        features = documents.obj(self.root, 'ProtocolFeaturesSupported',
                                 'the service root')
        expand = documents.obj(features, 'ExpandQuery',
                               'ProtocolFeaturesSupported')
        if expand.get('NoLinks') is True:
            mark = '.'
        elif expand.get('ExpandAll') is True:
            mark = '*'
        else:
            return None
        max_levels = documents.number(expand, 'MaxLevels', 'ExpandQuery')
        if levels > 1 and expand.get('Levels') is True and max_levels:
            levels = min(levels, int(max_levels))
            if levels > 1:
                return '$expand=%s($levels=%d)' % (mark, levels)
        return '$expand=' + mark

    def systems_use_cases(self):
        """The composition use cases ``Systems`` offers, None if unsaid."""
        def load():
            uri = self.root_link('Systems', required=True)
            doc = self.client.get(uri)[0]
            caps = documents.obj(doc, '@Redfish.CollectionCapabilities',
                                 uri)
            if not caps:
                return None
            found = set()
            for cap in documents.array(caps, 'Capabilities', uri, dict):
                use_case = documents.text(cap, 'UseCase', uri)
                if use_case:
                    found.add(use_case)
            return found
        return self._cached('systems_use_cases', load)

    def compose_target(self):
        """The target of the Compose action for Apply, or None."""
        def load():
            actions = documents.obj(self.composition, 'Actions',
                                    'CompositionService')
            action = documents.obj(actions, COMPOSE_ACTION,
                                   'CompositionService Actions')
            target = documents.text(action, 'target', COMPOSE_ACTION)
            info = documents.text(action, '@Redfish.ActionInfo',
                                  COMPOSE_ACTION)
            if target and info:
                allowed = action_allowable(self.client.get(info)[0],
                                           'RequestType', info)
                if allowed is not None and 'Apply' not in allowed:
                    return None
            return target
        return self._cached('compose_target', load)

    # -- reading ------------------------------------------------------------

    def members(self, uri, levels=1):
        """The member documents of a collection, every page of it.

        Members come expanded where the service offers ``$expand``; those
        it did not expand are read one by one, and a member gone by then
        is left out.
        """
        query = self.expand_query(levels)
        page = uri + ('?' + query if query else '')
        seen = set()
        pending = []
        while page:
            doc = self.client.get(page)[0]
            if not isinstance(doc.get('Members'), list):
                raise documents.bad(page, 'Members', doc.get('Members'),
                                    'an array of members')
            for entry in documents.entries(doc, 'Members', page):
                member = entry['@odata.id']
                if member in seen:
                    continue
                seen.add(member)
                if documents.expanded(entry):
                    yield entry
                else:
                    pending.append(member)
            page = documents.text(doc, 'Members@odata.nextLink', page)
        for found in self.fetch_many(pending, lambda uri, doc: doc):
            if found is not None:
                yield found

    def member_uris(self, uri):
        """The member URIs of a collection, every page, not expanded."""
        uris = []
        page = uri
        while page:
            doc = self.client.get(page)[0]
            uris.extend(documents.links(doc, 'Members', page))
            page = documents.text(doc, 'Members@odata.nextLink', page)
        return uris

    def fetch_many(self, uris, parse):
        """``[parse(uri, document)]`` for each URI, read in parallel.

        A URI the pod no longer has gives None. The first other error is
        raised, after the requests already running have ended.
        """
        def one(uri):
            try:
                doc = self.client.get(uri)[0]
            except exception.PodResourceNotFound:
                return None
            return parse(uri, doc)

        if len(uris) < 2:
            return [one(uri) for uri in uris]
        results = []
        pool = futures.ThreadPoolExecutor(min(READ_WORKERS, len(uris)))
        try:
            for start in range(0, len(uris), _CHUNK):
                results.extend(pool.map(one, uris[start:start + _CHUNK]))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return results


def action_allowable(info, parameter, where):
    """AllowableValues of an ActionInfo parameter, or None if unlisted."""
    for param in documents.array(info, 'Parameters', where, dict):
        if param.get('Name') == parameter:
            if 'AllowableValues' not in param:
                return None
            return documents.strings(param, 'AllowableValues', where)
    return None
