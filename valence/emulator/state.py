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

"""The state file: what a restarted emulator needs to keep its pods.

One JSON file holds every pod of the process under a key made of its
personality and its place on the command line (``rsd-0``, ``expether-1``),
not its port, so that pods on ephemeral ports find their state again. A pod
record keeps the seed and sizes its inventory was generated from and the
personality's ``dump_state()``; the inventory itself is regenerated.
"""

import json
import os
import tempfile
import threading

FORMAT = 1


class StateFile:
    """A state file shared by the pods of one process."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._pods = {}
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                data = json.load(f)
            if data.get('format') != FORMAT:
                raise ValueError('%s: unknown state file format %r'
                                 % (path, data.get('format')))
            self._pods = data.get('pods', {})

    def pod(self, key):
        """The saved record of pod ``key``, or None."""
        with self._lock:
            return self._pods.get(key)

    def save(self, key, record):
        """Replace the record of pod ``key`` and write the file atomically."""
        with self._lock:
            self._pods[key] = record
            data = json.dumps({'format': FORMAT, 'pods': self._pods})
            directory = os.path.dirname(os.path.abspath(self.path))
            fd, tmp = tempfile.mkstemp(dir=directory, prefix='.emulator-')
            try:
                with os.fdopen(fd, 'w', encoding='utf-8') as f:
                    f.write(data)
                # A crash mid-write leaves the previous file whole.
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
