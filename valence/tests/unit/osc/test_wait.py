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

"""Waiting for a node's operation, against a scripted client."""

import testtools

from valence.osc import client
from valence.osc import wait

UUID = 'a21a5558-ea2b-4060-aac0-f11507a037a2'
DEVICE = '5449173b-88a7-4dd4-82e7-9eed17b17640'
REQUEST = 'req-1'


def node(state, **fields):
    return dict({'uuid': UUID, 'name': 'n1', 'state': state,
                 'reservation': None, 'last_error': None}, **fields)


def record(result, error=None, request_id=REQUEST, step=None):
    return {'action': 'compose', 'step': step, 'result': result,
            'error': error, 'request_id': request_id}


class ScriptedClient:
    """Answers each poll with the next node, device and actions given;
    a node given as an exception is raised."""

    def __init__(self, nodes, actions=None, devices=None):
        self.nodes = list(nodes)
        self.actions = list(actions or [])
        self.devices = list(devices or [])
        self.polls = 0

    @staticmethod
    def _next(script):
        return script.pop(0) if len(script) > 1 else script[0]

    def get_node(self, ident):
        self.polls += 1
        answer = self._next(self.nodes)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_device(self, ident):
        return self._next(self.devices)

    def list_node_actions(self, ident):
        return self._next(self.actions) if self.actions else []


class TestWaitForNode(testtools.TestCase):

    def wait(self, fake, started, operation='compose', **kwargs):
        self.lines = []
        kwargs.setdefault('request_id', REQUEST)
        return wait.wait_for_node(fake, started, operation,
                                  report=self.lines.append,
                                  sleep=lambda seconds: None, **kwargs)

    def test_compose_reports_each_state_once_and_returns_the_node(self):
        fake = ScriptedClient(
            [node('composing'), node('composing'), node('assembling'),
             node('available')],
            actions=[[record('in progress')], [record('success'),
                                               record('success',
                                                      step='allocated')]])
        result = self.wait(fake, node('composing'))
        self.assertEqual('available', result['state'])
        self.assertEqual(['node n1: composing', 'node n1: assembling',
                          'node n1: available'], self.lines)

    def test_compose_failure_gives_the_nodes_last_error(self):
        fake = ScriptedClient(
            [node('composing'),
             node('compose failed', last_error='no GPU left')],
            actions=[[record('error', 'no GPU left')]])
        e = self.assertRaises(wait.OperationFailed, self.wait, fake,
                              node('composing'))
        self.assertEqual('Compose of node %s failed: no GPU left' % UUID,
                         str(e))

    def test_a_record_of_another_request_is_not_this_operations(self):
        fake = ScriptedClient(
            [node('available')],
            actions=[[record('error', 'old failure', request_id='req-0')],
                     [record('error', 'old failure', request_id='req-0'),
                      record('success')]])
        self.assertEqual('available',
                         self.wait(fake, node('available'),
                                   'attach')['state'])
        self.assertEqual(2, fake.polls)

    def test_an_attach_is_recorded_with_its_device_as_the_step(self):
        fake = ScriptedClient(
            [node('available', last_error='the pod refused')],
            actions=[[record('error', 'the pod refused', step=DEVICE)]],
            devices=[{'uuid': DEVICE, 'state': 'free', 'node_id': None}])
        e = self.assertRaises(wait.OperationFailed, self.wait, fake,
                              node('attaching'), 'attach', device_id=DEVICE)
        self.assertEqual('Attach of node %s failed: the pod refused' % UUID,
                         str(e))
        self.assertEqual(1, fake.polls)

    def test_without_records_a_settled_node_is_judged_by_its_state(self):
        fake = ScriptedClient([node('composing'),
                               node('cleanup_needed', last_error='stuck')])
        e = self.assertRaises(wait.OperationFailed, self.wait, fake,
                              node('composing'), request_id=None)
        self.assertIn('stuck', str(e))

    def test_a_node_not_yet_busy_is_given_time_to_start(self):
        # The conductor had not begun when the first polls came.
        fake = ScriptedClient([node('available'), node('available'),
                               node('attaching'), node('available')],
                              devices=[{'uuid': DEVICE, 'state': 'free',
                                        'node_id': None},
                                       {'uuid': DEVICE, 'state': 'free',
                                        'node_id': None},
                                       {'uuid': DEVICE, 'state': 'allocated',
                                        'node_id': None},
                                       {'uuid': DEVICE, 'state': 'allocated',
                                        'node_id': UUID}])
        result = self.wait(fake, node('available'), 'attach',
                           request_id=None, device_id=DEVICE)
        self.assertEqual(4, fake.polls)
        self.assertEqual('available', result['state'])
        self.assertEqual(
            ['node n1: available; device %s: free' % DEVICE,
             'node n1: attaching; device %s: allocated' % DEVICE,
             'node n1: available; device %s: allocated' % DEVICE],
            self.lines)

    def test_detach_that_left_the_device_attached_failed(self):
        fake = ScriptedClient(
            [node('detaching'), node('available', last_error='pod said no')],
            devices=[{'uuid': DEVICE, 'state': 'allocated',
                      'node_id': UUID}])
        e = self.assertRaises(wait.OperationFailed, self.wait, fake,
                              node('detaching'), 'detach', request_id=None,
                              device_id=DEVICE)
        self.assertIn('pod said no', str(e))

    def test_delete_ends_when_the_node_is_gone(self):
        fake = ScriptedClient([node('deleting'), client.ValenceClientError(
            'Node could not be found.', 404)])
        self.assertIsNone(self.wait(fake, node('deleting'), 'delete'))
        self.assertEqual(['node n1: deleting', 'node n1: deleted'],
                         self.lines)

    def test_a_missing_node_is_an_error_for_other_operations(self):
        fake = ScriptedClient([client.ValenceClientError('gone', 404)])
        self.assertRaises(client.ValenceClientError, self.wait, fake,
                          node('composing'))

    def test_register_succeeds_once_ironic_knows_the_node(self):
        fake = ScriptedClient([node('available', reservation='conductor-1'),
                               node('available', ironic_node_uuid='i-1')])
        result = self.wait(fake, node('available'), 'register',
                           request_id=None)
        self.assertEqual('i-1', result['ironic_node_uuid'])

    def test_timeout_says_where_the_node_is(self):
        clock = iter(range(0, 100, 10))
        fake = ScriptedClient([node('composing')])
        e = self.assertRaises(wait.WaitTimeout, wait.wait_for_node, fake,
                              node('composing'), 'compose', timeout=25,
                              sleep=lambda seconds: None,
                              clock=lambda: next(clock))
        self.assertIn('has not ended after 25 seconds; it is composing',
                      str(e))
