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

"""The conductor's RPC endpoint. Each method hands over to a flow."""

import oslo_messaging as messaging

from valence.common import exception
from valence.conductor import drivers
from valence.conductor import pod_managers

# Errors that are the caller's, not the conductor's: oslo.messaging logs
# them briefly instead of with a traceback.
CALLER_ERRORS = (exception.Invalid, exception.NotFound, exception.Conflict)


class ConductorManager:
    """Receives RPC calls; see ``rpcapi.ConductorAPI`` for the versions."""

    RPC_API_VERSION = '1.0'

    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host):
        self.host = host
        self.drivers = drivers.DriverCache()

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def create_pod_manager(self, context, pod_manager):
        return pod_managers.create(context, pod_manager, self.drivers,
                                   self.host)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def update_pod_manager(self, context, pod_manager):
        return pod_managers.update(context, pod_manager, self.drivers,
                                   self.host)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def delete_pod_manager(self, context, podm_uuid):
        pod_managers.delete(context, podm_uuid, self.drivers)
