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

"""What inventory resources share: their fields, filters and reads.

The inventory endpoints read the database, never the pods, so they answer
fast and keep answering while a pod is down. Each resource module declares
its WSME type, its filters and its sort keys, and gets list and show from
``InventoryController``.
"""

import datetime

import pecan
from pecan import rest
from wsme import types as wtypes

from valence.api import expose
from valence.api.controllers import base
from valence.api.controllers import collection
from valence.api.controllers import link
from valence.api.controllers import types
from valence.common import exception
from valence.common import policy

# Filters every inventory list takes: API name -> DB filter name.
COMMON_FILTERS = {'podm_id': 'podm_uuid', 'name': 'name',
                  'resource_uri': 'pod_uri'}
ALLOCATABLE_FILTERS = {'state': 'state', 'node_id': 'node_uuid',
                       'rack_id': 'rack_uuid'}
COMMON_SORT_KEYS = ('name', 'created_at', 'updated_at', 'uuid', 'pod_uri')


class InventoryItem(base.APIBase):
    """Fields every inventory resource shows."""

    uuid = wtypes.text
    name = wtypes.text
    podm_id = wtypes.text
    """The uuid of the pod manager whose pod holds it."""
    resource_uri = wtypes.text
    """The pod's own URI of the resource."""
    links = [link.Link]

    # Object field -> API field where they differ.
    _RENAMED = {'podm_uuid': 'podm_id', 'pod_uri': 'resource_uri',
               'node_uuid': 'node_id', 'rack_uuid': 'rack_id',
               'hw_uuid': 'system_uuid'}
    _RESOURCE = None

    @classmethod
    def convert(cls, obj):
        """The resource as a JSON-ready dict of the declared fields.

        Lists hold up to a thousand items; building them as plain dicts
        rather than WSME objects keeps a full page fast to answer. The
        WSME attributes above remain the declaration of what is shown.
        """
        item = {}
        for name, api_name in cls._field_names(obj):
            value = getattr(obj, name)
            if isinstance(value, datetime.datetime):
                value = value.replace(microsecond=0).isoformat()
            item[api_name] = value
        item['links'] = [
            {'href': link.build_url(cls._RESOURCE, obj.uuid), 'rel': 'self'},
            {'href': link.build_url(cls._RESOURCE, obj.uuid, bookmark=True),
             'rel': 'bookmark'}]
        return item

    @classmethod
    def _field_names(cls, obj):
        """(object field, API field) pairs, worked out once per class."""
        names = cls.__dict__.get('_names')
        if names is None:
            declared = {a.name for a in cls._wsme_attributes}
            names = [(name, cls._RENAMED.get(name, name))
                     for name in obj.fields
                     if cls._RENAMED.get(name, name) in declared]
            cls._names = names
        return names


class AllocatableItem(InventoryItem):
    """Fields of inventory a composed node can hold."""

    state = wtypes.text
    """free, allocated or unavailable."""
    node_id = wtypes.text
    """The uuid of the Valence node holding it, or null."""
    rack_id = wtypes.text
    """The uuid of the rack (or other chassis) it sits in, or null."""


def _parse_filter(name, value, kind):
    if kind is int:
        try:
            return int(value)
        except ValueError:
            raise exception.InvalidParameterValue(field=name,
                                                  reason='must be an integer')
    return value


class InventoryController(rest.RestController):
    """List and show one kind of inventory.

    Subclasses set OBJECT (the objects class), ITEM (the WSME type that
    declares the fields shown), FIELD (the list's name in the answer),
    POLICY (the rule prefix), FILTERS ({query name: (DB filter name,
    type)}) and SORT_KEYS.
    """

    OBJECT = None
    ITEM = None
    FIELD = None
    POLICY = None
    FILTERS = {}
    SORT_KEYS = COMMON_SORT_KEYS

    def _filters(self):
        collection.check_query(self.FILTERS)
        filters = {}
        for name, (db_name, kind) in self.FILTERS.items():
            value = pecan.request.GET.get(name)
            if value is not None:
                filters[db_name] = _parse_filter(name, value, kind)
        return filters

    def _list(self, limit, marker, sort_key, sort_dir):
        context = pecan.request.context
        policy.authorize('%s:list' % self.POLICY, context)
        limit = collection.limit(limit)
        sort_key, sort_dir = collection.sort(sort_key, sort_dir,
                                             self.SORT_KEYS)
        filters = self._filters()
        items = self.OBJECT.list(context, filters=filters, limit=limit,
                                 marker=marker, sort_key=sort_key,
                                 sort_dir=sort_dir)
        query = {name: pecan.request.GET[name] for name in self.FILTERS
                 if name in pecan.request.GET}
        page = {self.FIELD: [self.ITEM.convert(i) for i in items]}
        if len(items) == limit:
            query.update(sort_key=sort_key, sort_dir=sort_dir)
            page['next'] = collection.next_link(self.ITEM._RESOURCE, items,
                                                limit, query)
        return page

    def _show(self, uuid):
        context = pecan.request.context
        policy.authorize('%s:get' % self.POLICY, context)
        return self.ITEM.convert(self.OBJECT.get_by_uuid(context, uuid))


def filters(*names, ints=()):
    """Filter declarations: query name -> (DB filter name, type)."""
    declared = {name: (name, str) for name in names}
    declared.update({name: (name, int) for name in ints})
    return declared


def expose_list():
    # Unknown query parameters are refused by check_query, with the list
    # of valid ones.
    return expose.expose(types.jsontype, int, wtypes.text, wtypes.text,
                         wtypes.text, ignore_extra_args=True)


def expose_show():
    return expose.expose(types.jsontype, wtypes.text)


def common_filters(allocatable=True):
    declared = {name: (db_name, str)
                for name, db_name in COMMON_FILTERS.items()}
    if allocatable:
        declared.update({name: (db_name, str)
                         for name, db_name in ALLOCATABLE_FILTERS.items()})
    return declared
