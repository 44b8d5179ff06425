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


from oslo_utils import timeutils
from oslo_utils import uuidutils
from oslo_versionedobjects import fields

from valence.db import api as db_api
from valence.objects import base
from valence.objects import fields as valence_fields
from valence.objects import notification

dbapi = db_api.get_instance()


@base.ValenceObjectRegistry.register
class Node(base.TimestampedObject, base.ValenceObject):
    """A composed node, built here from a pod's pools or imported.

    ``requested`` is what the node was composed from (a flavor's or the
    request's properties, and the pod resources the scheduler picked);
    ``composed`` is what the pod built: processor, memory, drives, NICs
    with MACs, attached devices, the system's pod URI, and what the pod
    allows for power and boot.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'description': fields.StringField(nullable=True),
        'podmanager_id': fields.IntegerField(),
        'podm_uuid': fields.UUIDField(),
        'pod_node_uri': fields.StringField(nullable=True),
        'flavor_id': fields.StringField(nullable=True),
        'requested': valence_fields.JsonField(nullable=True),
        'composed': valence_fields.JsonField(nullable=True),
        'state': fields.StringField(),
        'power_state': fields.StringField(nullable=True),
        'last_error': fields.StringField(nullable=True),
        'reservation': fields.StringField(nullable=True),
        'provision_driver': fields.StringField(nullable=True),
        'ironic_node_uuid': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'managed': fields.BooleanField(),
        **base.TimestampedObject.fields,
    }

    @classmethod
    def _from_row(cls, context, db_node, podm_uuid, obj=None):
        obj = obj if obj is not None else cls(context)
        for name in obj.fields:
            if name == 'podm_uuid':
                obj.podm_uuid = podm_uuid
            else:
                setattr(obj, name, getattr(db_node, name))
        obj._context = context
        obj.obj_reset_changes()
        return obj

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_row(context, *dbapi.get_node_by_uuid(uuid))

    @classmethod
    def get(cls, context, ident):
        """Find a node by its uuid, or by its name if that is unique."""
        if uuidutils.is_uuid_like(ident):
            return cls.get_by_uuid(context, ident)
        return cls._from_row(context, *dbapi.get_node_by_name(ident))

    @classmethod
    def list(cls, context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None):
        return [cls._from_row(context, *row) for row in dbapi.list_nodes(
            filters=filters, limit=limit, marker=marker, sort_key=sort_key,
            sort_dir=sort_dir)]

    @classmethod
    def list_orphaned(cls, context, states, alive_hosts, unreserved_before):
        """See db.api.list_orphaned_nodes."""
        return [cls._from_row(context, *row)
                for row in dbapi.list_orphaned_nodes(states, alive_hosts,
                                                     unreserved_before)]

    def create(self):
        values = self.obj_get_changes()
        values.pop('podm_uuid', None)
        self._from_row(self._context, *dbapi.create_node(values), obj=self)

    def save(self, states=None, reservation=None):
        """Write the changed fields; see db.api.update_node for the
        conditions."""
        updates = self.obj_get_changes()
        updates.pop('podm_uuid', None)
        if updates or states is not None:
            self.updated_at = dbapi.update_node(
                self.uuid, updates, states=states, reservation=reservation)
        self.obj_reset_changes()

    def refresh(self):
        self._from_row(self._context, *dbapi.get_node_by_uuid(self.uuid),
                       obj=self)

    def destroy(self):
        dbapi.destroy_node(self.uuid)

    @classmethod
    def reserve_by_uuid(cls, context, uuid, host):
        """Reserve the node for ``host``, then read it: what is read is
        what the holder of the reservation may rely on."""
        dbapi.reserve_node(uuid, host)
        return cls.get_by_uuid(context, uuid)

    def reserve(self, host):
        dbapi.reserve_node(self.uuid, host)
        self.refresh()

    def take_over(self, host):
        """Reserve the node from a conductor that is gone."""
        dbapi.take_over_node(self.uuid, host, self.reservation)
        self.refresh()

    def release(self, host):
        dbapi.release_node(self.uuid, host)

    def claim(self, kind, pod_uris):
        """Take free inventory for this node; all of it or none."""
        return dbapi.claim_inventory(kind, self.podmanager_id, pod_uris,
                                     self.id)

    def release_inventory(self):
        dbapi.release_inventory(self.id)


@base.ValenceObjectRegistry.register
class NodeAction(base.TimestampedObject, base.ValenceObject):
    """An operation on a node, or a step of one, and how it ended."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    IN_PROGRESS = 'in progress'
    SUCCESS = 'success'
    ERROR = 'error'

    fields = {
        'id': fields.IntegerField(),
        'node_uuid': fields.UUIDField(),
        'action': fields.StringField(),
        'step': fields.StringField(nullable=True),
        'request_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'conductor': fields.StringField(nullable=True),
        'started_at': fields.DateTimeField(),
        'finished_at': fields.DateTimeField(nullable=True),
        'result': fields.StringField(),
        'error': fields.StringField(nullable=True),
        **base.TimestampedObject.fields,
    }

    @classmethod
    def start(cls, context, node_uuid, action, conductor, step=None):
        return cls._from_db_object(context, dbapi.create_node_action({
            'node_uuid': node_uuid, 'action': action, 'step': step,
            'request_id': context.request_id, 'user_id': context.user_id,
            'project_id': context.project_id, 'conductor': conductor,
            'started_at': timeutils.utcnow(), 'result': cls.IN_PROGRESS}))

    def finish(self, error=None):
        self.finished_at = timeutils.utcnow()
        self.result = self.ERROR if error else self.SUCCESS
        self.error = error
        dbapi.update_node_action(self.id, {
            'finished_at': self.finished_at, 'result': self.result,
            'error': self.error})

    @classmethod
    def list(cls, context, node_uuid):
        return cls._from_db_object_list(context,
                                        dbapi.list_node_actions(node_uuid))


@base.ValenceObjectRegistry.register
class NodePayload(notification.NotificationPayloadBase):
    """What node notifications say: never credentials."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    SCHEMA = ('uuid', 'name', 'podm_uuid', 'pod_node_uri', 'flavor_id',
              'state', 'power_state', 'last_error', 'project_id', 'user_id',
              'managed', 'ironic_node_uuid', 'created_at', 'updated_at')

    fields = {
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'podm_uuid': fields.UUIDField(),
        'pod_node_uri': fields.StringField(nullable=True),
        'flavor_id': fields.StringField(nullable=True),
        'state': fields.StringField(),
        'power_state': fields.StringField(nullable=True),
        'last_error': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'managed': fields.BooleanField(),
        'ironic_node_uuid': fields.StringField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        # What the event is about, beyond the node itself: the reset type,
        # the device attached... as plain strings.
        'details': fields.DictOfNullableStringsField(nullable=True),
    }
