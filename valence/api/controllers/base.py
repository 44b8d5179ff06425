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

"""Fields every API resource shows."""

import datetime

from wsme import types as wtypes


class APIBase(wtypes.Base):

    created_at = datetime.datetime
    """When the resource was created (UTC)."""

    updated_at = datetime.datetime
    """When the resource last changed (UTC), or null."""

    @classmethod
    def from_object(cls, obj, fields):
        """Copy ``fields`` (and timestamps) from a versioned object."""
        resource = cls()
        for name in (*fields, 'created_at', 'updated_at'):
            value = getattr(obj, name)
            if isinstance(value, datetime.datetime):
                # Whole seconds: what survives a trip through RPC, so an
                # answer does not depend on the way it came.
                value = value.replace(microsecond=0)
            setattr(resource, name, value)
        return resource
