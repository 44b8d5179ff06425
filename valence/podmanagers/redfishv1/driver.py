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

"""Driver for Intel Rack Scale Design (RSD 2.1 to 2.4) pod managers."""

from valence.podmanagers import base
from valence.podmanagers import redfish


def nodes_link(root):
    """The composed nodes collection of an RSD service root.

    RSD 2.1 to 2.3 link it at the top level; RSD 2.4 services may keep the
    service root within DMTF's schema and link it in their OEM section.
    """
    link = root.get('Nodes') or root.get('Oem', {}).get(
        'Intel_RackScale', {}).get('Nodes')
    return link.get('@odata.id') if isinstance(link, dict) else None


class RedfishV1Driver(base.PodManagerDriver):
    """An RSD pod manager: composed nodes behind the root's ``Nodes``."""

    def get_status(self):
        return redfish.check_service(self.connection, nodes_link, 'Nodes',
                                     'an RSD pod manager')
