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

"""Driver for DMTF Redfish Composition Services.

Compute resource blocks are the pod's systems, every other block a pooled
device; a node is a composed ComputerSystem, named by its URI. Modules:
``client`` (HTTP), ``service`` (what the pod advertises), ``blocks`` and
``inventory`` (reading), ``compose`` (composing and rolling back),
``nodes`` (composed systems, power and boot) and ``devices`` (adding and
removing blocks of a live system).
"""

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.redfishv2 import client as http
from valence.podmanagers.redfishv2 import compose
from valence.podmanagers.redfishv2 import devices
from valence.podmanagers.redfishv2 import inventory
from valence.podmanagers.redfishv2 import nodes
from valence.podmanagers.redfishv2 import service as service_module


class RedfishV2Driver(base.PodManagerDriver):
    """A DMTF Redfish service with a CompositionService."""

    def __init__(self, connection):
        super().__init__(connection)
        self.client = http.Client(connection)
        self.service = service_module.Service(self.client)

    @property
    def session(self):
        """The requests.Session every request of this driver goes through."""
        return self.client.session

    def get_status(self):
        url = self.connection.url
        try:
            # The service root is public: reading Systems checks the
            # credentials too.
            root = self.client.get(self.client.root)[0]
            composition = root.get('CompositionService')
            if not isinstance(composition, dict):
                return base.PodStatus.error(
                    'The Redfish service at %s is not a Redfish composition '
                    'service: its service root has no CompositionService.'
                    % url)
            systems = root.get('Systems')
            if isinstance(systems, dict) and isinstance(
                    systems.get('@odata.id'), str):
                self.client.get(systems['@odata.id'])
        except exception.PodManagerUnreachable as e:
            if http.http_status(e) is None:
                return base.PodStatus.offline(
                    'Cannot connect to %s: %s' % (url, e.kwargs['reason']))
            return base.PodStatus.error(str(e))
        except exception.PodManagerError as e:
            if http.http_status(e) in (401, 403):
                return base.PodStatus.error(
                    'The pod manager at %s refused the credentials.' % url)
            return base.PodStatus.error(str(e))
        return base.PodStatus.online()

    def get_inventory(self):
        return inventory.read(self.service)

    def compose(self, request, record_step):
        return compose.compose(self.service, request, record_step)

    def get_node(self, node_uri):
        return nodes.get_node(self.service, node_uri)

    def list_nodes(self):
        return nodes.list_nodes(self.service)

    def find_node(self, node_index):
        return nodes.find_node(self.service, node_index)

    def delete_node(self, node_uri):
        nodes.delete_node(self.service, node_uri)

    def set_power(self, node_uri, reset_type):
        nodes.set_power(self.service, node_uri, reset_type)

    def set_boot(self, node_uri, enabled, target):
        nodes.set_boot(self.service, node_uri, enabled, target)

    def list_attachable(self, node_uri):
        return devices.list_attachable(self.service, node_uri)

    def attach_device(self, node_uri, device_uri):
        return devices.attach(self.service, node_uri, device_uri)

    def detach_device(self, node_uri, device_uri):
        return devices.detach(self.service, node_uri, device_uri)

    def close(self):
        self.client.close()
