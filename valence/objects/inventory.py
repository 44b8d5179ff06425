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

"""What the pods hold, as their last sync read it.

Inventory is read-only for everyone but the sync, which replaces a pod
manager's rows with what its pod reports (``apply``). Each object carries
the uuids of its pod manager, of the Valence node it belongs to and of
the rack it sits in, so that the API can show and filter by them.
"""

from oslo_versionedobjects import fields

from valence.db import api as db_api
from valence.objects import base
from valence.objects import fields as valence_fields

dbapi = db_api.get_instance()


def apply(context, podm_id, inventory):
    """Replace a pod manager's inventory rows; returns the change counts.

    :param inventory: ``{kind: [record dicts]}`` (see db.api).
    """
    return dbapi.apply_inventory(podm_id, inventory)


class InventoryObject(base.TimestampedObject, base.ValenceObject):
    """Base of the inventory objects; KIND is the table."""

    KIND = None

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'podm_uuid': fields.UUIDField(),
        'pod_uri': fields.StringField(),
        'name': fields.StringField(nullable=True),
        **base.TimestampedObject.fields,
    }

    @classmethod
    def _from_row(cls, context, db_obj, podm_uuid, node_uuid, rack_uuid):
        obj = cls(context)
        references = {'podm_uuid': podm_uuid, 'node_uuid': node_uuid,
                      'rack_uuid': rack_uuid}
        for name in obj.fields:
            if name in references:
                setattr(obj, name, references[name])
            else:
                setattr(obj, name, getattr(db_obj, name))
        obj.obj_reset_changes()
        return obj

    @classmethod
    def list(cls, context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None):
        rows = dbapi.list_inventory(cls.KIND, filters=filters, limit=limit,
                                    marker=marker, sort_key=sort_key,
                                    sort_dir=sort_dir)
        return [cls._from_row(context, *row) for row in rows]

    @classmethod
    def get_by_uuid(cls, context, uuid):
        return cls._from_row(context,
                             *dbapi.get_inventory_item(cls.KIND, uuid))

    @classmethod
    def find_by_pod_uri(cls, context, podm_uuid, pod_uri):
        """The item at ``pod_uri`` of a pod manager, or None."""
        row = dbapi.find_inventory_item_by_pod_uri(cls.KIND, podm_uuid,
                                                   pod_uri)
        return cls._from_row(context, *row) if row is not None else None


class AllocatableObject(InventoryObject):
    """Inventory a node can hold: free, allocated or unavailable."""

    def change(self, values, expected):
        """Write ``values`` if the row still matches ``expected``.

        :returns: whether it did; the object then has the new values.
        """
        if not dbapi.update_inventory_item(self.KIND, self.uuid, values,
                                           expected):
            return False
        for name, value in values.items():
            if name in self.fields:
                setattr(self, name, value)
        self.obj_reset_changes()
        return True

    fields = {
        **InventoryObject.fields,
        'state': fields.StringField(),
        'pod_node_uri': fields.StringField(nullable=True),
        'node_uuid': fields.UUIDField(nullable=True),
        'rack_uri': fields.StringField(nullable=True),
        'rack_uuid': fields.UUIDField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class Rack(InventoryObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'racks'

    fields = {
        **InventoryObject.fields,
        'chassis_type': fields.StringField(nullable=True),
        'parent_uri': fields.StringField(nullable=True),
        'location': fields.StringField(nullable=True),
        'manufacturer': fields.StringField(nullable=True),
        'model': fields.StringField(nullable=True),
        'serial_number': fields.StringField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class System(AllocatableObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'systems'

    fields = {
        **AllocatableObject.fields,
        'hw_uuid': fields.StringField(nullable=True),
        'manufacturer': fields.StringField(nullable=True),
        'model': fields.StringField(nullable=True),
        'processor_model': fields.StringField(nullable=True),
        'processors': fields.IntegerField(),
        'cores': fields.IntegerField(),
        'arch': fields.StringField(nullable=True),
        'memory_mib': fields.IntegerField(),
        'local_gb': fields.IntegerField(),
        'mac_addresses': fields.ListOfStringsField(nullable=True),
        'power_state': fields.StringField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class Storage(AllocatableObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'storages'

    fields = {
        **AllocatableObject.fields,
        'kind': fields.StringField(),
        'capacity_gib': fields.IntegerField(),
        'protocol': fields.StringField(nullable=True),
        'media_type': fields.StringField(nullable=True),
        'vendor': fields.StringField(nullable=True),
        'model': fields.StringField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class Device(AllocatableObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'devices'

    fields = {
        **AllocatableObject.fields,
        'type': fields.StringField(),
        'vendor': fields.StringField(nullable=True),
        'model': fields.StringField(nullable=True),
        'zone_uri': fields.StringField(nullable=True),
        'properties': valence_fields.JsonField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class ResourceBlock(AllocatableObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'resource_blocks'

    fields = {
        **AllocatableObject.fields,
        'block_types': fields.ListOfStringsField(nullable=True),
        'zone_uris': fields.ListOfStringsField(nullable=True),
        'reserved': fields.BooleanField(),
        'sharing_capable': fields.BooleanField(),
    }


@base.ValenceObjectRegistry.register
class ResourceZone(InventoryObject):
    # Version 1.0: Initial version
    VERSION = '1.0'
    KIND = 'resource_zones'

    fields = {
        **InventoryObject.fields,
        'block_uris': fields.ListOfStringsField(nullable=True),
    }


@base.ValenceObjectRegistry.register
class InventorySyncPayload(base.ValenceObject):
    """What ``valence.inventory.sync.*`` notifications say."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'podm_uuid': fields.UUIDField(),
        'podm_name': fields.StringField(),
        'added': fields.IntegerField(nullable=True),
        'updated': fields.IntegerField(nullable=True),
        'removed': fields.IntegerField(nullable=True),
        'error': fields.StringField(nullable=True),
    }
