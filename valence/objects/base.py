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

"""Base of the Valence versioned objects."""

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields


class ValenceObjectRegistry(ovo_base.VersionedObjectRegistry):
    pass


class ValenceObject(ovo_base.VersionedObject):
    """A versioned object of Valence.

    Every change to the fields or the remote-visible behaviour of an object
    bumps its ``VERSION``; the object fingerprint test fails until it does.
    """

    OBJ_SERIAL_NAMESPACE = 'valence_object'
    OBJ_PROJECT_NAMESPACE = 'valence'

    def as_dict(self):
        return {name: getattr(self, name) for name in self.fields
                if self.obj_attr_is_set(name)}

    @classmethod
    def _from_db_object(cls, context, db_obj, obj=None):
        """Fill ``obj`` (a new object by default) from a database row."""
        obj = obj if obj is not None else cls(context)
        for name in obj.fields:
            setattr(obj, name, getattr(db_obj, name))
        obj._context = context
        obj.obj_reset_changes()
        return obj

    @classmethod
    def _from_db_object_list(cls, context, db_objs):
        return [cls._from_db_object(context, db_obj) for db_obj in db_objs]


class TimestampedObject:
    """Creation and last change times, set by the database."""

    fields = {
        'created_at': ovo_fields.DateTimeField(nullable=True),
        'updated_at': ovo_fields.DateTimeField(nullable=True),
    }


class ValenceObjectSerializer(ovo_base.VersionedObjectSerializer):
    OBJ_BASE_CLASS = ValenceObject
