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

"""Reading properties of Redfish JSON documents, checking their types.

A pod that answers JSON of the wrong shape (a string where a list belongs,
a link without ``@odata.id``) is reported as a PodManagerError that names
the resource and the property, rather than failing later with a
TypeError far from the cause. A property that is missing or null reads as
None (or empty), as Redfish allows for most properties.
"""

from valence.common import exception


def bad(where, prop, value, expected):
    return exception.PodManagerError(
        reason='%s: %s is %s, expected %s' % (
            where, prop, 'a JSON ' + _json_type(value), expected))


def _json_type(value):
    return {dict: 'object', list: 'array', str: 'string', bool: 'boolean',
            int: 'number', float: 'number'}.get(type(value), 'null')


def _checked(doc, prop, where, accept, expected):
    value = doc.get(prop)
    if value is not None and not accept(value):
        raise bad(where, prop, value, expected)
    return value


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def obj(doc, prop, where):
    """An object property, or {}."""
    return _checked(doc, prop, where, lambda v: isinstance(v, dict),
                    'an object') or {}


def text(doc, prop, where):
    """A string property, or None."""
    return _checked(doc, prop, where, lambda v: isinstance(v, str),
                    'a string')


def number(doc, prop, where):
    """A number property, or None (booleans are not numbers)."""
    return _checked(doc, prop, where, _is_number, 'a number')


def flag(doc, prop, where):
    """A boolean property, or None."""
    return _checked(doc, prop, where, lambda v: isinstance(v, bool),
                    'a boolean')


def array(doc, prop, where, kind=str):
    """A list whose items are all of ``kind``, or []."""
    return _checked(
        doc, prop, where,
        lambda v: isinstance(v, list) and all(isinstance(i, kind)
                                              for i in v),
        'an array of %s' % ('strings' if kind is str else 'objects')) or []


def strings(doc, prop, where):
    """A list of strings, or []."""
    return array(doc, prop, where)


def odata_id(doc, where):
    """The document's own ``@odata.id``, which every resource has."""
    value = doc.get('@odata.id')
    if not isinstance(value, str) or not value:
        raise exception.PodManagerError(
            reason='%s: a resource without an @odata.id' % where)
    return value


def link(doc, prop, where):
    """The URI of a single link ``{"@odata.id": ...}``, or None."""
    value = doc.get(prop)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad(where, prop, value, 'a link object')
    return odata_id(value, '%s %s' % (where, prop))


def entries(doc, prop, where):
    """The objects of an array of links, which may be expanded documents.

    A service that expands navigation properties puts whole documents
    where others put ``{"@odata.id": ...}``; both come back as they are.
    """
    value = doc.get(prop)
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad(where, prop, value, 'an array of links')
    for entry in value:
        if not isinstance(entry, dict):
            raise bad(where, prop + ' member', entry, 'a link object')
        odata_id(entry, '%s %s' % (where, prop))
    return value


def links(doc, prop, where):
    """The URIs of an array of links, or []."""
    return [entry['@odata.id'] for entry in entries(doc, prop, where)]


def expanded(entry):
    """True when a link entry holds the linked document, not only its URI.

    Every Redfish resource has an ``Id``; a plain link has none.
    """
    return 'Id' in entry
