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

"""Composing a node on an EEM: a free server and free I/O devices.

A free server (one in its default group 4094) is given a new group of its
own, which claims it, and the requested I/O devices join that group. When
any step fails, the devices that joined are released and the server goes
back to its default group.

Only I/O devices are chosen. Processor and memory requirements describe
the server itself, which the EEM does not report: they are checked when
the server's record knows them and ignored otherwise, as are local drives
and NICs. Zones and remote volumes do not exist on ExpEther and are
refused.
"""

from oslo_log import log

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.expether import inventory
from valence.podmanagers.expether import matching

LOG = log.getLogger(__name__)

FREE_SERVERS = 'devices/detail?status=eesv&group_id=' + inventory.SERVER_GROUP
FREE_IO_DEVICES = ('devices/detail?status=eeio&group_id=' +
                   inventory.FREE_GROUP)

# Errors after which the pod did not do what it was asked; any other may
# come after the EEM did it.
_NOT_DONE = (exception.PodRequestRefused, exception.PodResourceNotFound)


def _refused(reason):
    """A composition refused before the pod was changed."""
    return exception.CompositionFailed(reason=reason, cleaned_up=True)


def _check_supported(request):
    if request.zone_uri:
        raise _refused('ExpEther pods have no resource zones; %s cannot be '
                       'used' % request.zone_uri)
    if request.remote_drives:
        raise _refused('ExpEther pods have no remote volumes; ask for NVMe '
                       'devices instead')




class Composition:
    """One composition: what it chose, what it changed, how to undo it."""

    def __init__(self, eem, claims, request, record_step):
        self.eem = eem
        self.claims = claims
        self.request = request
        self.record_step = record_step
        self.server = None
        self.server_detail = None
        self.devices = []
        self.group = None
        # What the pod did, or may have done, for the rollback to undo.
        self.server_moved = False
        self.attached = []
        self.uncertain = []

    def run(self):
        _check_supported(self.request)
        try:
            self._choose()
        except exception.CompositionFailed:
            raise
        except exception.ValenceException as e:
            raise _refused('reading the pod failed: %s' % e)
        try:
            self.record_step(base.STEP_ALLOCATED, self.server.uri)
            self._apply()
        finally:
            self.claims.release([self.server.uri] +
                                [d.uri for d in self.devices])
        return inventory.pod_node(self.server_detail,
                                  [d.uri for d in self.attached])

    # -- choosing -----------------------------------------------------------

    def _choose(self):
        # The pod is read under the claims' lock: a listing read while
        # another request of this driver was changing the pod could offer
        # what that request has just taken.
        with self.claims.choosing() as claimed:
            named_server, named_devices = self._named(claimed)
            if named_server is not None:
                servers = [named_server]
            else:
                servers = self.eem.devices(FREE_SERVERS)
            self.server, self.server_detail = self._pick_server(
                servers, claimed, named_server is not None)
            wanted = sum(max(r.count, 0) for r in self.request.devices)
            free = []
            if wanted > len(named_devices):
                free = [inventory.parse_io_device(detail, {})
                        for detail in self.eem.devices(FREE_IO_DEVICES)]
            usable = [d for d in free
                      if d.state == base.FREE and d.uri not in claimed]
            try:
                self.devices = matching.pick_devices(
                    self.request.devices, named_devices, usable)
            except matching.NoFit as e:
                raise _refused(str(e))
            self._check_group_size()
            claimed.add(self.server.uri)
            claimed.update(d.uri for d in self.devices)

    def _named(self, claimed):
        """The server and devices the scheduler picked, checked free."""
        server = None
        devices = []
        for uri in self.request.resource_uris:
            dev_id = inventory.device_id(uri)
            if dev_id is None:
                raise _refused('%s does not name an ExpEther device' % uri)
            if inventory.device_uri(dev_id) in claimed:
                raise _refused('%s is being changed by another request'
                               % uri)
            detail = self.eem.device(dev_id)
            kind = detail.get('status')
            if kind == inventory.SERVER:
                if server is not None:
                    raise _refused('two servers named for one node: %s and '
                                   '%s' % (server.get('id'), uri))
                server = detail
            elif kind == inventory.IO_DEVICE:
                device = inventory.parse_io_device(detail, {})
                if device.state != base.FREE:
                    raise _refused('%s is not free: it is %s (group %s)'
                                   % (uri, device.state,
                                      device.properties['group_id']))
                devices.append(device)
            else:
                raise _refused('%s is neither a server nor an I/O device'
                               % uri)
        return server, devices

    def _pick_server(self, details, claimed, named):
        unmet = []
        for detail in details:
            system = inventory.parse_server(detail)
            if system.state != base.FREE or system.uri in claimed:
                continue
            lacks = matching.unmet_host_requirements(system, self.request)
            if lacks:
                unmet.append('%s lacks %s' % (system.uri, ', '.join(lacks)))
                continue
            return system, detail
        if named:
            reason = '%s is not a free server' % inventory.device_uri(
                details[0]['id'])
        else:
            reason = 'no free ExpEther server'
        if unmet:
            reason += ' (%s)' % '; '.join(unmet)
        raise _refused(reason)

    def _check_group_size(self):
        limit = inventory.max_io_devices(self.server_detail)
        if limit is not None and len(self.devices) > limit:
            raise _refused('%d I/O devices wanted, but the group of server '
                           '%s holds at most %d' % (len(self.devices),
                                                    self.server.uri, limit))

    # -- changing the pod ---------------------------------------------------

    def _apply(self):
        server_id = self.server.name
        try:
            try:
                self.group = self.eem.put_group(server_id, None)
            except _NOT_DONE:
                raise
            except exception.PodManagerError:
                # The EEM may have made the group before failing.
                self.server_moved = True
                raise
            self.server_moved = True
            for device in self.devices:
                try:
                    self.eem.put_group(device.name, self.group)
                except _NOT_DONE:
                    raise
                except exception.PodManagerError:
                    self.uncertain.append(device)
                    raise
                self.attached.append(device)
        except exception.ValenceException as e:
            LOG.warning('Composing on server %(server)s failed, releasing '
                        'what it took: %(error)s',
                        {'server': self.server.uri, 'error': e})
            problems = self._release()
            if problems:
                raise exception.CompositionFailed(
                    reason='%s; releasing what the pod had done failed too: '
                    '%s' % (e, '; '.join(problems)),
                    cleaned_up=False, node_uri=self.server.uri)
            raise exception.CompositionFailed(
                reason='%s; what the pod had done was released' % e,
                cleaned_up=True)

    def _release(self):
        """Undo what the pod did; return what could not be undone."""
        problems = []
        for device in self.attached:
            self._release_device(device, problems)
        for device in self.uncertain:
            # Its PUT failed half way: release it only if it did join, so
            # that a device someone else took is left alone.
            try:
                detail = self.eem.device(device.name)
                joined = str(detail.get('group_id')) == self.group
            except exception.PodResourceNotFound:
                continue
            except exception.ValenceException as e:
                problems.append('reading %s: %s' % (device.uri, e))
                continue
            if joined:
                self._release_device(device, problems)
        # Devices left in the group would have no server once it is back
        # in its default group; keep the server so that deleting the node
        # finds them.
        if self.server_moved and not problems:
            try:
                self.eem.delete_group(self.server.name)
            except exception.PodResourceNotFound:
                pass
            except exception.ValenceException as e:
                problems.append('returning %s to its default group: %s'
                                % (self.server.uri, e))
        return problems

    def _release_device(self, device, problems):
        try:
            self.eem.delete_group(device.name)
        except exception.PodResourceNotFound:
            pass
        except exception.ValenceException as e:
            problems.append('releasing %s: %s' % (device.uri, e))
