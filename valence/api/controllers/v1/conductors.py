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

"""/v1/conductors: the conductors, whether they live, and which pod
managers each serves.

A conductor is alive while its last heartbeat is at most ``[conductor]
heartbeat_timeout`` seconds old. The pod managers a conductor serves are
those the hash ring gives it, as the API routes requests now (the ring is
read again every ``[conductor] hash_ring_reset_interval`` seconds); a dead
conductor serves none.
"""

import collections
import datetime
import urllib.parse

from oslo_utils import strutils
import pecan
from pecan import rest
from wsme import types as wtypes

from valence import conf
from valence import objects
from valence.api import expose
from valence.api.controllers import base
from valence.api.controllers import collection
from valence.api.controllers import link
from valence.common import exception
from valence.common import policy

FILTERS = ('alive', 'detail')
SORTABLE = ('hostname', 'heartbeat_at', 'created_at')


class ServedPodManager(wtypes.Base):
    """A pod manager a conductor serves."""

    uuid = wtypes.text
    name = wtypes.text
    links = [link.Link]


class Conductor(base.APIBase):
    hostname = wtypes.text
    """The conductor's ``[DEFAULT] host``, unique among conductors."""
    alive = bool
    """Whether its last heartbeat is recent enough."""
    drivers = [wtypes.text]
    """The pod manager drivers it has."""
    heartbeat_at = datetime.datetime
    """When it last wrote its heartbeat (UTC)."""
    pod_manager_count = int
    """How many pod managers it serves."""
    pod_managers = [ServedPodManager]
    """The pod managers it serves (shown alone and with ``detail``)."""
    links = [link.Link]

    @classmethod
    def convert(cls, conductor, alive, served, detail):
        resource = cls.from_object(conductor,
                                   ('hostname', 'drivers', 'heartbeat_at'))
        resource.alive = alive
        resource.pod_manager_count = len(served)
        if detail:
            resource.pod_managers = [
                ServedPodManager(
                    uuid=podm.uuid, name=podm.name,
                    links=link.self_and_bookmark('pod_managers', podm.uuid))
                for podm in served]
        resource.links = link.self_and_bookmark('conductors',
                                                conductor.hostname)
        return resource


class ConductorCollection(wtypes.Base):
    conductors = [Conductor]
    next = wtypes.text


def _served(context):
    """{hostname: [pod managers]} as the hash ring spreads them now."""
    rpcapi = pecan.request.rpcapi
    served = collections.defaultdict(list)
    for podm in objects.PodManager.list(context, sort_key='name'):
        host = rpcapi.conductor_for(podm)
        if host is not None:
            served[host].append(podm)
    return served


def _bool(name, value):
    if value is None:
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidParameterValue(
            field=name, reason='must be true or false')


class ConductorsController(rest.RestController):

    # Unknown query parameters are refused by check_query, with the list
    # of valid ones.
    @expose.expose(ConductorCollection, int, wtypes.text, wtypes.text,
                   wtypes.text, wtypes.text, wtypes.text,
                   ignore_extra_args=True)
    def get_all(self, limit=None, marker=None, sort_key=None, sort_dir=None,
                alive=None, detail=None):
        """List the conductors, alive or not (``alive`` filters them);
        ``detail=true`` lists the pod managers each one serves.

        Conductors are few: the list is read whole, then paged by
        hostname.
        """
        context = pecan.request.context
        policy.authorize('valence:conductor:list', context)
        collection.check_query(FILTERS)
        limit = collection.limit(limit)
        sort_key, sort_dir = collection.sort(sort_key, sort_dir, SORTABLE)
        wanted_alive = _bool('alive', alive)
        with_served = _bool('detail', detail) or False
        timeout = conf.CONF.conductor.heartbeat_timeout
        conductors = [(c, c.is_alive(timeout))
                      for c in objects.Conductor.list(context)]
        if wanted_alive is not None:
            conductors = [(c, a) for c, a in conductors if a == wanted_alive]
        key = sort_key or 'hostname'
        conductors.sort(key=lambda pair: (getattr(pair[0], key),
                                          pair[0].hostname),
                        reverse=sort_dir == 'desc')
        if marker is not None:
            hostnames = [c.hostname for c, _alive in conductors]
            if marker not in hostnames:
                raise exception.InvalidMarker(marker=marker,
                                              resource='conductors')
            conductors = conductors[hostnames.index(marker) + 1:]
        page = conductors[:limit]
        served = _served(context)
        answer = ConductorCollection(conductors=[
            Conductor.convert(c, a, served.get(c.hostname, []) if a else [],
                              with_served)
            for c, a in page])
        if len(conductors) > limit:
            query = {k: v for k, v in (('alive', alive), ('detail', detail),
                                       ('sort_key', sort_key),
                                       ('sort_dir', sort_dir))
                     if v is not None}
            query.update(limit=limit, marker=page[-1][0].hostname)
            answer.next = link.build_url(
                'conductors', '?' + urllib.parse.urlencode(query))
        return answer

    @expose.expose(Conductor, wtypes.text)
    def get_one(self, hostname):
        """Show a conductor and the pod managers it serves."""
        context = pecan.request.context
        policy.authorize('valence:conductor:get', context)
        for conductor in objects.Conductor.list(context):
            if conductor.hostname == hostname:
                break
        else:
            raise exception.ConductorNotFound(hostname=hostname)
        alive = conductor.is_alive(conf.CONF.conductor.heartbeat_timeout)
        served = _served(context).get(hostname, []) if alive else []
        return Conductor.convert(conductor, alive, served, detail=True)
