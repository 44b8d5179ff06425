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

"""Versioned notifications.

An event is named ``valence.<object>.<action>.<phase>``; its payload is a
versioned object with its own version, filled from the object it describes
by the payload's ``SCHEMA`` (the field names copied from the source), so
payloads are never built by hand and never carry more than they declare.
Sending never raises into the operation that emits.
"""

from oslo_log import log

from valence import conf
from valence.common import rpc
from valence.objects import base

LOG = log.getLogger(__name__)

START = 'start'
END = 'end'
ERROR = 'error'
PHASES = (START, END, ERROR)


class EventType:
    """The name of an event: the object, what happened, and how far."""

    def __init__(self, obj, action, phase):
        if phase not in PHASES:
            raise ValueError('Notification phase must be one of %s, not %r'
                             % (', '.join(PHASES), phase))
        self.obj = obj
        self.action = action
        self.phase = phase

    @property
    def priority(self):
        return 'error' if self.phase == ERROR else 'info'

    def __str__(self):
        return 'valence.%s.%s.%s' % (self.obj, self.action, self.phase)


class NotificationPayloadBase(base.ValenceObject):
    """Base of payloads; subclasses list in SCHEMA the fields they copy."""

    SCHEMA = ()

    @classmethod
    def from_object(cls, source, **extra):
        """Copy the SCHEMA fields ``source`` has (one not yet saved may
        lack some; the payload leaves them out)."""
        values = {name: getattr(source, name) for name in cls.SCHEMA
                  if source.obj_attr_is_set(name)}
        values.update(extra)
        return cls(**values)


def publisher_id():
    return 'valence-conductor.%s' % conf.CONF.host


def enabled():
    """Whether notifications are sent at all; when not, callers need not
    build their payloads."""
    return rpc.notifications_enabled()


def emit(context, event_type, payload):
    """Send one versioned notification; log, never raise, on failure."""
    try:
        notifier = rpc.get_notifier(publisher_id())
        getattr(notifier, event_type.priority)(
            context, str(event_type), payload.obj_to_primitive())
    except Exception as e:
        LOG.warning('Could not send notification %(event)s: %(error)s',
                    {'event': event_type, 'error': e})
