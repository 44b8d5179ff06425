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

"""EEM devices that a request of this driver is busy changing.

The EEM has no conditional update: two requests that both found a server
in its default group would both give it a new group, and the second would
strand what the first attached. The conductor runs compositions and
attachments of one pod manager in parallel threads on one driver, so the
driver claims the devices a request is about to change, and other requests
leave them alone until it is done.
"""

import contextlib
import threading


class Claims:

    def __init__(self):
        self._lock = threading.Lock()
        self._held = set()

    @contextlib.contextmanager
    def choosing(self):
        """Hold the lock; yield the set of claimed URIs to read and add to.

        What a request adds while choosing stays claimed until it calls
        :meth:`release`.
        """
        with self._lock:
            yield self._held

    def release(self, uris):
        with self._lock:
            self._held.difference_update(uris)
