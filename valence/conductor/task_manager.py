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


"""Node reservations: one conductor works on a node at a time.

A conductor reserves a node in the database (``UPDATE ... WHERE
reservation IS NULL``) before it acts on it, and lets go when the work is
done, even when that work runs in the background after the RPC call has
answered. Anyone else gets ``NodeLocked`` (409) naming the holder.

This process also counts the nodes each of its conductors is working on.
A reservation in a conductor's name that it is not working on was left by
work that ended without letting go (the process died, or the database
refused the release): recovery may take it over (``take_over``), and never
takes a node some work here still holds.
"""

import collections
import contextlib
import threading

from oslo_log import log

from valence import objects
from valence.common import exception

LOG = log.getLogger(__name__)

# (host, node uuid) -> pieces of work holding it. A count, not a flag: a
# flow lets go in its last write, and the next operation may reserve the
# node before the first one has finished its bookkeeping.
_working = collections.Counter()
_working_lock = threading.Lock()


def _begin(host, node_uuid):
    with _working_lock:
        _working[host, node_uuid] += 1


def _end(host, node_uuid):
    with _working_lock:
        _working[host, node_uuid] -= 1
        if _working[host, node_uuid] <= 0:
            del _working[host, node_uuid]


def working_on(host, node_uuid):
    """Whether some work of conductor ``host`` in this process holds the
    node."""
    with _working_lock:
        return (host, node_uuid) in _working


def reserve(context, node_uuid, host):
    """Reserve a node for ``host``; returns it, fresh from the database."""
    # Counted before the database says so: a reservation in this host's
    # name is never seen while nobody here counts it.
    _begin(host, node_uuid)
    try:
        node = objects.Node.reserve_by_uuid(context, node_uuid, host)
    except Exception:
        _end(host, node_uuid)
        raise
    return node


def take_over(node, host):
    """Reserve a node whose holder is gone, or whose reservation in
    ``host``'s own name no work here holds; NodeLocked otherwise."""
    with _working_lock:
        if (host, node.uuid) in _working:
            raise exception.NodeLocked(node=node.uuid, host=host)
        _working[host, node.uuid] += 1
    try:
        node.take_over(host)
    except Exception:
        _end(host, node.uuid)
        raise


def release(node, host):
    try:
        # A flow that ends well lets go in its last write (the node is
        # ready and unlocked at once); the node may be reserved again by
        # then, and that reservation is not this one's to release.
        if node.reservation == host:
            node.release(host)
    except Exception as e:
        # Recovery takes over the reservations that nothing here holds; a
        # live conductor that cannot release logs it and lets recovery work.
        LOG.error('Could not release node %(node)s: %(error)s',
                  {'node': node.uuid, 'error': e})
    finally:
        _end(host, node.uuid)


@contextlib.contextmanager
def reserved(context, node_uuid, host):
    """Hold a node's reservation for the block's duration."""
    node = reserve(context, node_uuid, host)
    try:
        yield node
    finally:
        release(node, host)
