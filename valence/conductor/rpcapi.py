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

"""Client side of the conductor RPC API.

Version history:

* 1.0 - Initial version: create_pod_manager, update_pod_manager,
  delete_pod_manager.
* 1.1 - Added sync_pod_manager.
"""

import oslo_messaging as messaging

from valence import conf
from valence.common import exception
from valence.common import rpc
from valence.conductor import hash_ring
from valence.objects import base as objects_base

TOPIC = 'valence-conductor'


class ConductorAPI:
    """One method per conductor operation, each pinned to a version."""

    RPC_API_VERSION = '1.1'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, version='1.0')
        self.client = rpc.get_client(
            conf.CONF, target, objects_base.ValenceObjectSerializer(),
            version_cap=self.RPC_API_VERSION)
        self.ring = hash_ring.HashRingManager()

    def available_drivers(self):
        return self.ring.drivers()

    def topic_for(self, podm):
        """The topic of the conductor serving this pod manager."""
        return '%s.%s' % (TOPIC, self.ring.host_for(podm.uuid, podm.driver))

    def _call(self, context, topic, version, method, **kwargs):
        client = self.client.prepare(topic=topic, version=version)
        try:
            return client.call(context, method, **kwargs)
        except (messaging.MessagingTimeout,
                messaging.MessageDeliveryFailure) as e:
            raise exception.ConductorUnreachable(reason=type(e).__name__)

    def create_pod_manager(self, context, podm):
        """Check a new pod manager's pod and record it. Since 1.0."""
        return self._call(context, self.topic_for(podm), '1.0',
                          'create_pod_manager', pod_manager=podm)

    def update_pod_manager(self, context, podm):
        """Write a pod manager's changes, checking its pod again if its
        connection changed. Since 1.0."""
        return self._call(context, self.topic_for(podm), '1.0',
                          'update_pod_manager', pod_manager=podm)

    def delete_pod_manager(self, context, podm):
        """Remove a pod manager without composed nodes. Since 1.0."""
        return self._call(context, self.topic_for(podm), '1.0',
                          'delete_pod_manager', podm_uuid=podm.uuid)

    def sync_pod_manager(self, context, podm):
        """Read a pod's inventory in the background (cast). Since 1.1."""
        client = self.client.prepare(topic=self.topic_for(podm),
                                     version='1.1')
        client.cast(context, 'sync_pod_manager', podm_uuid=podm.uuid)
