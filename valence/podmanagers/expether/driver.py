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

"""Driver for NEC ExpEther managers (the EEM REST API).

Servers (EESV) and pooled I/O devices (EEIO) are EEM devices, named
``devices/<id>``. Attaching a device to a server is putting it in the
server's group; a composed node is a server in a group of its own, named
by the server's URI. ExpEther has no power or boot control: those stay
unsupported.
"""

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.expether import claims
from valence.podmanagers.expether import client
from valence.podmanagers.expether import compose
from valence.podmanagers.expether import inventory

SERVER_DETAILS = 'devices/detail?status=' + inventory.SERVER
IO_DEVICE_DETAILS = 'devices/detail?status=' + inventory.IO_DEVICE
_KINDS = {inventory.SERVER: 'a server (EESV)',
          inventory.IO_DEVICE: 'an I/O device (EEIO)'}


class ExpEtherDriver(base.PodManagerDriver):
    """An ExpEther manager: servers (EESV) and I/O devices (EEIO)."""

    def __init__(self, connection):
        super().__init__(connection)
        self.eem = client.EEMClient(connection)
        # Every request of the driver goes through this session.
        self.session = self.eem.session
        self.claims = claims.Claims()

    def close(self):
        self.eem.close()

    # -- status and inventory -----------------------------------------------

    def get_status(self):
        try:
            document = self.eem.get('api_version')
        except exception.PodManagerUnreachable as e:
            return base.PodStatus.offline(str(e))
        except exception.PodResourceNotFound:
            return base.PodStatus.error(
                '%s/api_version is not found: is this the URL of an '
                'ExpEther manager (ending in /eem)?' % self.eem.display_url)
        except exception.PodManagerError as e:
            return base.PodStatus.error(str(e))
        if 'api_version' not in document:
            return base.PodStatus.error(
                '%s/api_version did not answer as an ExpEther manager.'
                % self.eem.display_url)
        return base.PodStatus.online()

    def get_inventory(self):
        servers = self.eem.devices(SERVER_DETAILS)
        io_devices = self.eem.devices(IO_DEVICE_DETAILS)
        with client.gc_paused():
            systems, owners = inventory.parse_servers(servers)
            devices = inventory.parse_io_devices(io_devices, owners)
        return base.Inventory(systems=systems, devices=devices)

    # -- composed nodes -----------------------------------------------------

    def compose(self, request, record_step):
        return compose.Composition(self.eem, self.claims, request,
                                   record_step).run()

    def get_node(self, node_uri):
        detail = self._server(node_uri)
        group = inventory.server_group(detail)
        if group == inventory.SERVER_GROUP:
            raise exception.PodResourceNotFound(
                'The pod manager has no composed node %s: the server is in '
                'its default group' % node_uri, uri=node_uri)
        return inventory.pod_node(
            detail, [inventory.device_uri(i) for i in self._group(group)])

    def list_nodes(self):
        systems, _owners = inventory.parse_servers(
            self.eem.devices(SERVER_DETAILS))
        return [s.uri for s in systems if s.node_uri is not None]

    def find_node(self, node_index):
        dev_id = str(node_index)
        uri = inventory.device_uri(dev_id)
        if inventory.device_id(uri) != dev_id:
            raise exception.PodResourceNotFound(uri=uri)
        detail = self._server(uri)
        if inventory.server_group(detail) == inventory.SERVER_GROUP:
            raise exception.PodResourceNotFound(
                'Server %s of the pod manager is not a composed node: it is '
                'in its default group; compose it instead' % dev_id,
                uri=uri)
        return uri

    def delete_node(self, node_uri):
        try:
            detail = self._server(node_uri)
        except exception.PodResourceNotFound:
            return
        group = inventory.server_group(detail)
        if group == inventory.SERVER_GROUP:
            return
        for dev_id in self._group(group):
            try:
                self.eem.delete_group(dev_id)
            except exception.PodResourceNotFound:
                pass
        # Back in its default group the server is free again; while a
        # device could not be released it stays, so a retry finds it.
        self.eem.delete_group(detail['id'])

    # -- devices ------------------------------------------------------------

    def list_attachable(self, node_uri):
        detail = self._server(node_uri)
        group = inventory.server_group(detail)
        limit = inventory.max_io_devices(detail)
        if (group != inventory.SERVER_GROUP and limit is not None
                and len(self._group(group)) >= limit):
            return []
        free = self.eem.devices(compose.FREE_IO_DEVICES)
        return [d.uri for d in inventory.parse_io_devices(free, {})
                if d.state == base.FREE]

    def attach_device(self, node_uri, device_uri):
        # Read and claim under the claims' lock, so that no other request
        # of this driver changes the server or the device in between.
        with self.claims.choosing() as claimed:
            server = self._server(node_uri)
            device = inventory.parse_io_device(self._io_device(device_uri),
                                               {})
            uris = [inventory.device_uri(server['id']), device.uri]
            busy = [u for u in uris if u in claimed]
            if busy:
                raise exception.PodRequestRefused(
                    reason='%s is being changed by another request'
                    % ', '.join(busy))
            group = inventory.server_group(server)
            device_group = device.properties['group_id']
            if group != inventory.SERVER_GROUP and device_group == group:
                return True
            if device.state == base.UNAVAILABLE:
                raise exception.PodRequestRefused(
                    reason='%s is unavailable: its ExpEther link is down'
                    % device_uri)
            if device_group != inventory.FREE_GROUP:
                raise exception.PodRequestRefused(
                    reason='%s is attached to another server (group %s)'
                    % (device_uri, device_group))
            claimed.update(uris)
        try:
            if group == inventory.SERVER_GROUP:
                # A server alone in its default group gets a group of its
                # own first.
                group = self.eem.put_group(server['id'], None)
            else:
                self._check_room(node_uri, server, group)
            self.eem.put_group(device.name, group)
        finally:
            self.claims.release(uris)
        # The server sees a new PCIe device only after a reboot.
        return True

    def detach_device(self, node_uri, device_uri):
        server = self._server(node_uri)
        device = self._io_device(device_uri)
        group = inventory.server_group(server)
        device_group = inventory.parse_io_device(
            device, {}).properties['group_id']
        if device_group == inventory.FREE_GROUP:
            # Already released (a retry, or someone else did it): the node
            # has it no more, which is what was asked.
            return True
        if group == inventory.SERVER_GROUP or device_group != group:
            raise exception.PodRequestRefused(
                reason='%s is not attached to %s: it is in group %s'
                % (device_uri, node_uri, device_group))
        self.eem.delete_group(device['id'])
        # The server forgets a PCIe device only after a reboot.
        return True

    # -- helpers ------------------------------------------------------------

    def _device(self, uri, kind):
        dev_id = inventory.device_id(uri)
        if dev_id is None:
            raise exception.PodResourceNotFound(uri=uri)
        detail = self.eem.device(dev_id)
        if detail.get('status') != kind:
            raise exception.PodRequestRefused(
                reason='%s is not %s' % (uri, _KINDS[kind]))
        return detail

    def _server(self, uri):
        return self._device(uri, inventory.SERVER)

    def _io_device(self, uri):
        return self._device(uri, inventory.IO_DEVICE)

    def _group(self, group):
        """Ids of the I/O devices in a group."""
        path = 'devices?status=%s&group_id=%s' % (inventory.IO_DEVICE, group)
        members = self.eem.devices(path)
        if not all(isinstance(d, dict) and isinstance(d.get('id'), str)
                   for d in members):
            raise exception.PodManagerError(
                reason='GET %s answered a device without an id' % path)
        return [d['id'] for d in members]

    def _check_room(self, node_uri, server, group):
        limit = inventory.max_io_devices(server)
        if limit is not None and len(self._group(group)) >= limit:
            raise exception.PodRequestRefused(
                reason='the group of %s already holds the maximum of %d I/O '
                'devices' % (node_uri, limit))
