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

"""Pod manager drivers of this conductor, one instance per pod manager."""

import threading

from oslo_log import log
import stevedore

from valence.common import exception
from valence.podmanagers import base

LOG = log.getLogger(__name__)

NAMESPACE = 'valence.podmanager.drivers'


def _load_failed(manager, entrypoint, error):
    LOG.error('Pod manager driver %(name)s cannot be loaded: %(error)s',
              {'name': entrypoint.name, 'error': error})


class DriverCache:
    """Driver instances, reused while a pod manager's connection holds.

    A driver may keep a session with its pod, so the instance lives as long
    as the pod manager's driver, URL, credentials and TLS setting stay the
    same; any change replaces it.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._classes = {
            ext.name: ext.plugin
            for ext in stevedore.ExtensionManager(
                NAMESPACE, on_load_failure_callback=_load_failed)}
        self._instances = {}

    @property
    def names(self):
        return sorted(self._classes)

    def get(self, podm):
        if podm.driver not in self._classes:
            raise exception.InvalidDriver(driver=podm.driver,
                                          available=', '.join(self.names))
        # The password is read (and decrypted) only when a new driver is
        # made; its digest tells whether it changed.
        key = (podm.driver, podm.url, podm.username, podm.auth_type,
               podm.verify_tls, podm.password_digest)
        with self._lock:
            cached = self._instances.get(podm.uuid)
            if cached is not None and cached[0] == key:
                return cached[1]
            connection = base.PodConnection(
                url=podm.url, username=podm.username, password=podm.password,
                auth_type=podm.auth_type, verify_tls=podm.verify_tls)
            driver = self._classes[podm.driver](connection)
            self._instances[podm.uuid] = (key, driver)
        if cached is not None:
            cached[1].close()
        return driver

    def forget(self, podm_uuid):
        with self._lock:
            cached = self._instances.pop(podm_uuid, None)
        if cached is not None:
            cached[1].close()
