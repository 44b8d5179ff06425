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


"""Recovering nodes whose conductor stopped in the middle of their work.

A node in a transient state whose reservation is missing or held by a
conductor that is no longer alive is taken over by the conductor that now
serves its pod manager, on start-up and periodically. A compose is rolled
back (its pod node deleted, found by its URI or its name), a delete is
finished, and the devices being attached or detached are made what the
pod says; a node being registered in Ironic or unregistered is made
available again, to be asked again. Nothing stays transient and no pod
resource is leaked.
"""

from oslo_log import log

from valence import objects
from valence.common import exception
from valence.common import states
from valence.conductor import compose
from valence.conductor import devices
from valence.conductor import provision

LOG = log.getLogger(__name__)

COMPOSING = (states.COMPOSING, states.ALLOCATED, states.ASSEMBLING)
RECOVERED = states.TRANSIENT_NODE_STATES


def recover(context, manager, alive_hosts):
    """Take over this conductor's orphaned nodes and settle them.

    :param alive_hosts: the conductors whose reservations stand; at
        start-up this conductor's own are stale too and are not included.
    """
    for node in objects.Node.list_orphaned(context, RECOVERED, alive_hosts):
        try:
            podm = objects.PodManager.get_by_uuid(context, node.podm_uuid)
            if manager.ring.host_for(podm.uuid, podm.driver) != manager.host:
                continue
            node.take_over(manager.host)
        except exception.ValenceException:
            continue  # another conductor took it, or it is gone
        try:
            _settle(context, node, manager.drivers.get(podm), manager.host,
                    manager.provisioners)
        except Exception:
            LOG.exception('Recovering node %s failed', node.uuid)
        finally:
            node.release(manager.host)


def _settle(context, node, driver, host, provisioners):
    LOG.warning('Recovering node %(node)s, left %(state)s by conductor '
                '%(holder)s', {'node': node.uuid, 'state': node.state,
                               'holder': node.reservation})
    action = objects.NodeAction.start(context, node.uuid, 'recover', host,
                                      step=node.state)
    if node.state == states.DELETING:
        compose.decompose(context, node, driver, host, provisioners)
        action.finish()
        return
    if node.state in provision.IN_PROGRESS:
        action.finish(error=provision.abandoned(context, node))
        return
    if node.state in (states.ATTACHING, states.DETACHING):
        devices.settle(context, node, driver)
        action.finish()
        return
    cleaned_up = compose.rollback(node, driver)
    reason = ('The conductor composing this node stopped; what the pod '
              'had done was undone.' if cleaned_up else
              'The conductor composing this node stopped, and undoing '
              'what the pod had done failed: delete the node to retry.')
    node.state = (states.COMPOSE_FAILED if cleaned_up
                  else states.CLEANUP_NEEDED)
    node.last_error = reason
    if cleaned_up:
        node.pod_node_uri = None
        node.release_inventory()
    node.save()
    action.finish(error=reason)
