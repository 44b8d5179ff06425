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

"""A threaded WSGI server (cheroot) run as an oslo.service service."""

import threading

from cheroot import wsgi
from oslo_log import log
from oslo_service import service

LOG = log.getLogger(__name__)


class WSGIService(service.ServiceBase):
    """Serves the application that ``app_factory`` builds at start.

    The application is built in ``start`` so that it is created in the
    process that serves it, after the launcher has forked.
    """

    def __init__(self, name, app_factory, host, port, threads):
        self.name = name
        self._app_factory = app_factory
        self._bind = (host, port)
        self._threads = threads
        self._server = None
        self._thread = None

    def start(self):
        # A deep listen backlog: clients beyond the busy threads wait for
        # one rather than see their connection reset.
        self._server = wsgi.Server(self._bind, self._app_factory(),
                                   numthreads=self._threads,
                                   request_queue_size=128,
                                   server_name=self.name)
        self._server.prepare()
        host, port = self._server.bind_addr[:2]
        LOG.info('%(name)s listening on http://%(host)s:%(port)s/',
                 {'name': self.name, 'host': host, 'port': port})
        self._thread = threading.Thread(target=self._server.serve,
                                        name=self.name, daemon=True)
        self._thread.start()

    def stop(self):
        if self._server is not None:
            self._server.stop()

    def wait(self):
        if self._thread is not None:
            self._thread.join()

    def reset(self):
        pass
