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

"""The ``ironic`` provision driver: composed nodes registered in Ironic.

It talks to Ironic with python-ironicclient over a keystoneauth session
built from the [ironic] options (valence/conf/ironic.py). What a node
looks like in Ironic is decided in mapping.py; this module runs the
requests: find or create the node, keep its ports in step with its MAC
addresses, move it through Ironic's provision states, delete it.

API version: Valence asks for 1.51 and accepts down to 1.45. It needs
resource_class (1.21), ``fields`` on lists (1.8), node names made of RFC
3986 unreserved characters (1.10) and ``reset_interfaces`` when a node's
hardware type changes (1.45); 1.51 adds the node ``description`` Valence
fills in when Ironic has it. Between the two nothing else Valence sends
or reads changes meaning, so an older Ironic (1.45 to 1.50) is used
without the description; older than 1.45 is refused (503).
"""

import contextlib
import threading
import time

from ironicclient import client as ironic_client
from ironicclient import exc as ironic_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_log import log

from valence import conf
from valence.common import exception
from valence.provision import base
from valence.provision import mapping

LOG = log.getLogger(__name__)
CONF = conf.CONF

API_VERSION = '1.51'
MIN_API_VERSION = '1.45'
_DESCRIPTION_VERSION = (1, 51)

# Ironic's provision states that matter here.
ENROLL = 'enroll'
MANAGEABLE = 'manageable'
AVAILABLE = 'available'

# A node in one of these states is deployed, being deployed, rescued or
# serviced: it may run someone's workload. Unregistering it needs force.
DEPLOYED_STATES = frozenset({
    'active', 'deploying', 'wait call-back', 'deploy failed',
    'deploy hold', 'deleting', 'error', 'rebuild', 'adopting', 'rescue',
    'rescuing', 'rescue wait', 'rescue failed', 'unrescuing',
    'unrescue failed', 'servicing', 'service wait', 'service failed',
    'service hold'})
# States Ironic deletes a node in.
DELETABLE_STATES = frozenset({ENROLL, MANAGEABLE, 'adopt failed'})
# States the "manage" action turns into manageable at once.
MANAGE_FIRST_STATES = frozenset({AVAILABLE, 'clean failed',
                                 'inspect failed'})
# Any other state (verifying, cleaning, inspecting...) means Ironic is
# working on the node.

# Seconds between two reads of a node whose provision state is changing.
POLL_INTERVAL = 1.0

MAINTENANCE_REASON = 'Unregistered from Valence by force'

# Steps of a removal (see removal_steps).
STEP_MAINTENANCE = 'maintenance'
STEP_MANAGE = 'manage'
STEP_DELETE = 'delete'


def removal_steps(node, force=False):
    """How to remove ``node`` (an Ironic node as a dict) from Ironic.

    :returns: the steps, in order: STEP_MANAGE first for an available
        node, STEP_MAINTENANCE first when forcing out a deployed or busy
        node (Ironic deletes a node in maintenance whatever its state),
        then STEP_DELETE.
    :raises: ProvisionNodeDeployed or ProvisionNodeBusy, unless ``force``.
    """
    state = node.get('provision_state')
    deployed = state in DEPLOYED_STATES or node.get('instance_uuid')
    if not deployed and state in DELETABLE_STATES:
        return [STEP_DELETE]
    if not deployed and state in MANAGE_FIRST_STATES:
        return [STEP_MANAGE, STEP_DELETE]
    if force:
        return [STEP_MAINTENANCE, STEP_DELETE]
    if deployed:
        raise exception.ProvisionNodeDeployed(node=node.get('uuid'),
                                              state=state)
    raise exception.ProvisionNodeBusy(node=node.get('uuid'), state=state)


def _version(text):
    return tuple(int(part) for part in str(text).split('.'))


def _scrub(message, secrets):
    for secret in secrets:
        if secret:
            message = message.replace(secret, '***')
    return message


def _secrets(description):
    found = [description.password]
    for key, value in description.options.driver_info.items():
        if 'password' in key and isinstance(value, str):
            found.append(value)
    return found


def _from_ironic(error, secrets):
    """The Valence exception for an error answer of Ironic."""
    message = _scrub(error.message or str(error), secrets)
    status = error.http_status
    if status in (401, 406, 503):
        return exception.ProvisionUnavailable(
            reason='Ironic answered %s: %s' % (status, message))
    if status is None or status >= 500:
        return exception.ProvisionError(reason=message)
    # Ironic's 403 says what it refuses to do in this state (a protected
    # node...): a conflict the operator resolves in Ironic.
    code = status if status in (400, 404, 409) else (
        409 if status == 403 else 400)
    return exception.ProvisionError(reason=message, code=code)


@contextlib.contextmanager
def _translated(secrets=()):
    """Turn client library errors into Valence exceptions."""
    try:
        yield
    except ironic_exc.HttpError as e:
        raise _from_ironic(e, secrets) from None
    except ironic_exc.ClientException as e:
        # Version negotiation failed, no endpoint...
        raise exception.ProvisionUnavailable(
            reason=_scrub(str(e), secrets)) from None
    except ks_exc.Unauthorized as e:
        raise exception.ProvisionUnavailable(
            reason='Keystone refused the [ironic] credentials: %s' % e
        ) from None
    except ks_exc.ClientException as e:
        # Ironic or Keystone unreachable, endpoint not in the catalog,
        # [ironic] options missing...
        raise exception.ProvisionUnavailable(
            reason=_scrub(str(e), secrets)) from None


def _make_client():
    """An Ironic client from the [ironic] options."""
    group = CONF.ironic
    if not group.auth_type:
        raise exception.ProvisionUnavailable(
            reason='the [ironic] options are not set: use auth_type = '
                   'password with auth_url and credentials, or auth_type '
                   '= none with endpoint_override')
    auth = ks_loading.load_auth_from_conf_options(CONF, 'ironic')
    session = ks_loading.load_session_from_conf_options(CONF, 'ironic',
                                                        auth=auth)
    adapter = ks_loading.load_adapter_from_conf_options(
        CONF, 'ironic', session=session, auth=auth)
    # endpoint_override when set; otherwise Keystone's catalog.
    endpoint = adapter.get_endpoint()
    if not endpoint:
        raise exception.ProvisionUnavailable(
            reason='no %s endpoint (interfaces %s) in the catalog'
                   % (group.service_type, ', '.join(group.valid_interfaces)))
    return ironic_client.Client(
        '1', endpoint_override=endpoint, session=session,
        # A list: ironicclient takes the highest the server supports.
        os_ironic_api_version=[MIN_API_VERSION, API_VERSION],
        max_retries=group.api_max_retries,
        retry_interval=group.api_retry_interval)


class IronicDriver(base.ProvisionDriver):
    """Registers composed nodes in OpenStack Ironic."""

    def __init__(self):
        self._lock = threading.Lock()
        self._client = None

    def client(self):
        """The Ironic client, made on first use and kept."""
        with self._lock:
            if self._client is None:
                with _translated():
                    self._client = _make_client()
            return self._client

    # -- the interface -----------------------------------------------------

    def register(self, description):
        # Checked before anything is sent: a 400 leaves Ironic untouched.
        wanted = mapping.node_fields(description)
        macs = mapping.mac_addresses(description)
        secrets = _secrets(description)
        client = self.client()
        with _translated(secrets):
            node = self._find(client, description)
            if _version(client.current_api_version) >= _DESCRIPTION_VERSION:
                wanted['description'] = mapping.node_description(
                    description)
            if node is None:
                node = self._create(client, wanted, macs, description.uuid)
            else:
                node = self._update(client, node, wanted, macs,
                                    description.uuid)
            if description.options.provide:
                node = self._provide(client, node)
            return self._registered(client, node)

    def validate(self, description):
        mapping.node_fields(description)

    def unregister(self, ironic_node_uuid, force=False):
        client = self.client()
        with _translated():
            node = self._node_or_none(client, ironic_node_uuid)
            if node is None:
                LOG.info('Ironic node %s is already gone', ironic_node_uuid)
                return
            steps = removal_steps(node.to_dict(), force)
            if STEP_MAINTENANCE in steps:
                client.node.set_maintenance(ironic_node_uuid, True,
                                            maint_reason=MAINTENANCE_REASON)
            if STEP_MANAGE in steps:
                client.node.set_provision_state(ironic_node_uuid, 'manage')
                node = self._wait(client, ironic_node_uuid, MANAGEABLE)
                if node.provision_state != MANAGEABLE:
                    raise exception.ProvisionNodeBusy(
                        node=ironic_node_uuid, state=node.provision_state)
            try:
                client.node.delete(ironic_node_uuid)
            except ironic_exc.NotFound:
                pass
        LOG.info('Unregistered Ironic node %(node)s (force: %(force)s)',
                 {'node': ironic_node_uuid, 'force': force})

    def check_unregister(self, ironic_node_uuid, force=False):
        client = self.client()
        with _translated():
            node = self._node_or_none(client, ironic_node_uuid)
            if node is not None:
                removal_steps(node.to_dict(), force)

    def get(self, ironic_node_uuid):
        client = self.client()
        with _translated():
            try:
                node = client.node.get(ironic_node_uuid)
            except ironic_exc.NotFound:
                raise exception.ProvisionNodeNotFound(
                    node=ironic_node_uuid) from None
            return self._registered(client, node)

    # -- steps ---------------------------------------------------------------

    @staticmethod
    def _node_or_none(client, ironic_node_uuid):
        try:
            return client.node.get(ironic_node_uuid)
        except ironic_exc.NotFound:
            return None

    @staticmethod
    def _find(client, description):
        """The Ironic node registered for the Valence node, or None."""
        def ours(node):
            return (node.extra or {}).get(
                mapping.VALENCE_UUID) == description.uuid

        if description.ironic_node_uuid:
            node = IronicDriver._node_or_none(client,
                                              description.ironic_node_uuid)
            if node is not None and ours(node):
                return node
        # Ironic cannot filter on extra: read the ties of every node.
        for node in client.node.list(fields=['uuid', 'extra'], limit=0):
            if ours(node):
                return client.node.get(node.uuid)
        return None

    def _create(self, client, wanted, macs, valence_uuid):
        node = client.node.create(
            **{key: value for key, value in wanted.items()
               if value is not None})
        LOG.info('Created Ironic node %(node)s for Valence node %(valence)s '
                 '(hardware type %(driver)s)',
                 {'node': node.uuid, 'valence': valence_uuid,
                  'driver': node.driver})
        try:
            self._sync_ports(client, node.uuid, macs, valence_uuid)
        except Exception:
            # A node without its ports is of no use: leave nothing behind.
            try:
                client.node.delete(node.uuid)
            except Exception as e:
                LOG.error('Could not delete Ironic node %(node)s after its '
                          'ports failed: %(error)s',
                          {'node': node.uuid, 'error': e})
            raise
        return client.node.get(node.uuid)

    def _update(self, client, node, wanted, macs, valence_uuid):
        patch = mapping.node_patch(node.to_dict(), wanted)
        if patch:
            # A new hardware type needs its own default interfaces.
            reset = any(op['path'] == '/driver' for op in patch) or None
            client.node.update(node.uuid, patch, reset_interfaces=reset)
            LOG.info('Updated Ironic node %(node)s: %(fields)s',
                     {'node': node.uuid,
                      'fields': ', '.join(op['path'] for op in patch)})
        self._sync_ports(client, node.uuid, macs, valence_uuid)
        return client.node.get(node.uuid)

    @staticmethod
    def _sync_ports(client, node_uuid, macs, valence_uuid):
        """Give the node a port per MAC; drop Valence's ports of old MACs.

        Ports someone else added in Ironic are left alone. If a port
        cannot be made, those made here are deleted again.
        """
        ports = client.node.list_ports(node_uuid, detail=True, limit=0)
        have = {port.address.lower(): port for port in ports}
        created = []
        try:
            for mac in macs:
                if mac not in have:
                    created.append(client.port.create(
                        address=mac, node_uuid=node_uuid,
                        extra={mapping.VALENCE_UUID: valence_uuid}).uuid)
        except Exception:
            for port_uuid in created:
                with contextlib.suppress(Exception):
                    client.port.delete(port_uuid)
            raise
        for address, port in have.items():
            if address not in macs and (port.extra or {}).get(
                    mapping.VALENCE_UUID) == valence_uuid:
                client.port.delete(port.uuid)

    def _provide(self, client, node):
        """enroll -> manageable -> available, waiting a bounded time.

        A node already available, or further on, is left as it is.
        """
        deadline = time.monotonic() + CONF.ironic.state_change_timeout
        for source, action, target in ((ENROLL, 'manage', MANAGEABLE),
                                       (MANAGEABLE, 'provide', AVAILABLE)):
            if node.provision_state != source:
                continue
            client.node.set_provision_state(node.uuid, action)
            node = self._wait(client, node.uuid, target, deadline)
            if node.provision_state == target:
                continue
            if node.target_provision_state is None:
                raise exception.ProvideFailed(
                    node=node.uuid, state=node.provision_state,
                    reason=node.last_error or 'Ironic gave no reason')
            LOG.info('Ironic node %(node)s is still %(state)s after '
                     '%(timeout)s seconds', {
                         'node': node.uuid, 'state': node.provision_state,
                         'timeout': CONF.ironic.state_change_timeout})
            break
        return node

    @staticmethod
    def _wait(client, node_uuid, target, deadline=None):
        """The node once it reached ``target``, stopped elsewhere (Ironic
        no longer moves it), or the deadline passed."""
        if deadline is None:
            deadline = time.monotonic() + CONF.ironic.state_change_timeout
        while True:
            node = client.node.get(node_uuid)
            if (node.provision_state == target
                    or node.target_provision_state is None
                    or time.monotonic() >= deadline):
                return node
            time.sleep(POLL_INTERVAL)

    @staticmethod
    def _registered(client, node):
        ports = client.node.list_ports(node.uuid, limit=0)
        return base.RegisteredNode(
            uuid=node.uuid, name=node.name, driver=node.driver,
            provision_state=node.provision_state,
            power_state=node.power_state,
            maintenance=bool(node.maintenance),
            last_error=node.last_error,
            mac_addresses=sorted(port.address for port in ports))
