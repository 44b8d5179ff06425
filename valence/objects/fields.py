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

from oslo_versionedobjects import fields

MASK = '***'


class SecretString(fields.String):
    """A string that never shows: representations print a mask."""

    @staticmethod
    def stringify(value):
        return MASK if value else repr(value)


class SecretStringField(fields.AutoTypedField):
    AUTO_TYPE = SecretString()


class Json(fields.FieldType):
    """Any JSON document: a pod's free-form properties."""

    @staticmethod
    def coerce(obj, attr, value):
        return value


class JsonField(fields.AutoTypedField):
    AUTO_TYPE = Json()
