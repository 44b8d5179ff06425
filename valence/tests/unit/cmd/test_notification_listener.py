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

import io
import json
import threading

from valence.cmd import notification_listener
from valence.tests import base

PAYLOAD = {'valence_object.name': 'NodePayload',
           'valence_object.data': {'uuid': 'u-1', 'state': 'available'}}
METADATA = {'timestamp': '2026-11-24 15:48:27.123456', 'message_id': 'm-1'}


class TestPrinter(base.TestCase):

    def printer(self, patterns=(), count=None):
        self.out = io.StringIO()
        self.done = threading.Event()
        return notification_listener.Printer(list(patterns), count,
                                             self.out, self.done)

    def lines(self):
        return [json.loads(line) for line in self.out.getvalue().splitlines()]

    def test_prints_one_json_line_per_event_without_the_context(self):
        printer = self.printer()
        printer.info({'auth_token': 'secret-token'}, 'valence-conductor.h',
                     'valence.node.compose.end', PAYLOAD, METADATA)
        printer.error({}, 'valence-conductor.h', 'valence.node.compose.error',
                      PAYLOAD, METADATA)

        self.assertEqual([
            {'event_type': 'valence.node.compose.end', 'priority': 'INFO',
             'publisher_id': 'valence-conductor.h',
             'timestamp': METADATA['timestamp'], 'message_id': 'm-1',
             'payload': PAYLOAD},
            dict(event_type='valence.node.compose.error', priority='ERROR',
                 publisher_id='valence-conductor.h',
                 timestamp=METADATA['timestamp'], message_id='m-1',
                 payload=PAYLOAD)], self.lines())
        self.assertNotIn('secret-token', self.out.getvalue())

    def test_event_type_patterns_select_what_is_printed(self):
        printer = self.printer(['valence.node.*.end',
                                'valence.pod_manager.create.end'])
        for event_type in ('valence.node.compose.start',
                           'valence.node.compose.end',
                           'valence.pod_manager.create.end',
                           'valence.pod_manager.delete.end'):
            printer.info({}, 'p', event_type, PAYLOAD, METADATA)

        self.assertEqual(['valence.node.compose.end',
                          'valence.pod_manager.create.end'],
                         [e['event_type'] for e in self.lines()])

    def test_count_stops_after_that_many_printed_events(self):
        printer = self.printer(['valence.node.*'], count=2)
        printer.info({}, 'p', 'valence.inventory.sync.end', PAYLOAD, METADATA)
        printer.info({}, 'p', 'valence.node.compose.start', PAYLOAD, METADATA)
        self.assertFalse(self.done.is_set())
        printer.info({}, 'p', 'valence.node.compose.end', PAYLOAD, METADATA)
        printer.info({}, 'p', 'valence.node.power_set.end', PAYLOAD, METADATA)

        self.assertTrue(self.done.is_set())
        self.assertEqual(2, len(self.lines()))
