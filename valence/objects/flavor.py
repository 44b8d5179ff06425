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


@base.ValenceObjectRegistry.register
class Flavor(base.TimestampedObject, base.ValenceObject):
    """What a node is composed of: processor, memory, drives, NICs and
    pooled devices (``properties``, as the API validated them).

    A flavor is public when its ``project_id`` is None, else private to
    that project. Flavors are plain data that no pod sees: the API writes
    them itself, without the conductor.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    dbapi = db_api.get_instance()

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'properties': valence_fields.JsonField(),
        'project_id': fields.StringField(nullable=True),
        **base.TimestampedObject.fields,
    }

    @property
    def is_public(self):
        return self.project_id is None

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context,
                                   cls.dbapi.get_flavor_by_uuid(uuid))

    @classmethod
    def get(cls, context, ident):
        """Find a flavor by its uuid or its name."""
        if uuidutils.is_uuid_like(ident):
            return cls.get_by_uuid(context, ident)
        return cls._from_db_object(context,
                                   cls.dbapi.get_flavor_by_name(ident))

    @classmethod
    def list(cls, context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None, visible_to=None):
        """One page of flavors.

        :param visible_to: a project id: only the public flavors and the
            private ones of this project. None: every flavor.
        """
        return cls._from_db_object_list(
            context, cls.dbapi.list_flavors(
                filters=filters, limit=limit, marker=marker,
                sort_key=sort_key, sort_dir=sort_dir,
                visible_to=visible_to))

    def create(self):
        self._from_db_object(self._context,
                             self.dbapi.create_flavor(self.obj_get_changes()),
                             self)

    def save(self):
        """Write the changed fields."""
        updates = self.obj_get_changes()
        if updates:
            self._from_db_object(
                self._context, self.dbapi.update_flavor(self.uuid, updates),
                self)

    def destroy(self):
        """Delete the flavor; FlavorInUse while a node is composed from it."""
        self.dbapi.destroy_flavor(self.uuid)
        self.obj_reset_changes()
