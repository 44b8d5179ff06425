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

"""The API WSGI application: Pecan app wrapped in its middleware."""

from oslo_middleware import cors
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit
import pecan

from valence import conf
from valence.api import hooks
from valence.api.middleware import json_errors
from valence.conductor import rpcapi as conductor_rpcapi


def setup_app(rpcapi=None):
    """Build the API application.

    :param rpcapi: the conductor RPC API to use; by default a new one, which
        needs ``valence.common.rpc.init`` to have run in this process.
    """
    CONF = conf.CONF
    app = pecan.make_app(
        'valence.api.controllers.root.RootController',
        hooks=[hooks.ContextHook(),
               hooks.RPCHook(rpcapi or conductor_rpcapi.ConductorAPI()),
               hooks.PublicUrlHook(),
               hooks.MicroversionHook(),
               hooks.JsonBodyHook()],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
        logging=False)
    # From the inside out: body size limit, /healthcheck, JSON errors,
    # proxy headers, CORS and request id (outermost, so every answer has
    # one and error bodies can quote it).
    app = sizelimit.RequestBodySizeLimiter(app, CONF)
    app = _with_healthcheck(app, healthcheck.Healthcheck(app, CONF))
    app = json_errors.JsonErrorMiddleware(app)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, CONF)
    app = cors.CORS(app, CONF)
    app = request_id.RequestId(app)
    return app


def _with_healthcheck(app, health):
    """Serve /healthcheck with oslo.middleware, everything else with app."""
    def route(environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') == '/healthcheck':
            return health(environ, start_response)
        return app(environ, start_response)
    return route
