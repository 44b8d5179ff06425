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

from oslo_messaging.notify import _impl_test as test_notifications

from valence import conf
from valence import objects
from valence.common import context
from valence.common import rpc
from valence.objects import notification
from valence.tests import base


class TestEventType(base.TestCase):

    def test_event_type_names_object_action_and_phase(self):
        event = notification.EventType('pod_manager', 'create', 'end')
        self.assertEqual('valence.pod_manager.create.end', str(event))
        self.assertEqual('info', event.priority)

    def test_error_phase_has_error_priority(self):
        event = notification.EventType('node', 'compose', 'error')
        self.assertEqual('error', event.priority)

    def test_unknown_phase_is_refused(self):
        self.assertRaises(ValueError, notification.EventType, 'node',
                          'compose', 'middle')


class TestEmit(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config(driver=['test'], group='oslo_messaging_notifications')
        rpc.init(conf.CONF)
        test_notifications.reset()
        self.addCleanup(test_notifications.reset)
        self.payload = objects.PodManagerPayload(name='pod')

    def test_emit_sends_the_payload_with_publisher_and_priority(self):
        notification.emit(
            context.get_admin_context(),
            notification.EventType('pod_manager', 'update', 'error'),
            self.payload)
        [(_ctx, message, priority, _retry)] = \
            test_notifications.NOTIFICATIONS
        self.assertEqual('ERROR', priority.upper())
        self.assertEqual('valence.pod_manager.update.error',
                         message['event_type'])
        self.assertEqual('valence-conductor.test-host',
                         message['publisher_id'])
        self.assertEqual({'name': 'pod'},
                         message['payload']['valence_object.data'])

    def test_emit_never_raises(self):
        rpc.cleanup()  # no notifier at all: sending must fail quietly
        notification.emit(
            context.get_admin_context(),
            notification.EventType('pod_manager', 'update', 'end'),
            self.payload)
        self.assertEqual([], test_notifications.NOTIFICATIONS)
