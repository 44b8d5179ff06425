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

"""openstack valence device list|show|sync: pooled PCIe devices."""

from osc_lib.command import command

from valence.osc.v1 import common
from valence.osc.v1 import inventory

COLUMNS = ('uuid', 'name', 'type', 'state', 'node_id', 'podm_id')
FIELDS = (inventory.COMMON_FIELDS + ('type', 'vendor', 'model')
          + inventory.ALLOCATABLE_FIELDS + ('zone_uri', 'properties')
          + inventory.TIMESTAMPS)
FILTERS = inventory.COMMON_FILTERS + inventory.ALLOCATABLE_FILTERS + (
    common.Filter('--type', 'type',
                  'Only devices of this type (GPU, NVMe, NIC, FPGA, SSD)'),
    common.Filter('--vendor', 'vendor', 'Only devices of this vendor'),
    common.Filter('--model', 'model', 'Only devices of this model'),
)


class ListDevice(common.ListCommand):
    """List the pooled devices of the pods."""

    WHAT = 'device'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_devices(**params)


class ShowDevice(common.ShowCommand):
    """Show a pooled device."""

    WHAT = 'device'
    FIELDS = FIELDS
    IDENT = 'uuid'

    def fetch(self, client, uuid):
        return client.get_device(uuid)


class SyncDevice(command.Lister):
    """Read the inventory of every pod, or of one, again.

    The pods are read in the background; a pod manager's last_sync_at
    shows when its inventory was last read.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--podm', metavar='<pod-manager>',
                            help='Only the pod of this pod manager (name '
                                 'or uuid)')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        answer = client.sync_devices(parsed_args.podm) or {}
        return common.listing(answer.get('pod_managers', []),
                              ('podm_id', 'name'))
