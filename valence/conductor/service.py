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

"""The conductor service: RPC server, registration and heartbeat."""

import random
import time

from oslo_log import log
import oslo_messaging as messaging
from oslo_service import service

from valence import conf
from valence import objects
from valence.common import context as valence_context
from valence.common import exception
from valence.common import rpc
from valence.conductor import manager
from valence.conductor import rpcapi
from valence.objects import base as objects_base

LOG = log.getLogger(__name__)


class ConductorService(service.Service):
    """Runs one conductor: everything that touches pods happens here."""

    def __init__(self, host=None):
        super().__init__()
        self.host = host or conf.CONF.host
        self.manager = None
        self._rpc_server = None
        self._conductor = None
        # Since when every heartbeat went through; None after one failed.
        self._steady_since = None

    def start(self):
        super().start()
        CONF = conf.CONF
        self.manager = manager.ConductorManager(self.host)
        context = valence_context.get_admin_context()
        self._conductor = objects.Conductor.register(
            context, self.host, self.manager.drivers.names)
        if CONF.rpc_transport == 'local':
            rpc.set_local_endpoint(self.manager,
                                   CONF.conductor.workers_pool_size)
        else:
            target = messaging.Target(topic=rpcapi.TOPIC, server=self.host)
            self._rpc_server = rpc.get_server(
                target, [self.manager],
                objects_base.ValenceObjectSerializer())
            self._rpc_server.start()
        self._steady_since = time.monotonic()  # registering was a beat
        self.tg.add_timer(CONF.conductor.heartbeat_interval,
                          self._heartbeat,
                          initial_delay=CONF.conductor.heartbeat_interval)
        # Each periodic task first runs after a random share of its
        # interval: a conductor that joins (or comes back) takes its share
        # of the pods a little at a time, not in one burst, and conductors
        # started together do not work in step.
        if CONF.conductor.sync_interval:
            self.tg.add_dynamic_timer(
                self._periodic_sync,
                initial_delay=_first_delay(CONF.conductor.sync_interval))
        for interval, task in (
                (CONF.conductor.power_sync_interval,
                 self.manager.sync_power_states),
                (CONF.conductor.recovery_interval, self._recover)):
            if interval:
                self.tg.add_timer_args(interval, self._periodic,
                                       args=[task],
                                       initial_delay=_first_delay(interval))
        # What this conductor was doing before it restarted is settled
        # first, in the background.
        self.tg.add_thread(self._periodic, self.manager.recover_nodes, False)
        LOG.info('Conductor %(host)s started with drivers: %(drivers)s',
                 {'host': self.host,
                  'drivers': ', '.join(self.manager.drivers.names)})

    def _heartbeat(self):
        try:
            try:
                self._conductor.touch()
            except exception.ConductorNotFound:
                # Declared dead and removed while it could not heartbeat.
                self._conductor = objects.Conductor.register(
                    valence_context.get_admin_context(), self.host,
                    self.manager.drivers.names)
        except Exception as e:
            # A heartbeat missed now is taken again at the next interval.
            LOG.warning('Conductor %(host)s could not heartbeat: %(error)s',
                        {'host': self.host, 'error': e})
            self._steady_since = None
            return
        if self._steady_since is None:
            LOG.info('Conductor %s heartbeats again', self.host)
            self._steady_since = time.monotonic()

    def _recover(self):
        """The periodic recovery. Other conductors are found dead only
        once this one's heartbeats have gone through for a whole heartbeat
        timeout: after a database outage every heartbeat is old, and the
        others must have had the time to write theirs again."""
        steady_for = (time.monotonic() - self._steady_since
                      if self._steady_since is not None else 0)
        self.manager.recover_nodes(
            judge_others=steady_for >= conf.CONF.conductor.heartbeat_timeout)

    @staticmethod
    def _sync_delay():
        opts = conf.CONF.conductor
        spread = opts.sync_interval * opts.sync_jitter
        return opts.sync_interval + random.uniform(-spread, spread)

    @staticmethod
    def _periodic(task, *args):
        try:
            task(*args)
        except Exception:
            # The next period tries again; one bad pass must not end them.
            LOG.exception('Periodic task %s failed', task.__name__)

    def _periodic_sync(self):
        started = time.monotonic()
        try:
            self.manager.sync_all()
        except Exception:
            # The next period tries again; one bad pass must not end them.
            LOG.exception('Periodic inventory sync failed')
        return _next_sync_in(self._sync_delay(), time.monotonic() - started)

    def stop(self, graceful=True):
        if self._rpc_server is not None:
            self._rpc_server.stop()
            self._rpc_server.wait()
            self._rpc_server = None
        rpc.clear_local_endpoint()
        self.tg.stop_timers()
        if self.manager is not None:
            self.manager.stop()
        if self._conductor is not None:
            try:
                self._conductor.unregister()
            except Exception as e:
                LOG.warning('Conductor %(host)s could not unregister: '
                            '%(error)s', {'host': self.host, 'error': e})
            self._conductor = None
        super().stop(graceful=graceful)
        LOG.info('Conductor %s stopped', self.host)


def _first_delay(interval):
    return random.uniform(0.5, 1.5) * interval


def _next_sync_in(period, took):
    """Seconds until the next pass: periods run from the start of a pass
    to the start of the next, so that each pod is synced once a period
    however long a pass takes; a pass longer than its period is followed
    by the next at once."""
    if took > period:
        LOG.warning('Syncing the pods of this conductor took %(took).0f '
                    's, more than [conductor] sync_interval: they are '
                    'synced less often than asked. Add conductors, or '
                    'raise the interval.', {'took': took})
    return max(0.0, period - took)
