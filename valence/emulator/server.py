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

"""Serve pods over HTTP(S) with cheroot's threaded WSGI server.

Each pod gets its own server on its own port; port 0 takes a free one.
Once every pod listens, the bound URLs are printed and, when asked, written
as JSON to a ready file, which is how test fixtures learn the ports.
"""

import json
import os
import socket
import tempfile
import threading

from cheroot import wsgi
from cheroot.ssl import builtin

from valence.emulator import pod as pod_module
from valence.emulator import state
from valence.emulator import tls


class _Gateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway that can also hang up without an answer."""

    def respond(self):
        try:
            super().respond()
        except pod_module.DropConnection:
            # Nothing has been sent yet: the application raises before it
            # returns. Close so that the client sees the connection drop.
            self.req.ready = False
            self.req.close_connection = True
            try:
                self.req.conn.socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Emulator:
    """Several pods in one process, each on its own port."""

    def __init__(self, pod_options, host='127.0.0.1', tls_enabled=False,
                 state_path=None, threads=16, cert_dir=None):
        self.host = host
        self.scheme = 'https' if tls_enabled else 'http'
        self._threads = []
        self._servers = []
        self.cert_path = self.key_path = None
        if tls_enabled:
            cert_dir = cert_dir or tempfile.mkdtemp(prefix='emulator-tls-')
            self.cert_path, self.key_path = tls.self_signed(cert_dir, host)
        state_file = state.StateFile(state_path) if state_path else None
        self.pods = []
        for index, options in enumerate(pod_options):
            key = '%s-%d' % (options.personality, index)
            pod = pod_module.Pod(options, state_file, key)
            server = wsgi.Server((host, options.port), pod,
                                 numthreads=threads,
                                 server_name='valence-emulator')
            server.gateway = _Gateway
            if tls_enabled:
                server.ssl_adapter = builtin.BuiltinSSLAdapter(
                    self.cert_path, self.key_path)
            self.pods.append(pod)
            self._servers.append(server)

    def start(self):
        """Bind every port and serve in background threads."""
        for server in self._servers:
            server.prepare()
        for server in self._servers:
            thread = threading.Thread(target=server.serve, daemon=True)
            thread.start()
            self._threads.append(thread)

    def urls(self):
        """One entry per pod: personality, port and base URL."""
        result = []
        for pod, server in zip(self.pods, self._servers):
            port = server.bind_addr[1]
            host = self.host if ':' not in self.host else '[%s]' % self.host
            result.append({'personality': pod.personality.name,
                           'port': port,
                           'url': '%s://%s:%d' % (self.scheme, host, port)})
        return result

    def write_ready_file(self, path):
        doc = {'pid': os.getpid(), 'pods': self.urls(),
               'cert': self.cert_path}
        tmp = path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(doc, f)
        # Readers poll for the file: it must appear whole.
        os.replace(tmp, path)

    def stop(self):
        for pod in self.pods:
            pod.stopping.set()
        for server in self._servers:
            server.stop()
        for thread in self._threads:
            thread.join(timeout=5)
