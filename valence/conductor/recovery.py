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
resource is leaked. A node in a stable state whose reservation was left
behind only has its reservation broken.
"""

import datetime

from oslo_log import log
from oslo_utils import timeutils

from valence import conf
from valence import objects
from valence.common import exception
from valence.common import states
from valence.conductor import compose
from valence.conductor import devices
from valence.conductor import notify
from valence.conductor import provision
from valence.conductor import task_manager
from valence.objects import notification

LOG = log.getLogger(__name__)

COMPOSING = (states.COMPOSING, states.ALLOCATED, states.ASSEMBLING)
RECOVERED = states.TRANSIENT_NODE_STATES


def recover(context, manager, alive_hosts):
    """Take over this conductor's orphaned nodes and settle them.

    :param alive_hosts: the other conductors whose reservations stand.
        This conductor's own stand while some work of it holds them
        (``task_manager``); the others were left by work that ended without
        letting go, before a restart or while the database was away.
    """
    # A node being placed has no reservation until its conductor reserves
    # it, a moment later: only one that stays so for a heartbeat timeout
    # has lost its conductor.
    unreserved_before = timeutils.utcnow() - datetime.timedelta(
        seconds=conf.CONF.conductor.heartbeat_timeout)
    for node in objects.Node.list_orphaned(context, RECOVERED, alive_hosts,
                                           unreserved_before):
        holder = node.reservation
        try:
            podm = objects.PodManager.get_by_uuid(context, node.podm_uuid)
            if manager.ring.host_for(podm.uuid, podm.driver) != manager.host:
                continue
            task_manager.take_over(node, manager.host)
        except exception.ValenceException:
            continue  # another conductor took it, it is gone, or busy here
        try:
            if node.state in RECOVERED:
                _settle(context, node, holder, manager.drivers.get(podm),
                        manager.host, manager.provisioners)
            else:
                # Stable: nothing was under way; the lock alone was left.
                LOG.warning('Broke the reservation of node %(node)s, left '
                            'by conductor %(holder)s', {'node': node.uuid,
                                                        'holder': holder})
        except Exception:
            LOG.exception('Recovering node %s failed', node.uuid)
        finally:
            task_manager.release(node, manager.host)


def _settle(context, node, holder, driver, host, provisioners):
    LOG.warning('Recovering node %(node)s, left %(state)s by conductor '
                '%(holder)s', {'node': node.uuid, 'state': node.state,
                               'holder': holder or 'nobody'})
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
    notify.node_event(context, node, 'compose', notification.ERROR,
                      error=reason)
