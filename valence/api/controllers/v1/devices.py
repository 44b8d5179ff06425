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

"""/v1/devices: pooled PCIe devices (GPUs, NVMe drives, NICs, FPGAs)."""

import pecan
from wsme import types as wtypes

from valence import objects
from valence.api import expose
from valence.api import validation
from valence.api.controllers import types
from valence.api.controllers.v1 import inventory
from valence.common import policy

SYNC_SCHEMA = {
    'type': ['object', 'null'],
    'properties': {'podm_id': {'type': 'string', 'minLength': 1,
                               'maxLength': 255}},
    'additionalProperties': False,
}


class Device(inventory.AllocatableItem):
    _RESOURCE = 'devices'

    type = wtypes.text
    """GPU, NVMe, NIC, FPGA, SSD or Other."""
    vendor = wtypes.text
    model = wtypes.text
    zone_uri = wtypes.text
    properties = {wtypes.text: types.jsontype}
    """What else the pod says of it (capacity, MAC address...)."""



class SyncRequest(wtypes.Base):
    podm_id = wtypes.text
    name = wtypes.text


class SyncAnswer(wtypes.Base):
    pod_managers = [SyncRequest]
    """The pod managers whose pods are being read."""


class DevicesController(inventory.InventoryController):
    OBJECT = objects.Device
    ITEM = Device
    FIELD = 'devices'
    POLICY = 'valence:device'
    FILTERS = {**inventory.common_filters(),
               **inventory.filters('type', 'vendor', 'model')}
    SORT_KEYS = inventory.COMMON_SORT_KEYS + ('type', 'state', 'vendor',
                                              'model')

    _custom_actions = {'sync': ['POST']}

    @inventory.expose_list()
    def get_all(self, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """List devices, filtered by type, state, node, rack, pod..."""
        return self._list(limit, marker, sort_key, sort_dir)

    @inventory.expose_show()
    def get_one(self, uuid):
        return self._show(uuid)

    @expose.expose(SyncAnswer, body=types.jsontype, status_code=202)
    def sync(self, body=None):
        """Read the inventory of every pod, or of one (``podm_id``).

        The conductors serving the pod managers do the reading; answers 202
        with the pod managers whose sync started.
        """
        context = pecan.request.context
        policy.authorize('valence:device:sync', context)
        body = validation.validate(SYNC_SCHEMA, body or {})
        if body.get('podm_id'):
            podms = [objects.PodManager.get(context, body['podm_id'])]
        else:
            podms = objects.PodManager.list(context)
        rpcapi = pecan.request.rpcapi
        for podm in podms:
            rpcapi.sync_pod_manager(context, podm)
        return SyncAnswer(pod_managers=[
            SyncRequest(podm_id=p.uuid, name=p.name) for p in podms])
