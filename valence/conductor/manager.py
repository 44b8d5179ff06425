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

import collections
import concurrent.futures
import threading

from oslo_log import log
import oslo_messaging as messaging

from valence import conf
from valence import objects
from valence.common import context as valence_context
from valence.common import exception
from valence.common import states
from valence.conductor import compose
from valence.conductor import devices
from valence.conductor import drivers
from valence.conductor import hash_ring
from valence.conductor import inventory
from valence.conductor import pod_managers
from valence.conductor import power
from valence.conductor import provision
from valence.conductor import recovery
from valence.conductor import rpcapi
from valence.conductor import task_manager

LOG = log.getLogger(__name__)

# Errors that are the caller's or the deployment's, not bugs of the
# conductor: oslo.messaging logs them briefly instead of with a traceback.
CALLER_ERRORS = (exception.Invalid, exception.NotFound, exception.Conflict,
                 exception.ServiceUnavailable)


class ConductorManager:
    """Receives RPC calls; see ``rpcapi.ConductorAPI`` for the versions."""

    RPC_API_VERSION = '1.4'

    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host):
        self.host = host
        self.drivers = drivers.DriverCache()
        self.provisioners = provision.Provisioners()
        self.ring = hash_ring.HashRingManager()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            conf.CONF.conductor.workers_pool_size,
            thread_name_prefix='conductor')
        # One sync at a time per pod manager.
        self._sync_locks = collections.defaultdict(threading.Lock)

    def stop(self):
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _spawn(self, func, *args):
        future = self._executor.submit(func, *args)
        future.add_done_callback(_log_failure)
        return future

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def create_pod_manager(self, context, pod_manager):
        podm = pod_managers.create(context, pod_manager, self.drivers,
                                   self.host)
        if podm.status == states.ONLINE:
            self._spawn(self._sync, context, podm.uuid)
        return podm

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def update_pod_manager(self, context, pod_manager):
        reconnected = (pod_managers.CONNECTION_FIELDS &
                       pod_manager.obj_what_changed())
        podm = pod_managers.update(context, pod_manager, self.drivers,
                                   self.host)
        if reconnected and podm.status == states.ONLINE:
            self._spawn(self._sync, context, podm.uuid)
        return podm

    def sync_pod_manager(self, context, podm_uuid):
        """Read a pod's inventory now (a cast). Since 1.1."""
        self._sync(context, podm_uuid)

    def _sync(self, context, podm_uuid):
        lock = self._sync_locks[podm_uuid]
        if not lock.acquire(blocking=False):
            LOG.info('Pod manager %s is being synced already', podm_uuid)
            return None
        try:
            try:
                podm = objects.PodManager.get_by_uuid(context, podm_uuid)
            except exception.PodManagerNotFound:
                return None
            return inventory.sync(context, podm, self.drivers.get(podm))
        finally:
            lock.release()

    def owned_pod_managers(self, context):
        """The pod managers the hash ring gives to this conductor."""
        owned = []
        for podm in objects.PodManager.list(context):
            try:
                if self.ring.host_for(podm.uuid, podm.driver) == self.host:
                    owned.append(podm)
            except exception.ValenceException:
                continue  # its driver is on no live conductor
        return owned

    def sync_all(self):
        """The periodic sync: every owned pod manager, one at a time."""
        context = valence_context.get_admin_context()
        for podm in self.owned_pod_managers(context):
            self._sync(context, podm.uuid)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def delete_pod_manager(self, context, podm_uuid):
        pod_managers.delete(context, podm_uuid, self.drivers)

    # -- composed nodes (1.2) --------------------------------------------

    def _driver_for(self, context, node):
        return self.drivers.get(
            objects.PodManager.get_by_uuid(context, node.podm_uuid))

    def _spawn_reserved(self, node, func, *args):
        """Run ``func`` in the background; let go of ``node`` after.

        :returns: a copy of ``node`` as the work starts from it, for the
            caller's answer: the work changes ``node`` itself, and may
            finish before the answer is sent.
        """
        started = node.obj_clone()

        def run():
            try:
                func(*args)
            finally:
                task_manager.release(node, self.host)
        try:
            self._spawn(run)
        except RuntimeError:
            task_manager.release(node, self.host)
            raise exception.ServiceUnavailable(
                reason='the conductor is stopping')
        return started

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.NoValidPod)
    def compose_node(self, context, node, podm_uuid=None):
        """Place a node, record it and start composing it. Since 1.2."""
        if podm_uuid:
            podms = [objects.PodManager.get(context, podm_uuid)]
        else:
            podms = objects.PodManager.list(context)
        placement = compose.schedule(context, node, podms)
        podm = placement.podm
        owner = self.ring.host_for(podm.uuid, podm.driver)
        if owner == self.host:
            self._start_compose(context, node.uuid)
        else:
            rpcapi.ConductorAPI().continue_compose(context, node.uuid,
                                                   owner)
        return node

    def continue_compose(self, context, node_uuid):
        """Compose a node another conductor placed (a cast). Since 1.2."""
        self._start_compose(context, node_uuid)

    def _start_compose(self, context, node_uuid):
        node = task_manager.reserve(context, node_uuid, self.host)
        try:
            # A placed node whose conductor took too long to start it may
            # have been rolled back by recovery meanwhile.
            if node.state != states.COMPOSING:
                raise exception.InvalidState(node=node.uuid,
                                             state=node.state)
            driver = self._driver_for(context, node)
        except Exception:
            task_manager.release(node, self.host)
            raise
        self._spawn_reserved(node, compose.compose, context, node, driver,
                             self.host)

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.ProvisionError)
    def delete_node(self, context, node_uuid):
        """Start decomposing and removing a node. Since 1.2."""
        node = task_manager.reserve(context, node_uuid, self.host)
        try:
            if node.ironic_node_uuid:
                # Asked now, so that a node Ironic would not let go of is
                # refused at once and stays as it is.
                self.provisioners.get(node).check_unregister(
                    node.ironic_node_uuid)
            node.state = states.DELETING
            node.save(states=compose.DELETABLE)
            driver = self._driver_for(context, node)
        except Exception:
            task_manager.release(node, self.host)
            raise
        return self._spawn_reserved(node, compose.decompose, context, node,
                                    driver, self.host, self.provisioners)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def manage_node(self, context, node, node_index):
        """Import a node the pod composed outside Valence. Since 1.2."""
        return compose.manage(context, node, self._driver_for(context, node),
                              node_index, self.host)

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.PodManagerError)
    def set_power(self, context, node_uuid, reset_type):
        """Reset a node. Since 1.2."""
        with task_manager.reserved(context, node_uuid, self.host) as node:
            _require_available(node)
            power.set_power(context, node, self._driver_for(context, node),
                            reset_type)

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.PodManagerError)
    def set_boot(self, context, node_uuid, enabled, target):
        """Set a node's boot override. Since 1.2."""
        with task_manager.reserved(context, node_uuid, self.host) as node:
            _require_available(node)
            power.set_boot(context, node, self._driver_for(context, node),
                           enabled, target)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def attach_device(self, context, node_uuid, device_uuid):
        """Claim a device and start attaching it to a node. Since 1.3."""
        return self._start_device_work(context, node_uuid, device_uuid,
                                       devices.prepare_attach,
                                       devices.attach)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def detach_device(self, context, node_uuid, device_uuid):
        """Start detaching a device from a node. Since 1.3."""
        return self._start_device_work(context, node_uuid, device_uuid,
                                       devices.prepare_detach,
                                       devices.detach)

    def _start_device_work(self, context, node_uuid, device_uuid, prepare,
                           work):
        node = None
        try:
            # The reservation, the checks and the device's claim are one
            # transaction: a refused request leaves nothing written.
            with objects.transaction():
                node = task_manager.reserve(context, node_uuid, self.host)
                device = devices.find_device(context, device_uuid)
                action = prepare(context, node, device, self.host)
                driver = self._driver_for(context, node)
        except Exception:
            if node is not None:
                task_manager.release(node, self.host)
            raise
        return self._spawn_reserved(node, work, context, node, device,
                                    action, driver)

    @messaging.expected_exceptions(*CALLER_ERRORS)
    def register_node(self, context, node_uuid, options):
        """Start registering a node in Ironic; returns it. Since 1.4.

        :param options: the request's fields (provision RegisterOptions).
        """
        node = task_manager.reserve(context, node_uuid, self.host)
        try:
            _require_available(node)
            provisioner = self.provisioners.get(node)
            description = provision.prepare_register(context, node,
                                                     provisioner, options)
        except Exception:
            task_manager.release(node, self.host)
            raise
        return self._spawn_reserved(node, provision.register, context,
                                    node, provisioner, description,
                                    self.host)

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.ProvisionError)
    def unregister_node(self, context, node_uuid, force=False):
        """Start removing a node from Ironic; returns it. Since 1.4."""
        node = task_manager.reserve(context, node_uuid, self.host)
        try:
            _require_available(node)
            provisioner = self.provisioners.get(node)
            provision.prepare_unregister(node, provisioner, force)
        except Exception:
            task_manager.release(node, self.host)
            raise
        return self._spawn_reserved(node, provision.unregister, context,
                                    node, provisioner, self.host, force)

    @messaging.expected_exceptions(*CALLER_ERRORS, exception.PodManagerError)
    def refresh_node(self, context, node_uuid):
        """Read a node from its pod and return it. Since 1.2."""
        with task_manager.reserved(context, node_uuid, self.host) as node:
            _require_available(node)
            return power.refresh(context, node,
                                 self._driver_for(context, node))

    def owned_nodes(self, context):
        owned = {p.uuid for p in self.owned_pod_managers(context)}
        return [node for node in objects.Node.list(
            context, filters={'state': states.AVAILABLE})
            if node.podm_uuid in owned]

    def sync_power_states(self):
        """The periodic power sync of this conductor's nodes."""
        context = valence_context.get_admin_context()
        power.sync_power(context, self.owned_nodes(context),
                         lambda node: self._driver_for(context, node),
                         self.host)

    def recover_nodes(self, judge_others=True):
        """Settle the nodes left in transient states, and break the
        reservations left, by dead conductors and by work of this one that
        ended without letting go (before a restart, or while the database
        was away).

        :param judge_others: whether a conductor without a heartbeat for
            ``heartbeat_timeout`` may be found dead. Not before this
            conductor's own heartbeats have gone through for that long
            (after its start, or after a database outage): until then the
            silent one may only have been unable to write too.
        """
        context = valence_context.get_admin_context()
        alive_within = (conf.CONF.conductor.heartbeat_timeout
                        if judge_others else None)
        alive = [c.hostname for c in objects.Conductor.list(
            context, alive_within=alive_within) if c.hostname != self.host]
        recovery.recover(context, self, alive)


def _log_failure(future):
    error = future.exception()
    if error is not None:
        LOG.error('Background work failed: %s', error,
                  exc_info=(type(error), error, error.__traceback__))


def _require_available(node):
    if node.state != states.AVAILABLE:
        raise exception.InvalidState(node=node.uuid, state=node.state)
