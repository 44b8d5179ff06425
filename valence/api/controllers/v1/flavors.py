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

"""/v1/flavors: what nodes are composed of.

Flavors are plain data that no pod sees, so this controller writes them
through their objects itself, as OpenStack services do for such data;
the conductor is not involved.

A flavor is public (``project_id`` null) or private to the project that
created it. ``valence.api.ownership`` decides who sees what: another
project's private flavor answers 404; the policy then decides what the
caller may do with what they see.

``PROPERTIES_SCHEMA`` is also the schema of the ``properties`` a node is
composed from inline. A body holding ``properties`` goes through
``with_integers`` before it is validated, so that the numbers of the
original API, sent as strings of digits, are taken.
"""

import re

from oslo_utils import uuidutils
import pecan
from pecan import rest
from wsme import types as wtypes

from valence import objects
from valence.api import expose
from valence.api import ownership
from valence.api import validation
from valence.api.controllers import base
from valence.api.controllers import collection
from valence.api.controllers import link
from valence.api.controllers import types
from valence.common import exception
from valence.common import policy

FILTERS = ('name', 'project_id')
SORTABLE = ('name', 'created_at', 'updated_at', 'uuid')

# Kinds of pooled devices a flavor may ask for (valence.podmanagers.base
# names them the same way).
DEVICE_TYPES = ['GPU', 'NVMe', 'NIC', 'FPGA', 'SSD']
DRIVE_TYPES = ['SSD', 'HDD', 'NVMe']
# Redfish protocols of remote drives: volumes (iSCSI, NVMe over fabrics)
# and drives of DMTF composition services.
DRIVE_PROTOCOLS = ['FC', 'iSCSI', 'NVMe', 'NVMeOverFabrics', 'SAS', 'SATA']
# Bounds that keep every number a 32-bit integer: 2 PiB of memory, 2 EiB of
# drive; a node of more than 1024 drives, NICs or devices of one kind is a
# mistake.
MAX_QUANTITY = 2 ** 31 - 1
MAX_COUNT = 1024
# Distinct requirements of one kind (drives of 16 sizes...).
MAX_ITEMS = 16


def _text(max_length=255):
    return {'type': 'string', 'minLength': 1, 'maxLength': max_length}


def _number(maximum=MAX_QUANTITY):
    return {'type': 'integer', 'minimum': 1, 'maximum': maximum}


def _section(properties, required=()):
    return {'type': 'object', 'properties': properties,
            'required': list(required), 'additionalProperties': False}


def _list_of(properties, required=()):
    return {'type': 'array', 'maxItems': MAX_ITEMS,
            'items': _section(properties, required)}


PROPERTIES_SCHEMA = _section({
    # The original Valence sections.
    'processor': _section({'model': _text(), 'total_cores': _number(),
                           'arch': _text(32)}),
    'memory': _section({'capacity_mib': _number(), 'type': _text(64)}),
    'pci_device': _section({
        'type': {'type': 'array', 'maxItems': MAX_COUNT,
                 'items': {'enum': DEVICE_TYPES}},
    }, required=['type']),
    # Added by Valence: drives, NICs and counted pooled devices.
    'local_drives': _list_of({'capacity_gib': _number(),
                              'type': {'enum': DRIVE_TYPES},
                              'count': _number(MAX_COUNT)}),
    'remote_drives': _list_of({'capacity_gib': _number(),
                               'protocol': {'enum': DRIVE_PROTOCOLS},
                               'count': _number(MAX_COUNT)}),
    'nics': _list_of({'speed_mbps': _number(),
                      'count': _number(MAX_COUNT)}),
    'devices': _list_of({'type': {'enum': DEVICE_TYPES},
                         'model': _text(), 'vendor': _text(),
                         'count': _number(MAX_COUNT)}, required=['type']),
})

_FIELDS = {
    'name': _text(),
    'description': {'type': ['string', 'null'], 'maxLength': 4096},
    'properties': PROPERTIES_SCHEMA,
}
CREATE_SCHEMA = {
    'type': 'object',
    'properties': {**_FIELDS, 'is_public': {'type': 'boolean'}},
    'required': ['name', 'properties'],
    'additionalProperties': False,
}
# Whether a flavor is public is chosen when it is created.
UPDATE_SCHEMA = {
    'type': 'object',
    'properties': _FIELDS,
    'minProperties': 1,
    'additionalProperties': False,
}

# Longer strings are refused as they are: int() of a huge string is slow,
# and these digits already say far more than any maximum here.
_DIGITS = re.compile(r'[0-9]{1,20}')


def _integers(schema, value):
    """``value`` with its strings of digits made integers where ``schema``
    wants an integer; anything else is left for the schema to judge."""
    if isinstance(value, str) and schema.get('type') == 'integer':
        return int(value) if _DIGITS.fullmatch(value) else value
    if isinstance(value, dict):
        known = schema.get('properties', {})
        return {k: _integers(known.get(k, {}), v) for k, v in value.items()}
    if isinstance(value, list) and 'items' in schema:
        return [_integers(schema['items'], item) for item in value]
    return value


def with_integers(body):
    """``body`` with the numbers of its ``properties`` given as strings of
    digits ("total_cores": "4", as the original Valence sent them) made
    integers. Other strings, fractions, negative numbers and booleans stay
    as they are, for the schema to refuse.
    """
    if isinstance(body, dict) and 'properties' in body:
        body = dict(body, properties=_integers(PROPERTIES_SCHEMA,
                                               body['properties']))
    return body


def get_visible(context, ident):
    """The flavor, or FlavorNotFound if the caller may not see it: another
    project's private flavor does not exist for them."""
    flavor = objects.Flavor.get(context, ident)
    ownership.ensure_visible(context, flavor.project_id,
                             exception.FlavorNotFound(flavor=ident),
                             public_if_unowned=True)
    return flavor


def _list_visibility(context, project_id):
    """``(filters, visible_to)`` of a list, for ``Flavor.list``.

    Without a ``project_id`` filter, those who see every project list
    every flavor, and others the public flavors and their project's. With
    one, the list holds that project's private flavors.
    """
    project = ownership.list_project(context, project_id)
    if project_id is not None:
        return {'project_id': project}, None
    return {}, project


def _check_name(name):
    # Flavors are found by uuid or by name: a name that looks like a uuid
    # could never be found by name.
    if uuidutils.is_uuid_like(name):
        raise exception.InvalidParameterValue(field='name',
                                              reason='must not be a UUID')


class Flavor(base.APIBase):
    """A flavor as the API shows it."""

    uuid = wtypes.text
    name = wtypes.text
    description = wtypes.text
    properties = types.jsontype
    """What nodes of this flavor are composed of."""
    project_id = wtypes.text
    """The project of a private flavor; null for a public one."""
    is_public = bool
    links = [link.Link]

    @classmethod
    def convert(cls, flavor):
        resource = cls.from_object(
            flavor, ('uuid', 'name', 'description', 'properties',
                     'project_id', 'is_public'))
        resource.links = link.self_and_bookmark('flavors', flavor.uuid)
        return resource


class FlavorCollection(collection.Collection):
    flavors = [Flavor]


class FlavorsController(rest.RestController):

    @expose.expose(FlavorCollection, int, wtypes.text, wtypes.text,
                   wtypes.text, wtypes.text, wtypes.text,
                   ignore_extra_args=True)
    def get_all(self, limit=None, marker=None, sort_key=None, sort_dir=None,
                name=None, project_id=None):
        """List the flavors the caller sees, filtered by name or project."""
        context = pecan.request.context
        policy.authorize('valence:flavor:list', context)
        collection.check_query(FILTERS)
        limit = collection.limit(limit)
        sort_key, sort_dir = collection.sort(sort_key, sort_dir, SORTABLE)
        filters, visible_to = _list_visibility(context, project_id)
        if name is not None:
            filters['name'] = name
        flavors = objects.Flavor.list(
            context, filters=filters, limit=limit, marker=marker,
            sort_key=sort_key, sort_dir=sort_dir, visible_to=visible_to)
        return FlavorCollection.page(
            'flavors', [Flavor.convert(f) for f in flavors], 'flavors',
            limit, sort_key=sort_key, sort_dir=sort_dir, **filters)

    @expose.expose(Flavor, types.uuid_or_name)
    def get_one(self, flavor_ident):
        """Show a flavor, by uuid or name."""
        context = pecan.request.context
        flavor = get_visible(context, flavor_ident)
        policy.authorize('valence:flavor:get', context,
                         ownership.target(flavor.project_id))
        return Flavor.convert(flavor)

    @expose.expose(Flavor, body=types.jsontype, status_code=201)
    def post(self, body):
        """Create a flavor, public unless ``is_public`` is false.

        A private flavor belongs to the project of the request. On success,
        a 201 with the flavor and its ``Location``.
        """
        context = pecan.request.context
        values = validation.validate(CREATE_SCHEMA, with_integers(body))
        _check_name(values['name'])
        private = not values.pop('is_public', True)
        project_id = context.project_id if private else None
        policy.authorize('valence:flavor:create', context,
                         ownership.target(project_id))
        if private and project_id is None:
            raise exception.InvalidParameterValue(
                field='is_public',
                reason='a private flavor belongs to the project of the '
                       'request, and this request has none')
        values.setdefault('description', None)
        flavor = objects.Flavor(context, uuid=uuidutils.generate_uuid(),
                                project_id=project_id, **values)
        flavor.create()
        pecan.response.location = link.build_url('flavors', flavor.uuid)
        return Flavor.convert(flavor)

    @expose.expose(Flavor, types.uuid_or_name, body=types.jsontype)
    def patch(self, flavor_ident, body):
        """Change a flavor with a partial document of its fields.

        ``properties``, when given, replaces the flavor's properties whole.
        """
        context = pecan.request.context
        values = validation.validate(UPDATE_SCHEMA, with_integers(body))
        if 'name' in values:
            _check_name(values['name'])
        flavor = get_visible(context, flavor_ident)
        policy.authorize('valence:flavor:update', context,
                         ownership.target(flavor.project_id))
        for field, value in values.items():
            if getattr(flavor, field) != value:
                setattr(flavor, field, value)
        flavor.save()
        return Flavor.convert(flavor)

    @expose.expose(None, types.uuid_or_name, status_code=204)
    def delete(self, flavor_ident):
        """Delete a flavor no node is being composed from.

        Nodes composed from it keep its uuid.
        """
        context = pecan.request.context
        flavor = get_visible(context, flavor_ident)
        policy.authorize('valence:flavor:delete', context,
                         ownership.target(flavor.project_id))
        flavor.destroy()
