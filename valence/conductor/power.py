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


"""Power and boot of composed nodes, and keeping power_state true."""

from oslo_log import log

from valence.common import exception
from valence.common import states
from valence.conductor import compose
from valence.conductor import notify
from valence.conductor import task_manager
from valence.objects import notification

LOG = log.getLogger(__name__)

BOOT_ENABLED = ('Disabled', 'Once', 'Continuous')


def set_power(context, node, driver, reset_type):
    """Reset the node as asked (node reserved), checked against the pod."""
    allowed = (node.composed or {}).get('reset_types') or []
    if allowed and reset_type not in allowed:
        raise exception.InvalidParameterValue(
            field='Reset.Type',
            reason='the pod allows %s for this node' % ', '.join(allowed))
    notify.node_event(context, node, 'power_set', notification.START,
                   reset_type=reset_type)
    try:
        driver.set_power(node.pod_node_uri, reset_type)
        node.power_state = driver.get_node(node.pod_node_uri).power_state
    except exception.ValenceException as e:
        notify.node_event(context, node, 'power_set', notification.ERROR,
                       reset_type=reset_type, error=e)
        raise
    node.save()
    notify.node_event(context, node, 'power_set', notification.END,
                   reset_type=reset_type)


def set_boot(context, node, driver, enabled, target):
    """Set the boot override (node reserved), checked against the pod."""
    boot = (node.composed or {}).get('boot') or {}
    targets = boot.get('allowed_targets') or []
    if enabled not in BOOT_ENABLED:
        raise exception.InvalidParameterValue(
            field='Boot.Enabled', reason='must be one of %s'
            % ', '.join(BOOT_ENABLED))
    if targets and target not in targets:
        raise exception.InvalidParameterValue(
            field='Boot.Target',
            reason='the pod allows %s for this node' % ', '.join(targets))
    driver.set_boot(node.pod_node_uri, enabled, target)
    composed = dict(node.composed or {})
    composed['boot'] = dict(boot, enabled=enabled, target=target)
    node.composed = composed
    node.save()


def refresh(context, node, driver):
    """Read the node from its pod; record what changed."""
    pod_node = driver.get_node(node.pod_node_uri)
    node.composed = compose.summary(pod_node)
    node.power_state = pod_node.power_state
    node.save()
    return node


def sync_power(context, nodes, get_driver, host):
    """Keep power_state true for available nodes nobody is working on."""
    for node in nodes:
        if node.state != states.AVAILABLE or not node.pod_node_uri:
            continue
        try:
            node = task_manager.reserve(context, node.uuid, host)
        except (exception.NodeLocked, exception.NodeNotFound):
            continue
        try:
            power_state = get_driver(node).get_node(
                node.pod_node_uri).power_state
            if power_state != node.power_state:
                LOG.info('Node %(node)s is powered %(state)s',
                         {'node': node.uuid, 'state': power_state})
                node.power_state = power_state
                node.save()
        except exception.ValenceException as e:
            LOG.warning('Could not read the power state of node %(node)s: '
                        '%(error)s', {'node': node.uuid, 'error': e})
        finally:
            task_manager.release(node, host)
