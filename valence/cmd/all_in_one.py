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

"""valence: the API and a conductor in one process.

The embedded default: ``rpc_transport = local`` (no message broker) and a
SQLite database under ``state_path``, brought up to date at start.
"""

import sys

from oslo_log import log
from oslo_service import service

from valence import conf
from valence.cmd import api
from valence.common import rpc
from valence.common import service as valence_service
from valence.conductor import service as conductor_service
from valence.db import migration

LOG = log.getLogger(__name__)


class AllInOneService(service.ServiceBase):

    def __init__(self):
        self.conductor = conductor_service.ConductorService()
        self.api = api.api_service()

    def start(self):
        migration.upgrade()
        rpc.init(conf.CONF)
        self.conductor.start()
        self.api.start()

    def stop(self):
        self.api.stop()
        self.conductor.stop()

    def wait(self):
        self.api.wait()
        self.conductor.wait()

    def reset(self):
        pass


def main():
    conf.CONF.set_default('rpc_transport', 'local')
    valence_service.prepare_service(sys.argv)
    # Before the migrations, which encrypt passwords stored in clear.
    valence_service.init_secret_keys()
    launcher = service.launch(conf.CONF, AllInOneService(),
                              restart_method='mutate')
    launcher.wait()
