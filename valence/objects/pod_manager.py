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

from oslo_utils import uuidutils
from oslo_versionedobjects import fields

from valence.db import api as db_api
from valence.objects import base
from valence.objects import fields as valence_fields
from valence.objects import notification


@base.ValenceObjectRegistry.register
class PodManager(base.TimestampedObject, base.ValenceObject):
    """A pod manager: the management service of a pod of pooled hardware.

    The password is a ``SecretStringField`` so that it never shows in a
    representation of the object; the API and notifications leave it out.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    dbapi = db_api.get_instance()

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'url': fields.StringField(),
        'driver': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'auth_type': fields.StringField(),
        'username': fields.StringField(nullable=True),
        'password': valence_fields.SecretStringField(nullable=True),
        'verify_tls': fields.BooleanField(),
        'status': fields.StringField(),
        'status_reason': fields.StringField(nullable=True),
        'last_sync_at': fields.DateTimeField(nullable=True),
        'conductor_affinity': fields.StringField(nullable=True),
        **base.TimestampedObject.fields,
    }

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context,
                                   cls.dbapi.get_pod_manager_by_uuid(uuid))

    @classmethod
    def get_by_id(cls, context, podm_id):
        return cls._from_db_object(context,
                                   cls.dbapi.get_pod_manager_by_id(podm_id))

    @classmethod
    def get(cls, context, ident):
        """Find a pod manager by its uuid or its name."""
        if uuidutils.is_uuid_like(ident):
            return cls.get_by_uuid(context, ident)
        return cls._from_db_object(context,
                                   cls.dbapi.get_pod_manager_by_name(ident))

    @classmethod
    def list(cls, context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None):
        return cls._from_db_object_list(
            context, cls.dbapi.list_pod_managers(
                filters=filters, limit=limit, marker=marker,
                sort_key=sort_key, sort_dir=sort_dir))

    def create(self):
        values = self.obj_get_changes()
        self._from_db_object(self._context,
                             self.dbapi.create_pod_manager(values), self)

    def save(self):
        """Write the changed fields."""
        updates = self.obj_get_changes()
        if updates:
            self._from_db_object(
                self._context,
                self.dbapi.update_pod_manager(self.uuid, updates), self)

    def destroy(self):
        self.dbapi.destroy_pod_manager(self.uuid)
        self.obj_reset_changes()


@base.ValenceObjectRegistry.register
class PodManagerPayload(notification.NotificationPayloadBase):
    """What notifications say about a pod manager: never its credentials."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    SCHEMA = ('uuid', 'name', 'url', 'driver', 'description', 'verify_tls',
              'status', 'status_reason', 'last_sync_at', 'created_at',
              'updated_at')

    fields = {
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'url': fields.StringField(),
        'driver': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'verify_tls': fields.BooleanField(),
        'status': fields.StringField(),
        'status_reason': fields.StringField(nullable=True),
        'last_sync_at': fields.DateTimeField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
    }
