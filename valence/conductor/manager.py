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
from valence.conductor import drivers
from valence.conductor import hash_ring
from valence.conductor import inventory
from valence.conductor import pod_managers

LOG = log.getLogger(__name__)

# Errors that are the caller's, not the conductor's: oslo.messaging logs
# them briefly instead of with a traceback.
CALLER_ERRORS = (exception.Invalid, exception.NotFound, exception.Conflict)


class ConductorManager:
    """Receives RPC calls; see ``rpcapi.ConductorAPI`` for the versions."""

    RPC_API_VERSION = '1.1'

    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host):
        self.host = host
        self.drivers = drivers.DriverCache()
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


def _log_failure(future):
    error = future.exception()
    if error is not None:
        LOG.error('Background work failed: %s', error,
                  exc_info=(type(error), error, error.__traceback__))
