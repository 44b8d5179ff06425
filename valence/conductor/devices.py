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


"""Attaching pooled devices to live nodes, and detaching them.

Before the pod is asked, the node must be available and the device free
(or attached to this node, for a detach), on the node's pod manager and,
where the pod has resource zones, in the node's zone. The device row is
then claimed (``UPDATE ... WHERE state = 'free'``), so two requests for
one device never both reach the pod; a failure at the pod releases the
claim. The conductor makes the checks, the claim and the record of the
started action in one transaction, and writes the outcome in another, so
a refusal or a failure never leaves half of it written. Meanwhile the
node is ``attaching`` or ``detaching`` and the device likewise; the
outcome is recorded on both, in ``node_actions`` and in the
``valence.node.{attach,detach}.*`` notifications, with whether the node
must reboot to see the change.
"""

from oslo_log import log

from valence import objects
from valence.common import exception
from valence.common import states
from valence.conductor import notify
from valence.objects import notification

LOG = log.getLogger(__name__)


def _zones_of(context, node):
    """The resource zones of the node's compute block, if the pod has any."""
    uris = (node.requested or {}).get('resource_uris') or []
    if not uris:
        return None
    block = objects.ResourceBlock.find_by_pod_uri(context, node.podm_uuid,
                                                  uris[0])
    return block.zone_uris if block is not None and block.zone_uris else None


def find_device(context, device_uuid):
    """The device a request names (``resource_id``), or a 400 saying so."""
    try:
        return objects.Device.get_by_uuid(context, device_uuid)
    except exception.InventoryNotFound:
        raise exception.InvalidParameterValue(
            field='resource_id', reason='no device has this UUID')


def prepare_attach(context, node, device, host):
    """Check and claim the device for the node (reserved), and record the
    attach as started; no pod call. Returns the NodeAction."""
    if node.state != states.AVAILABLE:
        raise exception.InvalidState(node=node.uuid, state=node.state)
    if device.podm_uuid != node.podm_uuid:
        raise exception.Invalid(
            reason='device %s is on another pod manager than node %s.'
            % (device.uuid, node.uuid))
    zones = _zones_of(context, node)
    if zones and device.zone_uri and device.zone_uri not in zones:
        raise exception.Invalid(
            reason='device %s is not in the resource zone of node %s.'
            % (device.uuid, node.uuid))
    if not device.change({'state': states.DEVICE_ATTACHING,
                          'node_id': node.id},
                         {'state': states.FREE}):
        raise exception.Conflict(
            reason='device %s is not free: it is %s%s.' % (
                device.uuid, device.state,
                ' to node %s' % device.node_uuid if device.node_uuid
                else ''))
    node.state = states.ATTACHING
    node.save()
    return objects.NodeAction.start(context, node.uuid, 'attach', host,
                                    step=device.uuid)


def prepare_detach(context, node, device, host):
    """Check and claim the device for detaching (node reserved), and
    record the detach as started. Returns the NodeAction."""
    if node.state != states.AVAILABLE:
        raise exception.InvalidState(node=node.uuid, state=node.state)
    if device.node_uuid != node.uuid:
        raise exception.Conflict(
            reason='device %s is not attached to node %s.'
            % (device.uuid, node.uuid))
    if not device.change({'state': states.DEVICE_DETACHING},
                         {'state': states.ALLOCATED_TO_NODE,
                          'node_id': node.id}):
        raise exception.Conflict(
            reason='device %s is busy: it is %s.' % (device.uuid,
                                                     device.state))
    node.state = states.DETACHING
    node.save()
    return objects.NodeAction.start(context, node.uuid, 'detach', host,
                                    step=device.uuid)


def _done(node, error=None):
    node.state = states.AVAILABLE
    node.last_error = error
    node.reservation = None
    node.save()


def _record(node, device, reboot_required):
    """Keep the node's view of its devices and their reboot needs."""
    composed = dict(node.composed or {})
    uris = [u for u in composed.get('device_uris') or [] if u !=
            device.pod_uri]
    attachments = dict(composed.get('attachments') or {})
    attachments.pop(device.uuid, None)
    if reboot_required is not None:
        uris.append(device.pod_uri)
        attachments[device.uuid] = {'reboot_required': reboot_required}
    composed.update(device_uris=uris, attachments=attachments)
    node.composed = composed


def attach(context, node, device, action, driver):
    """Ask the pod to attach the claimed device (in the background)."""
    _ask_pod(context, node, device, action, 'attach', driver.attach_device,
             done={'state': states.ALLOCATED_TO_NODE,
                   'pod_node_uri': node.pod_node_uri},
             undone={'state': states.FREE, 'node_id': None})


def detach(context, node, device, action, driver):
    """Ask the pod to detach the claimed device (in the background)."""
    _ask_pod(context, node, device, action, 'detach', driver.detach_device,
             done={'state': states.FREE, 'node_id': None,
                   'pod_node_uri': None},
             undone={'state': states.ALLOCATED_TO_NODE, 'node_id': node.id})


def _ask_pod(context, node, device, action, kind, pod_call, done, undone):
    """Make the pod call; record the device as ``done`` (or, when the pod
    refused, as ``undone``), the node available and the action ended."""
    notify.node_event(context, node, kind, notification.START,
                      device_uuid=device.uuid)
    try:
        reboot = bool(pod_call(node.pod_node_uri, device.pod_uri))
    except Exception as e:
        with objects.transaction():
            error = _failed(node, device, e, undone)
            action.finish(error=error)
        notify.node_event(context, node, kind, notification.ERROR,
                          device_uuid=device.uuid, error=error)
        return
    with objects.transaction():
        device.change(done, None)
        _record(node, device, reboot if kind == 'attach' else None)
        _done(node)
        action.finish()
    notify.node_event(context, node, kind, notification.END,
                      device_uuid=device.uuid, reboot_required=reboot)


def _failed(node, device, error, undone):
    """Put the device back as it was (``undone``), or drop it if the pod
    lost it."""
    if isinstance(error, exception.PodResourceNotFound):
        # The pod no longer has it: the inventory follows the pod.
        device.change({'state': states.UNAVAILABLE, 'node_id': None,
                       'pod_node_uri': None}, None)
        message = ('Device %s is gone from its pod; the inventory now '
                   'shows it unavailable.' % device.uuid)
    else:
        if not isinstance(error, exception.ValenceException):
            LOG.exception('Changing device %(device)s of node %(node)s '
                          'failed', {'device': device.uuid,
                                     'node': node.uuid})
        device.change(undone, None)
        message = str(error)
    _done(node, message)
    LOG.warning('Device %(device)s of node %(node)s: %(error)s',
                {'device': device.uuid, 'node': node.uuid,
                 'error': message})
    return message


def settle(context, node, driver):
    """After a crash: make the node's claimed devices what the pod says.

    Each interrupted attach or detach is announced as ended or failed,
    as the pod shows it.
    """
    attached = set(driver.get_node(node.pod_node_uri).device_uris)
    outcomes = []
    for device in objects.Device.list(
            context, filters={'node_uuid': node.uuid,
                              'any_state': states.TRANSIENT_DEVICE_STATES}):
        action = ('attach' if device.state == states.DEVICE_ATTACHING
                  else 'detach')
        on_node = device.pod_uri in attached
        if on_node:
            # The pod did not say whether the node must reboot: assume so.
            device.change({'state': states.ALLOCATED_TO_NODE,
                           'pod_node_uri': node.pod_node_uri}, None)
            _record(node, device, True)
        else:
            device.change({'state': states.FREE, 'node_id': None,
                           'pod_node_uri': None}, None)
            _record(node, device, None)
        outcomes.append((action, device.uuid, on_node == (action == 'attach')))
    reason = ('The conductor changing this node\'s devices stopped; its '
              'devices are now as the pod reports them.')
    _done(node, reason)
    for action, device_uuid, done in outcomes:
        if done:
            notify.node_event(context, node, action, notification.END,
                              device_uuid=device_uuid,
                              reboot_required=action == 'attach')
        else:
            notify.node_event(context, node, action, notification.ERROR,
                              device_uuid=device_uuid, error=reason)


def detach_all(context, node, driver):
    """Detach every device of a node before it is decomposed.

    A device the pod does not show on the node any more is let go of too:
    decomposing frees it anyway. A pod that cannot be reached stops it.
    """
    for device in objects.Device.list(context,
                                      filters={'node_uuid': node.uuid}):
        try:
            driver.detach_device(node.pod_node_uri, device.pod_uri)
        except (exception.PodRequestRefused,
                exception.PodResourceNotFound) as e:
            LOG.info('Device %(device)s of node %(node)s was not attached: '
                     '%(error)s', {'device': device.uuid, 'node': node.uuid,
                                   'error': e})
        device.change({'state': states.FREE, 'node_id': None,
                       'pod_node_uri': None}, None)
