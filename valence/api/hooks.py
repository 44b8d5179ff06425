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
from valence.api import versions
from valence.common import context as valence_context

JSON = 'application/json'


class ContextHook(hooks.PecanHook):
    """Puts the request context on ``pecan.request.context``.

    With ``auth_strategy = noauth`` every caller is an administrator and
    identity headers are ignored: nothing vouches for them.
    """

    def before(self, state):
        environ = state.request.environ
        if conf.CONF.auth_strategy == 'noauth':
            context = valence_context.RequestContext(
                is_admin=True, roles=['admin'],
                request_id=environ.get('openstack.request_id'))
        else:
            context = valence_context.RequestContext.from_environ(environ)
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
    """Refuses request bodies that are not JSON, rather than ignore them."""

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
