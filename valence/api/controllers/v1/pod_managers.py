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

"""/v1/pod_managers: the pod managers Valence drives."""

import datetime

from oslo_utils import uuidutils
import pecan
from pecan import rest
from wsme import types as wtypes

from valence import objects
from valence.api import expose
from valence.api import validation
from valence.api.controllers import base
from valence.api.controllers import collection
from valence.api.controllers import link
from valence.api.controllers import types
from valence.common import exception
from valence.common import policy
from valence.common import states
from valence.objects import fields as valence_fields

DEFAULT_DRIVER = 'redfishv1'
FILTERS = ('name', 'driver', 'status')
SORTABLE = ('name', 'driver', 'status', 'url', 'created_at', 'updated_at',
            'uuid')

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_AUTHENTICATION = {
    'type': 'array',
    'minItems': 1,
    # The original API took a list; one way to log in is all a pod needs.
    'maxItems': 1,
    'items': {
        'type': 'object',
        'properties': {
            'type': {'type': 'string', 'enum': ['basic']},
            'auth_items': {
                'type': 'object',
                'properties': {
                    'username': _NAME,
                    'password': {'type': 'string', 'maxLength': 255},
                },
                'required': ['username', 'password'],
                'additionalProperties': False,
            },
        },
        'required': ['type', 'auth_items'],
        'additionalProperties': False,
    },
}
_PROPERTIES = {
    'name': _NAME,
    'url': {'type': 'string', 'format': 'http-url', 'maxLength': 255},
    'driver': {'type': 'string', 'minLength': 1, 'maxLength': 64},
    'description': {'type': ['string', 'null'], 'maxLength': 4096},
    'authentication': _AUTHENTICATION,
    'verify_tls': {'type': 'boolean'},
}
CREATE_SCHEMA = {
    'type': 'object',
    'properties': _PROPERTIES,
    'required': ['name', 'url', 'authentication'],
    'additionalProperties': False,
}
UPDATE_SCHEMA = {
    'type': 'object',
    'properties': _PROPERTIES,
    'minProperties': 1,
    'additionalProperties': False,
}


class AuthItems(wtypes.Base):
    username = wtypes.text
    password = wtypes.text
    """Always masked."""


class Authentication(wtypes.Base):
    type = wtypes.text
    auth_items = AuthItems


class PodManager(base.APIBase):
    """A pod manager as the API shows it; the password is masked."""

    uuid = wtypes.text
    name = wtypes.text
    url = wtypes.text
    driver = wtypes.text
    description = wtypes.text
    authentication = [Authentication]
    verify_tls = bool
    status = wtypes.text
    status_reason = wtypes.text
    last_sync_at = datetime.datetime
    links = [link.Link]

    @classmethod
    def convert(cls, podm):
        resource = cls.from_object(
            podm, ('uuid', 'name', 'url', 'driver', 'description',
                   'verify_tls', 'status', 'status_reason', 'last_sync_at'))
        resource.authentication = [Authentication(
            type=podm.auth_type,
            auth_items=AuthItems(username=podm.username,
                                 password=valence_fields.MASK))]
        resource.links = link.self_and_bookmark('pod_managers', podm.uuid)
        return resource


class PodManagerCollection(collection.Collection):
    pod_managers = [PodManager]


def _apply(podm, values):
    """Set the object's fields from validated request values."""
    values = dict(values)
    if 'authentication' in values:
        auth = values.pop('authentication')[0]
        values.update(auth_type=auth['type'],
                      username=auth['auth_items']['username'],
                      password=auth['auth_items']['password'])
    for field, value in values.items():
        # Setting a field marks it changed even to the same value.
        if not podm.obj_attr_is_set(field) or getattr(podm, field) != value:
            setattr(podm, field, value)


def _check_unique(context, podm):
    """Fail fast on a taken name or URL, before the pod is contacted.

    The database constraints still decide if two requests race.
    """
    changed = podm.obj_what_changed()
    for field, error in (('name', exception.DuplicateName),
                         ('url', exception.DuplicatePodManagerURL)):
        if field not in changed:
            continue
        value = getattr(podm, field)
        if any(other.uuid != podm.uuid for other in objects.PodManager.list(
                context, filters={field: value}, limit=2)):
            raise error(resource='pod manager', name=value, url=value)


def _check_driver(podm):
    available = pecan.request.rpcapi.available_drivers()
    if podm.driver not in available:
        raise exception.InvalidDriver(driver=podm.driver,
                                      available=', '.join(available))


class PodManagersController(rest.RestController):

    # Unknown query parameters are refused by check_query, with the list
    # of valid ones.
    @expose.expose(PodManagerCollection, int, wtypes.text, wtypes.text,
                   wtypes.text, wtypes.text, wtypes.text, wtypes.text,
                   ignore_extra_args=True)
    def get_all(self, limit=None, marker=None, sort_key=None, sort_dir=None,
                name=None, driver=None, status=None):
        """List pod managers, filtered by name, driver or status."""
        context = pecan.request.context
        policy.authorize('valence:pod_manager:list', context)
        collection.check_query(FILTERS)
        limit = collection.limit(limit)
        sort_key, sort_dir = collection.sort(sort_key, sort_dir, SORTABLE)
        filters = {k: v for k, v in (('name', name), ('driver', driver),
                                     ('status', status)) if v is not None}
        podms = objects.PodManager.list(context, filters=filters, limit=limit,
                                        marker=marker, sort_key=sort_key,
                                        sort_dir=sort_dir)
        return PodManagerCollection.page(
            'pod_managers', [PodManager.convert(p) for p in podms],
            'pod_managers', limit, sort_key=sort_key, sort_dir=sort_dir,
            **filters)

    @expose.expose(PodManager, types.uuid_or_name)
    def get_one(self, podm_ident):
        """Show a pod manager, by uuid or name."""
        context = pecan.request.context
        policy.authorize('valence:pod_manager:get', context)
        return PodManager.convert(objects.PodManager.get(context, podm_ident))

    @expose.expose(PodManager, body=types.jsontype, status_code=201)
    def post(self, body):
        """Register a pod manager; the conductor checks that it answers.

        On success, a 201 with the pod manager and its ``Location``.
        """
        context = pecan.request.context
        policy.authorize('valence:pod_manager:create', context)
        values = validation.validate(CREATE_SCHEMA, body)
        podm = objects.PodManager(
            context, uuid=uuidutils.generate_uuid(), driver=DEFAULT_DRIVER,
            description=None, verify_tls=True, status=states.OFFLINE,
            status_reason=None, last_sync_at=None)
        _apply(podm, values)
        _check_driver(podm)
        _check_unique(context, podm)
        podm = pecan.request.rpcapi.create_pod_manager(context, podm)
        pecan.response.location = link.build_url('pod_managers', podm.uuid)
        return PodManager.convert(podm)

    @expose.expose(PodManager, types.uuid_or_name, body=types.jsontype)
    def patch(self, podm_ident, body):
        """Change a pod manager with a partial document of its fields."""
        context = pecan.request.context
        policy.authorize('valence:pod_manager:update', context)
        values = validation.validate(UPDATE_SCHEMA, body)
        podm = objects.PodManager.get(context, podm_ident)
        _apply(podm, values)
        if not podm.obj_what_changed():
            return PodManager.convert(podm)
        if 'driver' in podm.obj_what_changed():
            _check_driver(podm)
        _check_unique(context, podm)
        podm = pecan.request.rpcapi.update_pod_manager(context, podm)
        return PodManager.convert(podm)

    @expose.expose(None, types.uuid_or_name, status_code=204)
    def delete(self, podm_ident):
        """Remove a pod manager that has no composed nodes."""
        context = pecan.request.context
        policy.authorize('valence:pod_manager:delete', context)
        podm = objects.PodManager.get(context, podm_ident)
        pecan.request.rpcapi.delete_pod_manager(context, podm)
