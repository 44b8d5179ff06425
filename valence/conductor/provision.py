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


"""Registering composed nodes in Ironic, and taking them back.

``prepare_register`` and ``prepare_unregister`` run in the RPC call, under
the node's reservation: they check what can be checked at once (the node
is available; the provision driver accepts the request, for instance the
IPMI driver_info an ExpEther node needs) and mark the node. ``register``
and ``unregister`` then run in the background:

    available -> registering -> available, ironic_node_uuid set
    available -> unregistering -> available, ironic_node_uuid cleared
    failure: back to available, with the reason in last_error

A registered node stays ``available``: it can still be powered, have
devices attached, be registered again (which updates Ironic's node) or be
deleted. The transient states show when the work is done (a second
registration does not change ``ironic_node_uuid``) and let recovery free a
node whose conductor died in the middle.

Deleting a registered node unregisters it first (``compose.decompose``).
Ironic refuses to let a deployed or busy node go (without ``force``):
the RPC calls of unregister and delete ask it first, so that such a
request is refused at once (409) and the node stays as it is.

Every operation is recorded in ``node_actions`` and announced by
``valence.node.{register,unregister}.{start,end,error}``.
"""

import threading

from oslo_log import log

from valence import objects
from valence import provision as provision_drivers
from valence.common import exception
from valence.common import states
from valence.conductor import notify
from valence.objects import notification
from valence.provision import base as provision_base

LOG = log.getLogger(__name__)

DEFAULT_DRIVER = 'ironic'
IN_PROGRESS = (states.REGISTERING, states.UNREGISTERING)


class Provisioners:
    """This conductor's provision drivers, one instance per driver name.

    An instance keeps its client (and its session with Keystone), so it
    is made once and shared by every node and thread.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._drivers = {}

    def get(self, node):
        """The driver that registers ``node`` (or registered it)."""
        name = driver_name(node)
        with self._lock:
            if name not in self._drivers:
                self._drivers[name] = provision_drivers.get_driver(name)
            return self._drivers[name]


def driver_name(node):
    return node.provision_driver or DEFAULT_DRIVER


def describe(context, node, options):
    """The NodeDescription of ``node`` for its provision driver.

    It carries the pod manager's password, decrypted here; the
    description never shows it in its representation.

    :param options: the register request's fields (RegisterOptions).
    """
    podm = objects.PodManager.get_by_uuid(context, node.podm_uuid)
    composed = node.composed or {}
    return provision_base.NodeDescription(
        uuid=node.uuid, name=node.name or node.uuid,
        pod_driver=podm.driver, pod_url=podm.url, username=podm.username,
        password=podm.password, pod_auth_type=podm.auth_type,
        verify_tls=podm.verify_tls,
        system_uri=composed.get('system_uri'),
        # A pod that counts no cores counts processors.
        cpus=composed.get('cores') or composed.get('processors') or 0,
        memory_mib=composed.get('memory_mib') or 0,
        local_gb=composed.get('local_gb') or 0,
        cpu_arch=composed.get('arch'),
        mac_addresses=[nic['mac_address']
                       for nic in composed.get('nics') or []
                       if nic.get('mac_address')],
        options=provision_base.RegisterOptions(**options),
        ironic_node_uuid=node.ironic_node_uuid)


def prepare_register(context, node, provisioner, options):
    """Check a registration and mark the node (reserved) registering.

    :returns: the NodeDescription to register.
    :raises: InvalidState (409) unless the node is available; Invalid
        (400) for what the request must mend.
    """
    description = describe(context, node, options)
    provisioner.validate(description)
    node.state = states.REGISTERING
    node.save(states=(states.AVAILABLE,))
    return description


def register(context, node, provisioner, description, host):
    """Register the node in Ironic, or update its registration."""
    action = objects.NodeAction.start(context, node.uuid, 'register', host)
    notify.node_event(context, node, 'register', notification.START)
    try:
        registered = provisioner.register(description)
    except exception.ProvideFailed as e:
        # Registered, but Ironic stopped it on the way to available: keep
        # the node's uuid, so that unregistering or registering again
        # finds it.
        node.ironic_node_uuid = e.kwargs['node']
        node.provision_driver = driver_name(node)
        _failed(context, node, action, e)
        return
    except Exception as e:
        _failed(context, node, action, e)
        return
    node.ironic_node_uuid = registered.uuid
    node.provision_driver = driver_name(node)
    action.finish()
    _done(node)
    notify.node_event(context, node, 'register', notification.END,
                      provision_state=registered.provision_state)
    LOG.info('Node %(node)s registered in Ironic as %(ironic)s (%(state)s)',
             {'node': node.uuid, 'ironic': registered.uuid,
              'state': registered.provision_state})


def prepare_unregister(node, provisioner, force=False):
    """Check an unregistration; mark the node (reserved) unregistering.

    :raises: Conflict (409) when the node is not registered, or when
        Ironic would refuse to let it go (deployed, or busy) without
        ``force``.
    """
    if not node.ironic_node_uuid:
        raise exception.Conflict(
            reason='node %s is not registered in Ironic' % node.uuid)
    provisioner.check_unregister(node.ironic_node_uuid, force=force)
    node.state = states.UNREGISTERING
    node.save(states=(states.AVAILABLE,))


def unregister(context, node, provisioner, host, force=False):
    """Remove the node (reserved) from Ironic.

    Also the first step of deleting a registered node. On failure the
    node is back to available with the reason in last_error.

    :returns: whether Ironic let the node go.
    """
    action = objects.NodeAction.start(context, node.uuid, 'unregister',
                                      host)
    notify.node_event(context, node, 'unregister', notification.START,
                      force=force)
    try:
        provisioner.unregister(node.ironic_node_uuid, force=force)
    except Exception as e:
        _failed(context, node, action, e)
        return False
    ironic_node_uuid = node.ironic_node_uuid
    node.ironic_node_uuid = None
    node.provision_driver = None
    action.finish()
    if node.state == states.UNREGISTERING:
        _done(node)
    else:
        # Deleting: the node stays reserved for the rest of the work.
        node.save()
    notify.node_event(context, node, 'unregister', notification.END,
                      force=force)
    LOG.info('Node %(node)s unregistered from Ironic (was %(ironic)s)',
             {'node': node.uuid, 'ironic': ironic_node_uuid})
    return True


def _done(node):
    # After the action is finished, for the same reason as in _failed.
    node.state = states.AVAILABLE
    node.last_error = None
    # Available and unlocked in one write: a client that sees the node
    # available can act on it at once.
    node.reservation = None
    node.save()


def _failed(context, node, action, error):
    """Record a failed registration or unregistration; node available."""
    if not isinstance(error, exception.ValenceException):
        LOG.exception('%s of node %s failed', action.action, node.uuid)
        error = exception.ProvisionError(
            reason='unexpected %s' % type(error).__name__)
    node.state = states.AVAILABLE
    node.last_error = '%s failed: %s' % (
        'Registering in Ironic' if action.action == 'register'
        else 'Unregistering from Ironic', error)
    node.reservation = None
    # The action first: once the node is available again, what happened
    # to it is on record.
    action.finish(error=str(error))
    node.save()
    notify.node_event(context, node, action.action, notification.ERROR,
                      error=error)
    LOG.warning('Node %(node)s: %(error)s',
                {'node': node.uuid, 'error': node.last_error})


def abandoned(context, node):
    """Free a node whose conductor stopped while (un)registering it.

    Ironic may or may not have done what was asked; both operations are
    idempotent, so the node goes back to available and the reason says
    to ask again. Returns the reason.
    """
    action = ('register' if node.state == states.REGISTERING
              else 'unregister')
    node.state = states.AVAILABLE
    node.last_error = ('The conductor working on this node stopped before '
                       'it could %s it in Ironic: ask again.' % action)
    node.save()
    notify.node_event(context, node, action, notification.ERROR,
                      error=node.last_error)
    return node.last_error
