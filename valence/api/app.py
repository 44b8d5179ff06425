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

from keystonemiddleware import auth_token
from oslo_middleware import cors
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit
import pecan
import webob.exc

from valence import conf
from valence.api import hooks
from valence.api import signatures
from valence.api.middleware import basic_auth
from valence.api.middleware import json_errors
from valence.conductor import rpcapi as conductor_rpcapi

# The version documents, readable without credentials ("/healthcheck" is
# answered before authentication); compared without the trailing slash.
PUBLIC_PATHS = ('', '/v1')


def setup_app(rpcapi=None):
    """Build the API application.

    :param rpcapi: the conductor RPC API to use; by default a new one, which
        needs ``valence.common.rpc.init`` to have run in this process.
    """
    CONF = conf.CONF
    signatures.install()
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
    # From the inside out: authentication, body size limit, /healthcheck
    # (public), JSON errors (401s too), proxy headers, CORS and request id
    # (outermost, so every answer has one and error bodies can quote it).
    app = _with_authentication(app, CONF)
    app = _with_body_size_limit(app, CONF)
    app = _with_healthcheck(app, healthcheck.Healthcheck(app, CONF))
    app = json_errors.JsonErrorMiddleware(app)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, CONF)
    app = cors.CORS(app, CONF)
    app = request_id.RequestId(app)
    return app


def _with_authentication(app, CONF):
    """Authenticate every request but those to the version documents."""
    if CONF.auth_strategy == 'keystone':
        authenticated = auth_token.AuthProtocol(
            app, {'oslo_config_config': CONF})
    elif CONF.auth_strategy == 'http_basic':
        authenticated = basic_auth.BasicAuthMiddleware(
            app, CONF.http_basic_auth_user_file)
    else:
        return app

    def route(environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') in PUBLIC_PATHS:
            return app(environ, start_response)
        return authenticated(environ, start_response)
    return route


def _with_body_size_limit(app, CONF):
    """oslo.middleware's body size limit, with a 413 that says the limit.

    oslo.middleware refuses a body whose Content-Length is too large with a
    message that leaves out the number; this answers it first. Bodies
    without a Content-Length are still cut by oslo.middleware as they are
    read.
    """
    limited = sizelimit.RequestBodySizeLimiter(app, CONF)

    def check(environ, start_response):
        limit = CONF.oslo_middleware.max_request_body_size
        length = environ.get('CONTENT_LENGTH') or ''
        if length.isdigit() and int(length) > limit:
            error = webob.exc.HTTPRequestEntityTooLarge(
                'The request body is larger than %d bytes ([oslo_middleware] '
                'max_request_body_size).' % limit)
            return error(environ, start_response)
        return limited(environ, start_response)
    return check


def _with_healthcheck(app, health):
    """Serve /healthcheck with oslo.middleware, everything else with app."""
    def route(environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') == '/healthcheck':
            return health(environ, start_response)
        return app(environ, start_response)
    return route
