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

"""valence-api: the REST API, talking to conductors over oslo.messaging."""

import ipaddress
import socket
import sys

from oslo_log import log
from oslo_service import service

from valence import conf
from valence.api import app
from valence.api.middleware import basic_auth
from valence.common import rpc
from valence.common import service as valence_service
from valence.common import wsgi_service

LOG = log.getLogger(__name__)


def build_app():
    rpc.init(conf.CONF)
    return app.setup_app()


def check_authentication():
    """Before the API starts: exit on an unusable htpasswd file, and warn
    when the API is reachable beyond this machine without authentication.
    """
    CONF = conf.CONF
    if CONF.auth_strategy == 'http_basic':
        try:
            basic_auth.read_user_file(CONF.http_basic_auth_user_file)
        except basic_auth.UserFileError as e:
            sys.exit(str(e))
    warn_if_exposed_without_auth(CONF.api.host_ip)


def warn_if_exposed_without_auth(host):
    """Say so when anyone who can reach the API would be its admin."""
    if conf.CONF.auth_strategy != 'noauth' or _is_loopback(host):
        return
    LOG.warning('The API listens on %s with auth_strategy = noauth: anyone '
                'who can reach it is an administrator. Listen on 127.0.0.1 '
                '([api] host_ip) or set auth_strategy to keystone or '
                'http_basic.', host)


def _is_loopback(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return all(ipaddress.ip_address(a.split('%')[0]).is_loopback
               for a in addresses)


def api_service():
    CONF = conf.CONF
    check_authentication()
    return wsgi_service.WSGIService('valence-api', build_app,
                                    CONF.api.host_ip, CONF.api.port,
                                    CONF.api.threads)


def main():
    valence_service.prepare_service(sys.argv)
    if conf.CONF.rpc_transport == 'local':
        sys.exit('valence-api reaches conductors over oslo.messaging; with '
                 'rpc_transport = local, run the all-in-one "valence" '
                 'command instead.')
    launcher = service.launch(conf.CONF, api_service(),
                              restart_method='mutate')
    launcher.wait()
