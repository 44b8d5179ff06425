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

"""valence-conductor: drives the pods, owns lifecycle state."""

import sys

from oslo_service import service

from valence import conf
from valence.common import rpc
from valence.common import service as valence_service
from valence.conductor import service as conductor_service


class ConductorProcess(conductor_service.ConductorService):

    def start(self):
        rpc.init(conf.CONF)
        super().start()


def main():
    valence_service.prepare_service(sys.argv)
    if conf.CONF.rpc_transport == 'local':
        sys.exit('valence-conductor serves the API over oslo.messaging; '
                 'with rpc_transport = local, run the all-in-one "valence" '
                 'command instead.')
    valence_service.init_secret_keys()
    launcher = service.launch(conf.CONF, ConductorProcess(),
                              restart_method='mutate')
    launcher.wait()
