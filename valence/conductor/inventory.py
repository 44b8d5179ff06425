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

"""Inventory sync: read a pod whole and make its rows match.

The conductor that serves a pod manager reads the pod through its driver
and applies the difference to the database in one transaction. A pod that
fails keeps its last good inventory, and its pod manager shows why.
"""

from oslo_log import log
from oslo_utils import timeutils

from valence import objects
from valence.common import exception
from valence.common import states
from valence.objects import inventory as inventory_objects
from valence.objects import notification

LOG = log.getLogger(__name__)

# Record field names that differ from the column names.
_RENAMES = {'uri': 'pod_uri', 'node_uri': 'pod_node_uri', 'uuid': 'hw_uuid'}
_KINDS = ('racks', 'systems', 'storages', 'devices', 'resource_blocks',
          'resource_zones')


def records(inventory):
    """The driver's Inventory as ``{kind: [row dicts]}``.

    The records' own attributes are taken as they are (``vars``, not
    ``dataclasses.asdict``, which deep-copies every list and dict: four
    times slower over 100,000 records).
    """
    rows = {}
    for kind in _KINDS:
        rows[kind] = [
            {_RENAMES.get(name, name): value
             for name, value in vars(record).items()}
            for record in getattr(inventory, kind)]
    return rows


def _notify(context, podm, phase, **values):
    notification.emit(
        context, notification.EventType('inventory', 'sync', phase),
        objects.InventorySyncPayload(podm_uuid=podm.uuid,
                                     podm_name=podm.name, **values))


def sync(context, podm, driver):
    """Read the pod and apply its inventory; returns the change counts.

    Returns None when the pod could not be read: the pod manager is then
    ``offline`` or ``error`` with the reason, and its rows are kept.
    """
    _notify(context, podm, notification.START)
    try:
        inventory = driver.get_inventory()
    except exception.ValenceException as e:
        return _failed(context, podm, e)
    except Exception as e:
        LOG.exception('Reading pod manager %s failed', podm.uuid)
        return _failed(context, podm, exception.PodManagerError(
            reason='unexpected error while reading the pod: %s'
            % type(e).__name__))
    counts = inventory_objects.apply(context, podm.id, records(inventory))
    podm.last_sync_at = timeutils.utcnow()
    if podm.status != states.ONLINE:
        podm.status = states.ONLINE
        podm.status_reason = None
    podm.save()
    LOG.info('Synced pod manager %(uuid)s: %(added)d added, %(updated)d '
             'updated, %(removed)d removed', dict(counts, uuid=podm.uuid))
    _notify(context, podm, notification.END, **counts)
    return counts


def _failed(context, podm, error):
    unreachable = isinstance(error, exception.PodManagerUnreachable)
    podm.status = states.OFFLINE if unreachable else states.ERROR
    podm.status_reason = str(error)
    podm.save()
    LOG.warning('Sync of pod manager %(uuid)s failed: %(error)s',
                {'uuid': podm.uuid, 'error': error})
    _notify(context, podm, notification.ERROR, error=str(error))
    return None
