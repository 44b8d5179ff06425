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

import hashlib

from oslo_utils import uuidutils
from oslo_versionedobjects import fields

from valence.common import crypto
from valence.db import api as db_api
from valence.objects import base
from valence.objects import fields as valence_fields
from valence.objects import notification


def _digest(password):
    if password is None:
        return None
    return hashlib.sha256(password.encode('utf-8')).hexdigest()


@base.ValenceObjectRegistry.register
class PodManager(base.TimestampedObject, base.ValenceObject):
    """A pod manager: the management service of a pod of pooled hardware.

    The password is a ``SecretStringField`` so that it never shows in a
    representation of the object; the API and notifications leave it out.
    It is stored encrypted (``valence.common.crypto``) and is not loaded
    with the rest of the object: it is decrypted when first read, which only
    a conductor does, so the API never needs the keys and objects sent over
    RPC carry a password only when a user has just set it.
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
    def _from_db_object(cls, context, db_obj, obj=None):
        obj = super()._from_db_object(context, db_obj, obj)
        # Left unset: obj_load_attr decrypts it if it is ever read.
        del obj.password
        obj._stored_password_digest = _digest(db_obj.password)
        return obj

    @property
    def password_digest(self):
        """A digest that changes whenever the password does.

        It tells a conductor whether a driver made earlier still holds the
        current password without decrypting it: Fernet gives every
        encryption its own ciphertext, so the digest of the stored password
        changes with each change, even one made within the same second. A
        password set but not yet saved gives the digest of itself.
        """
        if 'password' in self.obj_what_changed():
            return _digest(self.password)
        return getattr(self, '_stored_password_digest', None)

    def obj_load_attr(self, attrname):
        if attrname != 'password':
            return super().obj_load_attr(attrname)
        stored = self.dbapi.get_pod_manager_by_uuid(self.uuid).password
        self.password = crypto.decrypt(stored)
        self.obj_reset_changes(['password'])

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

    @classmethod
    def reencrypt_passwords(cls, context):
        """Encrypt every stored password again with the first key.

        Once a new key is first in the key file, this lets the older keys
        go; passwords still stored in clear get encrypted. A password that
        a user changes meanwhile is left as they set it. Returns how many
        passwords were rewritten.
        """
        count = 0
        for row in cls.dbapi.list_pod_managers():
            if row.password is None:
                continue
            if cls.dbapi.replace_pod_manager_password(
                    row.uuid, row.password, crypto.reencrypt(row.password)):
                count += 1
        return count

    def _changes_to_store(self):
        values = self.obj_get_changes()
        if 'password' in values:
            values['password'] = crypto.encrypt(values['password'])
        return values

    def create(self):
        values = self._changes_to_store()
        self._from_db_object(self._context,
                             self.dbapi.create_pod_manager(values), self)

    def save(self):
        """Write the changed fields."""
        updates = self._changes_to_store()
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
