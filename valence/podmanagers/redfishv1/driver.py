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


class RedfishV1Driver(base.PodManagerDriver):
    """An RSD pod manager: composed nodes under ``/redfish/v1/Nodes``."""

    def get_status(self):
        return redfish.check_service(self.connection, 'Nodes',
                                     'an RSD pod manager')
