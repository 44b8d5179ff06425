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

"""Lists: query parameters, pagination and ``next`` links."""

import urllib.parse

import pecan
from wsme import types as wtypes

from valence import conf
from valence.api.controllers import link
from valence.common import exception

PAGINATION_PARAMS = ('limit', 'marker', 'sort_key', 'sort_dir')


class Collection(wtypes.Base):
    """A page of a list; ``next`` links to the following page if any."""

    next = wtypes.text

    @classmethod
    def page(cls, field, items, resource, limit, **params):
        collection = cls()
        setattr(collection, field, items)
        if limit and len(items) == limit:
            collection.next = next_link(resource, items, limit, params)
        return collection


def next_link(resource, items, limit, params):
    """The URL of the page after ``items``, with the same query."""
    query = {k: v for k, v in params.items() if v is not None}
    query.update(limit=limit, marker=items[-1].uuid)
    return link.build_url(resource, '?' + urllib.parse.urlencode(query))


def check_query(filters):
    """400 for a query parameter that is neither a filter nor paging."""
    valid = set(filters) | set(PAGINATION_PARAMS)
    unknown = sorted(set(pecan.request.GET) - valid)
    if unknown:
        raise exception.Invalid(
            reason='unknown query parameter(s) %s; valid ones are: %s.'
            % (', '.join(unknown), ', '.join(sorted(valid))))


def limit(value):
    max_limit = conf.CONF.api.max_limit
    if value is None:
        return max_limit
    if value < 1:
        raise exception.InvalidParameterValue(field='limit',
                                              reason='must be at least 1')
    return min(value, max_limit)


def sort(sort_key, sort_dir, sortable):
    if sort_key is not None and sort_key not in sortable:
        raise exception.InvalidSortKey(key=sort_key,
                                       valid=', '.join(sortable))
    if sort_dir not in (None, 'asc', 'desc'):
        raise exception.InvalidParameterValue(field='sort_dir',
                                              reason='must be asc or desc')
    return sort_key, sort_dir
