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

"""Pod manager flows: register, change and remove pod managers."""

from oslo_log import log

from valence import objects
from valence.objects import notification

LOG = log.getLogger(__name__)

# Changing any of these may change whether and how the pod answers.
CONNECTION_FIELDS = frozenset(
    ('driver', 'url', 'username', 'password', 'auth_type', 'verify_tls'))


def _notify(context, podm, action):
    notification.emit(
        context,
        notification.EventType('pod_manager', action, notification.END),
        objects.PodManagerPayload.from_object(podm))


def _check(podm, drivers):
    status = drivers.get(podm).get_status()
    podm.status = status.status
    podm.status_reason = status.reason
    LOG.info('Pod manager %(uuid)s (%(url)s) is %(status)s%(reason)s',
             {'uuid': podm.uuid, 'url': podm.url, 'status': status.status,
              'reason': ': %s' % status.reason if status.reason else ''})


def create(context, podm, drivers, host):
    """Check that the pod answers, then record the pod manager.

    A pod that does not answer is still registered, as offline or error
    with the reason, so the operator can mend it and try again.
    """
    _check(podm, drivers)
    podm.conductor_affinity = host
    podm.create()
    _notify(context, podm, 'create')
    return podm


def update(context, podm, drivers, host):
    if CONNECTION_FIELDS & podm.obj_what_changed():
        _check(podm, drivers)
        podm.conductor_affinity = host
    podm.save()
    _notify(context, podm, 'update')
    return podm


def delete(context, podm_uuid, drivers):
    podm = objects.PodManager.get_by_uuid(context, podm_uuid)
    podm.destroy()
    drivers.forget(podm_uuid)
    _notify(context, podm, 'delete')
