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

"""Pecan hooks: what every request gets before its controller runs."""

from pecan import hooks
import webob.exc

from valence import conf
from valence.api import validation
from valence.api import versions
from valence.api.middleware import basic_auth
from valence.common import context as valence_context

JSON = 'application/json'
# Set by keystonemiddleware (never from a header) once a token is valid.
KEYSTONE_TOKEN_INFO = 'keystone.token_info'


class ContextHook(hooks.PecanHook):
    """Puts the request context on ``pecan.request.context``.

    Who the caller is depends on ``auth_strategy``:

    * ``noauth``: every caller is a system administrator, and identity
      headers are ignored: nothing vouches for them;
    * ``http_basic``: the user that ``BasicAuthMiddleware`` authenticated,
      acting on the whole system;
    * ``keystone``: the identity that keystonemiddleware put in the
      headers once it validated the token.

    The public paths (``/``, ``/v1``) pass no authentication, and their
    callers get a context with no identity and no role.
    """

    def before(self, state):
        environ = state.request.environ
        request_id = environ.get('openstack.request_id')
        strategy = conf.CONF.auth_strategy
        if strategy == 'noauth':
            context = valence_context.get_system_context(
                request_id=request_id)
        elif strategy == 'http_basic' and basic_auth.USER_KEY in environ:
            user = environ[basic_auth.USER_KEY]
            context = valence_context.get_system_context(
                user_name=user, request_id=request_id,
                reader_only=user in conf.CONF.http_basic_reader_users)
        elif strategy == 'keystone' and KEYSTONE_TOKEN_INFO in environ:
            context = valence_context.RequestContext.from_environ(environ)
        else:
            context = valence_context.RequestContext(request_id=request_id)
        state.request.context = context


class RPCHook(hooks.PecanHook):
    """Gives controllers the conductor RPC API."""

    def __init__(self, rpcapi):
        self.rpcapi = rpcapi

    def before(self, state):
        state.request.rpcapi = self.rpcapi


class PublicUrlHook(hooks.PecanHook):
    """The base URL used in links: the configured one or the request's."""

    def before(self, state):
        state.request.public_url = (
            conf.CONF.api.public_endpoint or state.request.host_url
        ).rstrip('/')


class MicroversionHook(hooks.PecanHook):
    """Reads the requested API version; answers with the one used."""

    def before(self, state):
        try:
            state.request.version = versions.parse(state.request.headers)
        except ValueError as e:
            raise webob.exc.HTTPNotAcceptable(str(e))

    def after(self, state):
        version = getattr(state.request, 'version', versions.MIN_VERSION)
        headers = state.response.headers
        headers[versions.HEADER] = '%s %s' % (versions.SERVICE_TYPE,
                                              versions.to_string(version))
        headers[versions.LEGACY_HEADER] = versions.to_string(version)
        headers['OpenStack-API-Minimum-Version'] = versions.to_string(
            versions.MIN_VERSION)
        headers['OpenStack-API-Maximum-Version'] = versions.to_string(
            versions.MAX_VERSION)
        headers['Vary'] = '%s, %s' % (versions.HEADER, versions.LEGACY_HEADER)


class JsonBodyHook(hooks.PecanHook):
    """Refuses request bodies that are not JSON, rather than ignore them,
    and JSON nested deeper than ``[api] max_json_depth``.
    """

    def on_route(self, state):
        # Before routing: Pecan parses JSON bodies while it routes, and a
        # hostile nesting would exhaust the parser's recursion there.
        request = state.request
        if request.content_type != JSON or not request.body:
            return
        limit = conf.CONF.api.max_json_depth
        if validation.json_depth(request.body) > limit:
            raise webob.exc.HTTPBadRequest(
                'The JSON body nests arrays and objects more than %d levels '
                'deep.' % limit)

    def before(self, state):
        request = state.request
        if request.method not in ('POST', 'PUT', 'PATCH'):
            return
        if not request.body:
            return
        if request.content_type != JSON:
            raise webob.exc.HTTPUnsupportedMediaType(
                'Unsupported Content-Type "%s": request bodies must be %s.'
                % (request.content_type or 'none', JSON))
