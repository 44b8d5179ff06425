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
from oslo_versionedobjects import fields

from valence.db import api as db_api
from valence.objects import base


@base.ValenceObjectRegistry.register
class Conductor(base.TimestampedObject, base.ValenceObject):
    """A conductor process: its host name, drivers and last heartbeat."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    dbapi = db_api.get_instance()

    fields = {
        'id': fields.IntegerField(),
        'hostname': fields.StringField(),
        'drivers': fields.ListOfStringsField(),
        'online': fields.BooleanField(),
        'heartbeat_at': fields.DateTimeField(),
        **base.TimestampedObject.fields,
    }

    @classmethod
    def register(cls, context, hostname, drivers):
        return cls._from_db_object(
            context, cls.dbapi.register_conductor(hostname, drivers))

    @classmethod
    def list(cls, context, alive_within=None):
        """All conductors, or those whose heartbeat is this recent."""
        return cls._from_db_object_list(
            context, cls.dbapi.list_conductors(alive_within=alive_within))

    def is_alive(self, timeout):
        """Whether its last heartbeat is at most ``timeout`` seconds old."""
        return self.online and not timeutils.is_older_than(
            self.heartbeat_at, timeout)

    def touch(self):
        self.dbapi.touch_conductor(self.hostname)

    def unregister(self):
        self.dbapi.unregister_conductor(self.hostname)
