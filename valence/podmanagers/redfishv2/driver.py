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

"""Driver for DMTF Redfish Composition Services."""

from valence.podmanagers import base
from valence.podmanagers import redfish


class RedfishV2Driver(base.PodManagerDriver):
    """A DMTF Redfish service with a CompositionService."""

    def get_status(self):
        return redfish.check_service(
            self.connection, lambda root: root.get('CompositionService'),
            'CompositionService', 'a Redfish composition service')
