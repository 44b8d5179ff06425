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
"""

import contextlib

from oslo_log import log

from valence import objects

LOG = log.getLogger(__name__)


def reserve(context, node_uuid, host):
    """Reserve a node for ``host``; returns it, fresh from the database."""
    return objects.Node.reserve_by_uuid(context, node_uuid, host)


def release(node, host):
    try:
        node.release(host)
    except Exception as e:
        # Recovery breaks reservations of conductors that are gone; a live
        # conductor that cannot release logs it and lets recovery work.
        LOG.error('Could not release node %(node)s: %(error)s',
                  {'node': node.uuid, 'error': e})


@contextlib.contextmanager
def reserved(context, node_uuid, host):
    """Hold a node's reservation for the block's duration."""
    node = reserve(context, node_uuid, host)
    try:
        yield node
    finally:
        release(node, host)
