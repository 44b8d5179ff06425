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
* 1.2 - Added compose_node, continue_compose, delete_node, manage_node,
  set_power, set_boot and refresh_node.
* 1.3 - Added attach_device and detach_device.
* 1.4 - Added register_node and unregister_node.
"""

import oslo_messaging as messaging

from valence import conf
from valence import objects
from valence.common import exception
from valence.common import rpc
from valence.conductor import hash_ring
from valence.objects import base as objects_base

TOPIC = 'valence-conductor'


class ConductorAPI:
    """One method per conductor operation, each pinned to a version."""

    RPC_API_VERSION = '1.4'

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

    def conductor_for(self, podm):
        """The host name of the live conductor serving this pod manager,
        or None when no live conductor has its driver."""
        try:
            return self.ring.host_for(podm.uuid, podm.driver)
        except (exception.NoConductorAvailable, exception.InvalidDriver):
            return None

    def _prepare(self, topic, version):
        # A bounded number of attempts while the broker is away: a request
        # fails with a 503 rather than hang until the broker returns.
        return self.client.prepare(topic=topic, version=version,
                                   retry=conf.CONF.rpc_send_retries)

    def _call(self, context, topic, version, method, **kwargs):
        client = self._prepare(topic, version)
        try:
            return client.call(context, method, **kwargs)
        except messaging.MessagingTimeout as e:
            raise exception.ConductorUnreachable(reason=type(e).__name__)
        except rpc.SEND_FAILURES:
            raise exception.BrokerUnavailable()

    def _cast(self, context, topic, version, method, **kwargs):
        client = self._prepare(topic, version)
        try:
            client.cast(context, method, **kwargs)
        except rpc.SEND_FAILURES:
            raise exception.BrokerUnavailable()

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
        self._cast(context, self.topic_for(podm), '1.1', 'sync_pod_manager',
                   podm_uuid=podm.uuid)

    def _any_topic(self):
        """A topic any live conductor listens on, for work not yet tied to
        a pod manager."""
        self.ring.drivers()  # NoConductorAvailable if there is none
        return TOPIC

    def _node_topic(self, context, node):
        if conf.CONF.rpc_transport == 'local':
            # The one conductor is this process's: no pod manager to read
            # to find out which.
            return TOPIC
        return self.topic_for(objects.PodManager.get_by_uuid(
            context, node.podm_uuid))

    def compose_node(self, context, node, podm=None):
        """Place and start composing a node; returns it. Since 1.2.

        Pinned to a pod manager, the call goes to its conductor; else any
        conductor places it and hands it to the pod's conductor.
        """
        topic = self.topic_for(podm) if podm else self._any_topic()
        return self._call(context, topic, '1.2', 'compose_node', node=node,
                          podm_uuid=podm.uuid if podm else None)

    def continue_compose(self, context, node_uuid, host):
        """Have conductor ``host`` compose a placed node (cast). Since
        1.2."""
        self._cast(context, '%s.%s' % (TOPIC, host), '1.2',
                   'continue_compose', node_uuid=node_uuid)

    def delete_node(self, context, node):
        """Start decomposing a node; returns it (deleting). Since 1.2."""
        return self._call(context, self._node_topic(context, node), '1.2',
                          'delete_node', node_uuid=node.uuid)

    def manage_node(self, context, node, node_index):
        """Import a pod's node; returns it. Since 1.2."""
        return self._call(context, self._node_topic(context, node), '1.2',
                          'manage_node', node=node, node_index=node_index)

    def set_power(self, context, node, reset_type):
        """Reset a node. Since 1.2."""
        return self._call(context, self._node_topic(context, node), '1.2',
                          'set_power', node_uuid=node.uuid,
                          reset_type=reset_type)

    def set_boot(self, context, node, enabled, target):
        """Set a node's boot override. Since 1.2."""
        return self._call(context, self._node_topic(context, node), '1.2',
                          'set_boot', node_uuid=node.uuid, enabled=enabled,
                          target=target)

    def refresh_node(self, context, node):
        """Read a node from its pod; returns it. Since 1.2."""
        return self._call(context, self._node_topic(context, node), '1.2',
                          'refresh_node', node_uuid=node.uuid)

    def attach_device(self, context, node, device_uuid):
        """Claim a device and start attaching it; returns the node. Since
        1.3."""
        return self._call(context, self._node_topic(context, node), '1.3',
                          'attach_device', node_uuid=node.uuid,
                          device_uuid=device_uuid)

    def detach_device(self, context, node, device_uuid):
        """Start detaching a device; returns the node. Since 1.3."""
        return self._call(context, self._node_topic(context, node), '1.3',
                          'detach_device', node_uuid=node.uuid,
                          device_uuid=device_uuid)

    def register_node(self, context, node, options):
        """Start registering a node in Ironic; returns it (registering).
        Since 1.4.

        :param options: the request's fields: driver, driver_info,
            properties, resource_class, name, provide.
        """
        return self._call(context, self._node_topic(context, node), '1.4',
                          'register_node', node_uuid=node.uuid,
                          options=options)

    def unregister_node(self, context, node, force=False):
        """Start removing a node from Ironic; returns it (unregistering).
        Since 1.4."""
        return self._call(context, self._node_topic(context, node), '1.4',
                          'unregister_node', node_uuid=node.uuid,
                          force=force)
