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


"""/v1/nodes: composed nodes.

Composing and deleting a node are asynchronous: the API answers 202 with
the node, and the conductor serving its pod does the work; the node's
``state`` and ``/v1/nodes/{uuid}/actions`` show how it goes. Power and
boot changes are synchronous. A project's members see and act on their
project's nodes only; another project's node is not found.
"""

import datetime

from oslo_utils import uuidutils
import pecan
from pecan import rest
from wsme import api as wsme_api
from wsme import types as wtypes

from valence import objects
from valence.api import expose
from valence.api import ownership
from valence.api import validation
from valence.api.controllers import collection
from valence.api.controllers import link
from valence.api.controllers import types
from valence.api.controllers.v1 import devices
from valence.api.controllers.v1 import flavors
from valence.common import exception
from valence.common import policy
from valence.common import states

FILTERS = ('state', 'podm_id', 'flavor_id', 'project_id', 'name', 'managed',
           'detail')
SORTABLE = ('name', 'state', 'created_at', 'updated_at', 'uuid')
# What a list shows of each node unless ``detail=true``: the fields of the
# original Valence's list, and the state.
SUMMARY = ('uuid', 'name', 'podm_id', 'index', 'resource_uri', 'state',
           'power_state', 'links')
RESET_TYPES = ('On', 'ForceOn', 'ForceOff', 'GracefulShutdown',
               'GracefulRestart', 'ForceRestart', 'Nmi', 'PushPowerButton',
               'PowerCycle')

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
COMPOSE_SCHEMA = {
    'type': 'object',
    'properties': {
        'name': _NAME,
        'description': {'type': ['string', 'null'], 'maxLength': 4096},
        'flavor_id': _NAME,
        'podm_id': _NAME,
        'properties': flavors.PROPERTIES_SCHEMA,
    },
    'additionalProperties': False,
}
MANAGE_SCHEMA = {
    'type': 'object',
    'properties': {
        'node_index': {'type': ['string', 'integer'], 'minLength': 1,
                       'maxLength': 255},
        'podm_id': _NAME,
        'name': _NAME,
        'description': {'type': ['string', 'null'], 'maxLength': 4096},
        'project_id': {'type': 'string', 'maxLength': 64},
    },
    'required': ['node_index'],
    'additionalProperties': False,
}
_DEVICE_REF = {
    'type': 'object',
    'properties': {'resource_id': {'type': 'string', 'minLength': 1,
                                   'maxLength': 36}},
    'required': ['resource_id'],
    'additionalProperties': False,
}
ACTION_SCHEMA = {
    'type': 'object',
    'properties': {
        'attach': _DEVICE_REF,
        'detach': _DEVICE_REF,
        'Reset': {
            'type': 'object',
            'properties': {'Type': {'type': 'string',
                                    'enum': list(RESET_TYPES)}},
            'required': ['Type'],
            'additionalProperties': False,
        },
        'Boot': {
            'type': 'object',
            'properties': {
                'Enabled': {'type': 'string',
                            'enum': ['Disabled', 'Once', 'Continuous']},
                'Target': {'type': 'string', 'minLength': 1,
                           'maxLength': 64},
            },
            'required': ['Enabled'],
            'additionalProperties': False,
        },
    },
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}


# Ironic registration. The values are never repeated in an answer:
# driver_info holds BMC passwords.
REGISTER_SCHEMA = {
    'type': 'object',
    'properties': {
        'driver': _NAME,
        'driver_info': {'type': 'object'},
        'properties': {'type': 'object'},
        # Ironic's limit.
        'resource_class': {'type': 'string', 'minLength': 1,
                           'maxLength': 80},
        'name': _NAME,
        'provide': {'type': 'boolean'},
    },
    'additionalProperties': False,
}
UNREGISTER_SCHEMA = {
    'type': 'object',
    'properties': {'force': {'type': 'boolean'}},
    'additionalProperties': False,
}


def convert(node, detail=True):
    """The node as the API shows it, as a JSON-ready dict."""
    uri = node.pod_node_uri
    item = {
        'uuid': node.uuid,
        'name': node.name,
        'description': node.description,
        'podm_id': node.podm_uuid,
        'flavor_id': node.flavor_id,
        'state': node.state,
        'power_state': node.power_state,
        'last_error': node.last_error,
        'resource_uri': uri,
        'index': uri.rstrip('/').rsplit('/', 1)[-1] if uri else None,
        'managed': node.managed,
        'requested': (node.requested or {}).get('properties'),
        'composed': node.composed,
        'ironic_node_uuid': node.ironic_node_uuid,
        'reservation': node.reservation,
        'project_id': node.project_id,
        'user_id': node.user_id,
        'created_at': _time(node.created_at),
        'updated_at': _time(node.updated_at),
        'links': [{'href': link.build_url('nodes', node.uuid),
                   'rel': 'self'},
                  {'href': link.build_url('nodes', node.uuid, bookmark=True),
                   'rel': 'bookmark'}],
    }
    if not detail:
        item = {k: v for k, v in item.items() if k in SUMMARY}
    return item


def _time(value):
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value


def get_visible(context, ident):
    """The node, or NodeNotFound if the caller may not see it."""
    node = objects.Node.get(context, ident)
    ownership.ensure_visible(context, node.project_id,
                             exception.NodeNotFound(node=ident))
    return node


def _bool(name, value):
    if value is None:
        return None
    if value.lower() in ('true', '1', 'yes'):
        return True
    if value.lower() in ('false', '0', 'no'):
        return False
    raise exception.InvalidParameterValue(field=name,
                                          reason='must be true or false')


class NodeActionItem(wtypes.Base):
    action = wtypes.text
    step = wtypes.text
    result = wtypes.text
    error = wtypes.text
    request_id = wtypes.text
    user_id = wtypes.text
    conductor = wtypes.text
    started_at = datetime.datetime
    finished_at = datetime.datetime


class NodeActionList(wtypes.Base):
    actions = [NodeActionItem]


class NodeActionsController(rest.RestController):
    """/v1/nodes/{ident}/actions: what happened to a node."""

    def __init__(self, ident):
        self.ident = ident

    @expose.expose(NodeActionList)
    def get_all(self):
        context = pecan.request.context
        node = get_visible(context, self.ident)
        policy.authorize('valence:node:get', context,
                         ownership.target(node.project_id))
        fields = [a.name for a in NodeActionItem._wsme_attributes]
        return NodeActionList(actions=[
            NodeActionItem(**{f: getattr(a, f) for f in fields})
            for a in objects.NodeAction.list(context, node.uuid)])


def _device_uuid(value):
    # Whether a device has this UUID, the conductor checks with the rest.
    if not uuidutils.is_uuid_like(value):
        raise exception.InvalidParameterValue(field='resource_id',
                                              reason='must be a device UUID')
    return value


def attach(context, node, device_uuid):
    """Start attaching a device; the node, as the conductor left it."""
    policy.authorize('valence:node:attach', context,
                     ownership.target(node.project_id))
    return pecan.request.rpcapi.attach_device(context, node,
                                              _device_uuid(device_uuid))


def detach(context, node, device_uuid):
    policy.authorize('valence:node:detach', context,
                     ownership.target(node.project_id))
    return pecan.request.rpcapi.detach_device(context, node,
                                              _device_uuid(device_uuid))


class NodeDevicesController(rest.RestController):
    """/v1/nodes/{ident}/devices: the pooled devices a node holds."""

    def __init__(self, ident):
        self.ident = ident

    @expose.expose(types.jsontype)
    def get_all(self):
        """The node's devices, with whether it must reboot to see them."""
        context = pecan.request.context
        node = get_visible(context, self.ident)
        policy.authorize('valence:node:get', context,
                         ownership.target(node.project_id))
        attachments = (node.composed or {}).get('attachments') or {}
        listed = []
        for device in objects.Device.list(
                context, filters={'node_uuid': node.uuid}):
            item = devices.Device.convert(device)
            item['reboot_required'] = attachments.get(
                device.uuid, {}).get('reboot_required')
            listed.append(item)
        return {'devices': listed}

    @expose.expose(types.jsontype, body=types.jsontype, status_code=202)
    def post(self, body):
        """Attach a device: ``{"resource_id": <device uuid>}``; 202."""
        context = pecan.request.context
        node = get_visible(context, self.ident)
        body = validation.validate(_DEVICE_REF, body)
        return convert(attach(context, node, body['resource_id']))

    @expose.expose(types.jsontype, wtypes.text, status_code=202)
    def delete(self, device_uuid):
        """Detach a device; 202."""
        context = pecan.request.context
        node = get_visible(context, self.ident)
        return convert(detach(context, node, device_uuid))


class NodeController(rest.RestController):
    """/v1/nodes/{ident}/...: what is done to one node."""

    _custom_actions = {'action': ['POST'], 'register': ['POST'],
                       'unregister': ['POST']}

    def __init__(self, ident):
        self.ident = ident
        self.actions = NodeActionsController(ident)
        self.devices = NodeDevicesController(ident)

    @expose.expose(None, body=types.jsontype, status_code=204)
    def action(self, body):
        """The original Valence node actions.

        ``{"Reset": {"Type": ...}}`` and ``{"Boot": {"Enabled": ...,
        "Target": ...}}`` act at once, as the pod allows (204);
        ``{"attach": {"resource_id": ...}}`` and ``{"detach": ...}`` start
        in the background (202, with the node).
        """
        context = pecan.request.context
        node = get_visible(context, self.ident)
        body = validation.validate(ACTION_SCHEMA, body)
        target = ownership.target(node.project_id)
        rpcapi = pecan.request.rpcapi
        if 'attach' in body or 'detach' in body:
            change = attach if 'attach' in body else detach
            ref = body.get('attach') or body.get('detach')
            return wsme_api.Response(
                convert(change(context, node, ref['resource_id'])),
                status_code=202, return_type=types.jsontype)
        if 'Reset' in body:
            policy.authorize('valence:node:set_power', context, target)
            rpcapi.set_power(context, node, body['Reset']['Type'])
        else:
            policy.authorize('valence:node:set_boot', context, target)
            boot = body['Boot']
            rpcapi.set_boot(context, node, boot['Enabled'],
                            boot.get('Target'))

    @expose.expose(types.jsontype, body=types.jsontype, status_code=202)
    def register(self, body=None):
        """Register an available node in Ironic, or update its registration.

        Every field is optional: ``driver``, ``driver_info``,
        ``properties``, ``resource_class``, ``name``, ``provide``. Answers
        202 with the node (``registering``) and its ``Location``; it is
        ``available`` again with ``ironic_node_uuid`` once registered, or
        with ``last_error``.
        """
        context, node, body = self._ironic_request(
            'valence:node:register', REGISTER_SCHEMA, body)
        return self._accepted(
            pecan.request.rpcapi.register_node(context, node, body))

    @expose.expose(types.jsontype, body=types.jsontype, status_code=202)
    def unregister(self, body=None):
        """Remove a node from Ironic; ``{"force": true}`` even a deployed
        one. Answers 202 with the node (``unregistering``)."""
        context, node, body = self._ironic_request(
            'valence:node:unregister', UNREGISTER_SCHEMA, body)
        return self._accepted(pecan.request.rpcapi.unregister_node(
            context, node, body.get('force', False)))

    def _ironic_request(self, rule, schema, body):
        """(context, node, body) of a register or unregister request; the
        body may be left out."""
        context = pecan.request.context
        node = get_visible(context, self.ident)
        policy.authorize(rule, context, ownership.target(node.project_id))
        body = validation.validate(schema, {} if body is None else body)
        return context, node, body

    @staticmethod
    def _accepted(node):
        pecan.response.location = link.build_url('nodes', node.uuid)
        return convert(node)


class NodesController(rest.RestController):

    _custom_actions = {'manage': ['POST']}

    @pecan.expose()
    def _lookup(self, ident, *remainder):
        if remainder and remainder[0] in ('action', 'actions', 'devices',
                                          'register', 'unregister'):
            return NodeController(ident), remainder
        return None

    # Unknown query parameters are refused by check_query, with the list
    # of valid ones.
    @expose.expose(types.jsontype, int, wtypes.text, wtypes.text,
                   wtypes.text, ignore_extra_args=True)
    def get_all(self, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """List nodes, filtered by state, pod manager, flavor, project."""
        context = pecan.request.context
        collection.check_query(FILTERS)
        query = pecan.request.GET
        project_id = ownership.list_project(context, query.get('project_id'))
        policy.authorize('valence:node:list', context,
                         ownership.target(project_id or context.project_id))
        limit = collection.limit(limit)
        sort_key, sort_dir = collection.sort(sort_key, sort_dir, SORTABLE)
        filters = {}
        for name, db_name in (('state', 'state'), ('podm_id', 'podm_uuid'),
                              ('flavor_id', 'flavor_id'), ('name', 'name')):
            if query.get(name) is not None:
                filters[db_name] = query[name]
        managed = _bool('managed', query.get('managed'))
        if managed is not None:
            filters['managed'] = managed
        if project_id is not None:
            filters['project_id'] = project_id
        detail = _bool('detail', query.get('detail')) or False
        nodes = objects.Node.list(context, filters=filters, limit=limit,
                                  marker=marker, sort_key=sort_key,
                                  sort_dir=sort_dir)
        page = {'nodes': [convert(n, detail) for n in nodes]}
        if len(nodes) == limit:
            params = {k: query[k] for k in FILTERS if k in query}
            params.update(sort_key=sort_key, sort_dir=sort_dir)
            page['next'] = collection.next_link('nodes', nodes, limit,
                                                params)
        return page

    @expose.expose(types.jsontype, wtypes.text, wtypes.text)
    def get_one(self, ident, refresh=None):
        """Show a node; ``refresh=true`` reads it from its pod first."""
        context = pecan.request.context
        node = get_visible(context, ident)
        policy.authorize('valence:node:get', context,
                         ownership.target(node.project_id))
        if _bool('refresh', refresh):
            node = pecan.request.rpcapi.refresh_node(context, node)
        return convert(node)

    @expose.expose(types.jsontype, body=types.jsontype, status_code=202)
    def post(self, body):
        """Compose a node from a flavor or from properties.

        The node is placed on a pod (``podm_id`` pins one) and recorded as
        ``composing``; answers 202 with the node and its ``Location``. When
        no pod can compose it, answers 422 saying why for each pod.
        """
        context = pecan.request.context
        policy.authorize('valence:node:create', context,
                         ownership.target(context.project_id))
        body = validation.validate(COMPOSE_SCHEMA,
                                   flavors.with_integers(body))
        if 'flavor_id' in body and 'properties' in body:
            raise exception.Invalid(
                reason='give either flavor_id or properties, not both.')
        properties = body.get('properties') or {}
        flavor_id = None
        if 'flavor_id' in body:
            flavor = flavors.get_visible(context, body['flavor_id'])
            properties, flavor_id = flavor.properties or {}, flavor.uuid
        podm = None
        if body.get('podm_id'):
            podm = objects.PodManager.get(context, body['podm_id'])
        node = objects.Node(
            context, uuid=uuidutils.generate_uuid(), name=body.get('name'),
            description=body.get('description'), flavor_id=flavor_id,
            requested={'properties': properties}, state=states.COMPOSING,
            project_id=context.project_id, user_id=context.user_id,
            managed=False)
        node = pecan.request.rpcapi.compose_node(context, node, podm)
        pecan.response.location = link.build_url('nodes', node.uuid)
        return convert(node)

    @expose.expose(types.jsontype, wtypes.text, status_code=202)
    def delete(self, ident):
        """Decompose a node on its pod and remove it; answers 202."""
        context = pecan.request.context
        node = get_visible(context, ident)
        policy.authorize('valence:node:delete', context,
                         ownership.target(node.project_id))
        return convert(pecan.request.rpcapi.delete_node(context, node))

    @expose.expose(types.jsontype, body=types.jsontype, status_code=201)
    def manage(self, body):
        """Import a node a pod composed outside Valence (``node_index``).

        ``podm_id`` may be left out when there is one pod manager.
        """
        context = pecan.request.context
        policy.authorize('valence:node:manage', context)
        body = validation.validate(MANAGE_SCHEMA, body)
        if body.get('podm_id'):
            podm = objects.PodManager.get(context, body['podm_id'])
        else:
            podms = objects.PodManager.list(context, limit=2)
            if len(podms) != 1:
                raise exception.InvalidParameterValue(
                    field='podm_id', reason='this field is required when '
                    'there is not exactly one pod manager')
            podm = podms[0]
        node = objects.Node(
            context, uuid=uuidutils.generate_uuid(), name=body.get('name'),
            description=body.get('description'), podmanager_id=podm.id,
            podm_uuid=podm.uuid, project_id=body.get('project_id'),
            user_id=context.user_id, state=states.AVAILABLE)
        node = pecan.request.rpcapi.manage_node(context, node,
                                                str(body['node_index']))
        pecan.response.location = link.build_url('nodes', node.uuid)
        return convert(node)
