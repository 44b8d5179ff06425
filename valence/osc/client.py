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

"""A small Python client of the Valence API.

It needs nothing but keystoneauth, and works on its own::

    from valence.osc import client

    # A service that does not authenticate (auth_strategy = noauth):
    valence = client.Client(endpoint='http://127.0.0.1:8181')
    # Behind Keystone, with any keystoneauth session; the endpoint comes
    # from the catalog (service type "composition") unless given:
    valence = client.Client(session=keystone_session)

    for node in valence.list_nodes(state='available'):
        print(node['uuid'], node['name'])

There is one method per API operation. Each returns the API's JSON
(dicts and lists of dicts); a call that fails raises ValenceClientError
with the API's status and message. Lists follow the API's ``next`` links:
``limit`` is how many items to return in all (None for every item),
``marker`` the uuid of the item to start after.
"""

import urllib.parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exceptions
from keystoneauth1 import session as ksa_session

SERVICE_TYPE = 'composition'
# The newest API microversion this client knows; it is sent with every
# request (OpenStack-API-Version: composition 1.0).
API_VERSION = '1.0'
# Long non-JSON error bodies (an HTML page of a proxy...) are cut here.
MAX_TEXT_ERROR = 500


class ValenceClientError(Exception):
    """A call that the API refused, or that could not reach the API.

    ``status`` is the HTTP status (None when no answer came), ``message``
    the API's explanation and ``request_id`` the id the API logged the
    request under.
    """

    def __init__(self, message, status=None, request_id=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.request_id = request_id

    def __str__(self):
        details = []
        if self.status is not None:
            details.append('HTTP %s' % self.status)
        if self.request_id:
            details.append('request %s' % self.request_id)
        if not details:
            return self.message
        return '%s (%s)' % (self.message, ', '.join(details))


def error_from_response(response):
    """The ValenceClientError of an HTTP error answer.

    Valence answers ``{"error": {"code", "title", "message",
    "request_id"}}``; the original Valence answered ``{"title",
    "detail"}``; a proxy in between may answer anything.
    """
    request_id = response.headers.get('X-OpenStack-Request-Id')
    message = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get('error')
        if isinstance(error, dict):
            message = error.get('message') or error.get('title')
            request_id = error.get('request_id') or request_id
        else:
            message = body.get('detail') or body.get('title')
    if not message:
        message = (response.text.strip()[:MAX_TEXT_ERROR]
                   or response.reason or 'no explanation given')
    return ValenceClientError(message, response.status_code, request_id)


def marker_of(next_url):
    """The marker of a ``next`` link, or None.

    Only the marker is taken from the link: the next page is asked of the
    same endpoint as the first, whatever host name the API built the link
    with.
    """
    if not next_url:
        return None
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(next_url).query)
    markers = query.get('marker')
    return markers[0] if markers else None


def basic_auth(username, password):
    """The ``authentication`` of a pod manager, as the API takes it."""
    return [{'type': 'basic',
             'auth_items': {'username': username, 'password': password}}]


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value


def _path(*parts):
    # Names may hold anything, slashes included.
    return '/v1/' + '/'.join(urllib.parse.quote(str(p), safe='')
                             for p in parts)


def _given(**values):
    return {k: v for k, v in values.items() if v is not None}


class Client:
    """The Valence API, one method per operation.

    :param session: a keystoneauth1 session (its auth plugin adds the
        token and finds the endpoint in the catalog); without one, a
        session without authentication is made for ``endpoint``.
    :param endpoint: the API's URL (``http://host:8181``), overriding the
        catalog.
    :param api_version: the microversion to ask for.
    :param region_name: the catalog region of the endpoint.
    :param interface: the catalog interface (public, internal, admin).
    :param verify: TLS verification of a session made here: True, False
        or a CA bundle path.
    :param timeout: seconds to wait for each answer, for a session made
        here.
    """

    def __init__(self, session=None, endpoint=None, api_version=API_VERSION,
                 region_name=None, interface=None, verify=True,
                 timeout=None):
        if session is None:
            if not endpoint:
                raise ValueError('Client needs a keystoneauth session, or '
                                 'the endpoint of a Valence API that does '
                                 'not authenticate')
            session = ksa_session.Session(verify=verify, timeout=timeout)
        self.api_version = api_version
        #: The request id of the last answer, to find its traces in the
        #: service's logs and in a node's action records.
        self.last_request_id = None
        self._adapter = adapter.Adapter(
            session, service_type=SERVICE_TYPE, interface=interface,
            region_name=region_name, endpoint_override=endpoint,
            default_microversion=api_version, client_name='valence-osc')
        self._root = None

    @property
    def endpoint(self):
        """The API's root URL, without the version path."""
        if self._root is None:
            try:
                url = self._adapter.get_endpoint()
            except ksa_exceptions.MissingAuthPlugin:
                # A session without authentication has no catalog.
                url = None
            except ksa_exceptions.ClientException as e:
                raise ValenceClientError(
                    'Could not find the Valence API: %s' % e) from e
            if not url:
                raise ValenceClientError(
                    'No endpoint of the %s service is known: give the '
                    'URL of the Valence API (--valence-api-url) or '
                    'register it in the Keystone catalog' % SERVICE_TYPE)
            url = url.rstrip('/')
            # A catalog may hold the versioned URL; paths here carry /v1.
            if url.endswith('/v1'):
                url = url[:-len('/v1')]
            self._root = url
        return self._root

    def _request(self, method, path, body=None, params=None, secret=False):
        """The decoded JSON answer of a call, or None for an empty one.

        ``secret``: the body holds a password; keystoneauth logs bodies
        at debug level, so such calls are not logged.
        """
        kwargs = {'raise_exc': False, 'log': not secret}
        if body is not None:
            kwargs['json'] = body
        if params:
            kwargs['params'] = params
        try:
            response = self._adapter.request(self.endpoint + path, method,
                                             **kwargs)
        except ksa_exceptions.ClientException as e:
            raise ValenceClientError(str(e)) from e
        self.last_request_id = response.headers.get('X-OpenStack-Request-Id')
        if response.status_code >= 400:
            raise error_from_response(response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ValenceClientError(
                'The API answered %s %s with a body that is not JSON'
                % (method, path), response.status_code,
                self.last_request_id) from None

    def _list(self, path, key, limit=None, marker=None, sort_key=None,
              sort_dir=None, **filters):
        """Up to ``limit`` items (every item if None) of a list, in as
        many pages as the API's page size needs."""
        params = {k: _query_value(v) for k, v in filters.items()
                  if v is not None}
        params.update(_given(sort_key=sort_key, sort_dir=sort_dir))
        items = []
        while limit is None or len(items) < limit:
            query = dict(params)
            if marker:
                query['marker'] = marker
            if limit is not None:
                query['limit'] = limit - len(items)
            page = self._request('GET', path, params=query) or {}
            batch = page.get(key) or []
            items.extend(batch)
            next_marker = marker_of(page.get('next'))
            if not batch or not next_marker or next_marker == marker:
                break
            marker = next_marker
        return items

    # -- pod managers -------------------------------------------------------

    def list_pod_managers(self, **params):
        """Filters: name, driver, status."""
        return self._list(_path('pod_managers'), 'pod_managers', **params)

    def get_pod_manager(self, ident):
        """A pod manager by uuid or name."""
        return self._request('GET', _path('pod_managers', ident))

    def create_pod_manager(self, name, url, username, password, driver=None,
                           description=None, verify_tls=None):
        body = {'name': name, 'url': url,
                'authentication': basic_auth(username, password)}
        body.update(_given(driver=driver, description=description,
                           verify_tls=verify_tls))
        return self._request('POST', _path('pod_managers'), body,
                             secret=True)

    def update_pod_manager(self, ident, **fields):
        """Change name, url, driver, description or verify_tls, as given;
        ``username`` and ``password`` go together."""
        body = dict(fields)
        if 'username' in body or 'password' in body:
            body['authentication'] = basic_auth(body.pop('username', None),
                                                body.pop('password', None))
        return self._request('PATCH', _path('pod_managers', ident), body,
                             secret=True)

    def delete_pod_manager(self, ident):
        self._request('DELETE', _path('pod_managers', ident))

    # -- flavors ------------------------------------------------------------

    def list_flavors(self, **params):
        """Filters: name, project_id."""
        return self._list(_path('flavors'), 'flavors', **params)

    def get_flavor(self, ident):
        """A flavor by uuid or name."""
        return self._request('GET', _path('flavors', ident))

    def create_flavor(self, name, properties, description=None,
                      is_public=None):
        body = {'name': name, 'properties': properties}
        body.update(_given(description=description, is_public=is_public))
        return self._request('POST', _path('flavors'), body)

    def update_flavor(self, ident, **fields):
        """Change name, description or properties (replaced whole)."""
        return self._request('PATCH', _path('flavors', ident), fields)

    def delete_flavor(self, ident):
        self._request('DELETE', _path('flavors', ident))

    # -- nodes --------------------------------------------------------------

    def list_nodes(self, detail=False, **params):
        """Filters: state, podm_id, flavor_id, project_id, name, managed.

        ``detail``: every field of each node, not the summary.
        """
        if detail:
            params['detail'] = True
        return self._list(_path('nodes'), 'nodes', **params)

    def get_node(self, ident, refresh=False):
        """A node by uuid or name; ``refresh`` reads it from its pod."""
        params = {'refresh': 'true'} if refresh else None
        return self._request('GET', _path('nodes', ident), params=params)

    def compose_node(self, name, description=None, flavor_id=None,
                     properties=None, podm_id=None):
        """Start composing a node (from a flavor or from properties)."""
        body = {'name': name}
        body.update(_given(description=description, flavor_id=flavor_id,
                           properties=properties, podm_id=podm_id))
        return self._request('POST', _path('nodes'), body)

    def delete_node(self, ident):
        """Start decomposing a node; returns it, ``deleting``."""
        return self._request('DELETE', _path('nodes', ident))

    def manage_node(self, node_index, podm_id=None, name=None,
                    description=None, project_id=None):
        """Import a node its pod composed outside Valence."""
        body = {'node_index': node_index}
        body.update(_given(podm_id=podm_id, name=name,
                           description=description, project_id=project_id))
        return self._request('POST', _path('nodes', 'manage'), body)

    def reset_node(self, ident, reset_type):
        """Power action: On, ForceOff, GracefulRestart... (Redfish)."""
        self._request('POST', _path('nodes', ident, 'action'),
                      {'Reset': {'Type': reset_type}})

    def set_node_boot(self, ident, enabled, target=None):
        """Boot override: enabled is Once, Continuous or Disabled."""
        self._request('POST', _path('nodes', ident, 'action'),
                      {'Boot': _given(Enabled=enabled, Target=target)})

    def list_node_actions(self, ident):
        """What happened to a node: its operations and their results."""
        answer = self._request('GET', _path('nodes', ident, 'actions'))
        return answer.get('actions', [])

    def list_node_devices(self, ident):
        """The pooled devices attached to a node."""
        return self._list(_path('nodes', ident, 'devices'), 'devices')

    def attach_device(self, ident, device_id):
        """Start attaching a pooled device to a node."""
        return self._request('POST', _path('nodes', ident, 'devices'),
                             {'resource_id': device_id})

    def detach_device(self, ident, device_id):
        """Start detaching a pooled device from a node."""
        return self._request('DELETE',
                             _path('nodes', ident, 'devices', device_id))

    def register_node(self, ident, **fields):
        """Start registering a node in Ironic.

        Fields, all optional: driver, driver_info, properties,
        resource_class, name, provide.
        """
        return self._request('POST', _path('nodes', ident, 'register'),
                             fields, secret=True)

    def unregister_node(self, ident, force=False):
        """Start removing a node from Ironic (``force``: even when Ironic
        has it deployed)."""
        return self._request('POST', _path('nodes', ident, 'unregister'),
                             {'force': force})

    # -- conductors ---------------------------------------------------------

    def list_conductors(self, detail=False, **params):
        """Filter: alive. ``detail``: the pod managers each one serves.
        Conductors are known by their hostname, also as the marker."""
        if detail:
            params['detail'] = True
        return self._list(_path('conductors'), 'conductors', **params)

    def get_conductor(self, hostname):
        """A conductor and the pod managers it serves."""
        return self._request('GET', _path('conductors', hostname))

    # -- inventory ----------------------------------------------------------

    def list_devices(self, **params):
        """Filters: podm_id, name, resource_uri, state, node_id, rack_id,
        type, vendor, model."""
        return self._list(_path('devices'), 'devices', **params)

    def get_device(self, uuid):
        return self._request('GET', _path('devices', uuid))

    def sync_devices(self, podm_id=None):
        """Start reading the inventory of every pod, or of one."""
        return self._request('POST', _path('devices', 'sync'),
                             _given(podm_id=podm_id))

    def list_systems(self, **params):
        """Filters: podm_id, name, resource_uri, state, node_id, rack_id,
        manufacturer, model, processor_model, arch, power_state,
        min_processors, min_cores, min_memory_mib, min_local_gb."""
        return self._list(_path('systems'), 'systems', **params)

    def get_system(self, uuid):
        return self._request('GET', _path('systems', uuid))

    def list_storages(self, **params):
        """Filters: podm_id, name, resource_uri, state, node_id, rack_id,
        kind, protocol, media_type, vendor, model, min_capacity_gib."""
        return self._list(_path('storages'), 'storages', **params)

    def get_storage(self, uuid):
        return self._request('GET', _path('storages', uuid))

    def list_racks(self, **params):
        """Filters: podm_id, name, resource_uri, chassis_type,
        manufacturer, model."""
        return self._list(_path('racks'), 'racks', **params)

    def get_rack(self, uuid):
        return self._request('GET', _path('racks', uuid))
