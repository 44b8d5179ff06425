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


"""Composing and decomposing nodes.

``schedule`` (in the RPC call) picks the pod and its resources, records
the node as ``composing`` and claims the resources; ``compose`` (in the
background, under the node's reservation, on the conductor serving the
pod) has the driver build it, recording every step:

    composing -> allocated -> assembling -> available
    any failure -> compose failed, or cleanup_needed if undoing failed

``decompose`` takes a node apart on its pod and removes it:

    available | compose failed | cleanup_needed -> deleting -> gone
    failure -> cleanup_needed, with the reason

A node registered in Ironic is unregistered first; if Ironic keeps it,
the pod is not touched and the node is back to available.

Every operation and step is recorded in ``node_actions`` and announced by
``valence.node.{compose,delete,manage}.{start,end,error}``.
"""

import dataclasses

from oslo_log import log

from valence import objects
from valence.common import exception
from valence.common import states
from valence.conductor import devices
from valence.conductor import notify
from valence.conductor import provision
from valence.conductor import requirements
from valence.conductor import scheduler
from valence.objects import notification
from valence.podmanagers import base as driver_base

LOG = log.getLogger(__name__)

# Placement attempts when other composes take the resources first.
CLAIM_ATTEMPTS = 10
DELETABLE = (states.AVAILABLE, states.COMPOSE_FAILED, states.CLEANUP_NEEDED)
_STEP_STATES = {driver_base.STEP_ALLOCATED: states.ALLOCATED,
                driver_base.STEP_ASSEMBLING: states.ASSEMBLING}


def summary(pod_node):
    """What the API shows of a composed node, from the pod's PodNode."""
    composed = dataclasses.asdict(pod_node)
    for field in ('uri', 'name', 'state', 'power_state'):
        composed.pop(field)
    return composed


def compose_request(node):
    """The driver's ComposeRequest for a node being composed.

    The pod's node is named after the Valence node's uuid, so that it can
    be found again if the conductor dies before it learns the node's URI.
    """
    request = requirements.compose_request(
        node.uuid, node.name or node.description,
        node.requested.get('properties') or {})
    request.resource_uris = list(node.requested.get('resource_uris') or [])
    return request


def schedule(context, node, podms):
    """Place a new node, record it and claim its resources.

    :param node: a Node with its name, properties (in ``requested``),
        flavor and owner set, not yet in the database.
    :param podms: the pod managers it may go to.
    :returns: the Placement; the node is created in state ``composing``.
    :raises: NoValidPod when no pod fits, with the reasons.
    """
    request = compose_request(node)
    for attempt in range(CLAIM_ATTEMPTS):
        placement = scheduler.place(context, request, podms)
        node.podmanager_id = placement.podm.id
        node.requested = dict(node.requested,
                              resource_uris=placement.resource_uris)
        if attempt == 0:
            node.create()
        else:
            node.save()
        if _claim(node, placement):
            return placement
        # Another node took a resource between reading and claiming: the
        # scheduler sees it taken now and looks again.
        node.release_inventory()
    node.destroy()
    raise exception.NoValidPod(
        reasons='every fitting resource was taken by concurrent requests')


def _claim(node, placement):
    if placement.system_uri and not node.claim('systems',
                                               [placement.system_uri]):
        return False
    return not placement.device_uris or node.claim(
        'devices', placement.device_uris)


def compose(context, node, driver, host):
    """Have the pod build the node; the node is reserved by ``host``."""
    action = objects.NodeAction.start(context, node.uuid, 'compose', host)
    notify.node_event(context, node, 'compose', notification.START)

    def record_step(step, node_uri):
        node.pod_node_uri = node_uri
        node.state = _STEP_STATES.get(step, node.state)
        node.save()
        objects.NodeAction.start(context, node.uuid, 'compose', host,
                                 step=step).finish()

    try:
        pod_node = driver.compose(compose_request(node), record_step)
        node.pod_node_uri = pod_node.uri
        node.composed = summary(pod_node)
        node.power_state = pod_node.power_state
        node.state = states.AVAILABLE
        node.last_error = None
        # Ready and unlocked in one write: a client that sees "available"
        # can act on the node at once.
        node.reservation = None
        # Refused if another Valence node still holds the address the pod
        # gave (a pod that lost its nodes may give their addresses again).
        node.save()
    except Exception as e:
        _compose_failed(context, node, driver, action, e)
        return
    action.finish()
    notify.node_event(context, node, 'compose', notification.END)
    LOG.info('Node %(node)s composed on pod manager %(podm)s at %(uri)s',
             {'node': node.uuid, 'podm': node.podm_uuid,
              'uri': node.pod_node_uri})


def _compose_failed(context, node, driver, action, error):
    if isinstance(error, exception.CompositionFailed):
        cleaned_up = error.cleaned_up
        node.pod_node_uri = error.node_uri or node.pod_node_uri
    elif isinstance(error, exception.ValenceException):
        # The driver failed before it could undo anything: undo here.
        cleaned_up = rollback(node, driver)
    else:
        LOG.exception('Composing node %s failed', node.uuid)
        cleaned_up = rollback(node, driver)
        error = exception.PodManagerError(
            reason='unexpected %s while composing' % type(error).__name__)
    node.state = (states.COMPOSE_FAILED if cleaned_up
                  else states.CLEANUP_NEEDED)
    node.last_error = str(error)
    node.reservation = None
    if cleaned_up:
        node.pod_node_uri = None
        node.release_inventory()
    node.save()
    action.finish(error=str(error))
    notify.node_event(context, node, 'compose', notification.ERROR,
                      error=error)
    LOG.warning('Composing node %(node)s failed: %(error)s',
                {'node': node.uuid, 'error': error})


def rollback(node, driver):
    """Undo what the pod did for a node whose composition stopped.

    A node whose URI was never recorded is looked for by its name, the
    Valence uuid. Returns whether the pod holds nothing for it any more.
    """
    try:
        uri = node.pod_node_uri or _find_by_name(node, driver)
        if uri:
            driver.delete_node(uri)
        return True
    except Exception as e:
        LOG.warning('Could not undo the composition of node %(node)s: '
                    '%(error)s', {'node': node.uuid, 'error': e})
        return False


def _find_by_name(node, driver):
    for uri in driver.list_nodes():
        try:
            if driver.get_node(uri).name == node.uuid:
                return uri
        except exception.PodResourceNotFound:
            continue
    return None


def decompose(context, node, driver, host, provisioners):
    """Take the node apart on its pod and remove it (node reserved).

    :param provisioners: the conductor's provision.Provisioners.
    """
    action = objects.NodeAction.start(context, node.uuid, 'delete', host)
    notify.node_event(context, node, 'delete', notification.START)
    if node.ironic_node_uuid and not provision.unregister(
            context, node, provisioners.get(node), host):
        # Ironic still has the node: taking it apart under Ironic's feet
        # would break what Ironic runs on it. unregister left the node
        # available with the reason.
        action.finish(error=node.last_error)
        notify.node_event(context, node, 'delete', notification.ERROR,
                          error=node.last_error)
        return
    try:
        if node.pod_node_uri:
            devices.detach_all(context, node, driver)
            driver.delete_node(node.pod_node_uri)
    except Exception as e:
        if not isinstance(e, exception.ValenceException):
            LOG.exception('Deleting node %s failed', node.uuid)
        node.state = states.CLEANUP_NEEDED
        node.last_error = 'Deleting the node failed: %s' % e
        node.reservation = None
        node.save()
        action.finish(error=str(e))
        notify.node_event(context, node, 'delete', notification.ERROR, error=e)
        return
    node.destroy()
    action.finish()
    notify.node_event(context, node, 'delete', notification.END)
    LOG.info('Node %s deleted', node.uuid)


def manage(context, node, driver, node_index, host):
    """Import a node the pod composed outside Valence.

    :param node: a Node with its uuid, pod manager, name and owner set.
    """
    notify.node_event(context, node, 'manage', notification.START,
                      node_index=node_index)
    try:
        uri = driver.find_node(node_index)
        pod_node = driver.get_node(uri)
        node.pod_node_uri = uri
        node.name = node.name or pod_node.name
        node.composed = summary(pod_node)
        node.power_state = pod_node.power_state
        node.state = states.AVAILABLE
        node.managed = True
        node.requested = {}
        node.create()
    except exception.ValenceException as e:
        if isinstance(e, exception.Conflict):
            e = exception.Conflict(
                reason='node %s of this pod manager is already managed by '
                       'Valence' % node_index)
        notify.node_event(context, node, 'manage', notification.ERROR,
                          node_index=node_index, error=e)
        raise e
    objects.NodeAction.start(context, node.uuid, 'manage', host).finish()
    notify.node_event(context, node, 'manage', notification.END,
                      node_index=node_index)
    return node
