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

import threading

from sushy import exceptions as sushy_exc

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers import redfish
from valence.podmanagers.redfishv1 import attach
from valence.podmanagers.redfishv1 import compose
from valence.podmanagers.redfishv1 import endpoints
from valence.podmanagers.redfishv1 import inventory
from valence.podmanagers.redfishv1 import nodes
from valence.podmanagers.redfishv1 import resources

# Kept here too: it was this module's, and tests and callers use it.
nodes_link = nodes.nodes_link


class RedfishV1Driver(base.PodManagerDriver):
    """An RSD pod manager: composed nodes behind the root's ``Nodes``.

    One sushy connection (and so one HTTP session, and one Redfish session
    when the pod manager's auth type is ``session``) serves every call; it
    is opened on first use and kept until ``close``.
    """

    def __init__(self, connection):
        super().__init__(connection)
        self._lock = threading.Lock()
        self._client = None
        self._index = None

    # -- connection ----------------------------------------------------------

    @property
    def client(self):
        with self._lock:
            if self._client is None:
                try:
                    root = redfish.connect(self.connection)
                except (sushy_exc.SushyError, ValueError) as e:
                    raise redfish.pod_error(e, self.connection) from None
                self._client = resources.Client(self.connection, root)
            return self._client

    @property
    def session(self):
        """The requests.Session every request of this driver goes through."""
        return self.client.session

    def close(self):
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _nodes_uri(self):
        uri = nodes.nodes_link(self.client.root)
        if uri is None:
            raise exception.PodManagerError(
                reason='%s is not an RSD pod manager: its service root '
                       'links no Nodes' % self.connection.url)
        return uri

    def _endpoints(self):
        """The endpoint index, read from the fabrics on first need."""
        if self._index is None:
            self._index = endpoints.read_index(self.client)
        return self._index

    def _node(self, node_uri):
        return self.client.get(node_uri)

    # -- interface -----------------------------------------------------------

    def get_status(self):
        return redfish.check_service(self.connection, nodes_link, 'Nodes',
                                     'an RSD pod manager')

    def get_inventory(self):
        reader = inventory.Reader(self.client, nodes.nodes_link(
            self.client.root))
        result = reader.read()
        self._index = reader.index
        return result

    def compose(self, request, record_step):
        return compose.Composition(self.client, self._nodes_uri(),
                                   self._endpoints(), request,
                                   record_step).run()

    def get_node(self, node_uri):
        return nodes.read(self.client, node_uri, self._endpoints())

    def list_nodes(self):
        return self.client.member_uris(self._nodes_uri())

    def find_node(self, node_index):
        wanted = str(node_index).strip('/')
        for uri in self.list_nodes():
            if uri.rstrip('/').rsplit('/', 1)[-1] == wanted:
                return uri
        raise exception.PodResourceNotFound(
            uri='composed node %s' % node_index)

    def delete_node(self, node_uri):
        try:
            self.client.delete(node_uri)
        except exception.PodResourceNotFound:
            pass  # already gone: that is what was asked

    def set_power(self, node_uri, reset_type):
        node = self._node(node_uri)
        target = nodes.require_action(node, 'ComposedNode.Reset')
        allowed = nodes.allowable(self.client, node, 'ComposedNode.Reset',
                                  'ResetType')
        if allowed is not None and reset_type not in allowed:
            raise exception.PodRequestRefused(
                reason='node %s allows the reset types %s, not %s'
                % (node_uri, ', '.join(map(str, allowed)), reset_type))
        self.client.post(target, {'ResetType': reset_type})

    def set_boot(self, node_uri, enabled, target):
        node = self._node(node_uri)
        boot = node.get('Boot')
        if not isinstance(boot, dict):
            raise exception.PodRequestRefused(
                reason='node %s has no boot override' % node_uri)
        allowed_enabled = boot.get(
            'BootSourceOverrideEnabled@Redfish.AllowableValues',
            nodes.BOOT_ENABLED)
        if enabled not in allowed_enabled:
            raise exception.PodRequestRefused(
                reason='boot override "%s" is not one of %s'
                % (enabled, ', '.join(map(str, allowed_enabled))))
        allowed = nodes.boot_of(node)['allowed_targets']
        if target is not None and allowed and target not in allowed:
            raise exception.PodRequestRefused(
                reason='node %s can boot from %s, not %s'
                % (node_uri, ', '.join(map(str, allowed)), target))
        wanted = {'BootSourceOverrideEnabled': enabled}
        if target is not None:
            wanted['BootSourceOverrideTarget'] = target
        # No If-Match: a node's ETag changes whenever any pooled device is
        # taken (its attach candidates change), and the boot override has
        # one writer, the conductor holding the node's lock.
        self.client.patch(node_uri, {'Boot': wanted})

    def list_attachable(self, node_uri):
        return attach.attachable(self.client, self._node(node_uri),
                                 self._endpoints())

    def attach_device(self, node_uri, device_uri):
        index = self._endpoints()
        attach.attach(self.client, self._node(node_uri), device_uri, index)
        return attach.needs_reboot(index, device_uri)

    def detach_device(self, node_uri, device_uri):
        index = self._endpoints()
        attach.detach(self.client, self._node(node_uri), device_uri, index)
        return attach.needs_reboot(index, device_uri)
