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

"""WSME types shared by the API resources."""

from oslo_utils import uuidutils
from wsme import types as wtypes


class JsonType(wtypes.UserType):
    """Any JSON document, passed through; bodies are checked by schemas."""

    basetype = wtypes.text
    name = 'json'

    @staticmethod
    def validate(value):
        return value

    @staticmethod
    def frombasetype(value):
        return value


class UuidOrNameType(wtypes.UserType):
    basetype = wtypes.text
    name = 'uuid_or_name'


jsontype = JsonType()
uuid_or_name = UuidOrNameType()


def is_uuid(value):
    return uuidutils.is_uuid_like(value)
