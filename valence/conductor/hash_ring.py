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

"""Which live conductor serves which pod manager.

Pod managers are spread over the live conductors that have their driver by
a consistent hash ring on the pod manager's uuid, so a conductor joining or
leaving moves only its share. Rings are rebuilt from the ``conductors``
table at most every ``[conductor] hash_ring_reset_interval`` seconds.
"""

import threading
import time

from tooz import hashring

from valence import conf
from valence import objects
from valence.common import context as valence_context
from valence.common import exception

PARTITIONS = 2 ** 6


class HashRingManager:

    def __init__(self):
        self._lock = threading.Lock()
        self._rings = None
        self._built_at = 0.0

    def reset(self):
        with self._lock:
            self._rings = None

    @property
    def rings(self):
        ttl = conf.CONF.conductor.hash_ring_reset_interval
        with self._lock:
            # An empty ring is never kept: the first conductor to come up
            # must be found at once, not after the interval.
            if (not self._rings or
                    time.monotonic() - self._built_at > ttl):
                self._rings = self._build()
                self._built_at = time.monotonic()
            return self._rings

    def _build(self):
        context = valence_context.get_admin_context()
        alive = objects.Conductor.list(
            context, alive_within=conf.CONF.conductor.heartbeat_timeout)
        hosts_by_driver = {}
        for conductor in alive:
            for driver in conductor.drivers:
                hosts_by_driver.setdefault(driver, set()).add(
                    conductor.hostname)
        return {driver: hashring.HashRing(hosts, partitions=PARTITIONS)
                for driver, hosts in hosts_by_driver.items()}

    def drivers(self):
        """Names of the drivers that some live conductor has."""
        rings = self.rings
        if not rings:
            raise exception.NoConductorAvailable()
        return sorted(rings)

    def host_for(self, podm_uuid, driver):
        """The live conductor that serves this pod manager."""
        rings = self.rings
        if not rings:
            raise exception.NoConductorAvailable()
        if driver not in rings:
            raise exception.InvalidDriver(driver=driver,
                                          available=', '.join(sorted(rings)))
        hosts = rings[driver].get_nodes(podm_uuid.encode('utf-8'))
        return next(iter(hosts))
