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

"""Bad days of a DMTF pod: failure points, vanishing blocks, core faults,
and many clients at once."""

import json
import threading

from valence.emulator import pod as pod_module
from valence.tests.unit.emulator import base
from valence.tests.unit.emulator import test_dmtf

ADD = '/Actions/ComputerSystem.AddResourceBlock'
REMOVE = '/Actions/ComputerSystem.RemoveResourceBlock'


class TestFailurePoints(test_dmtf.DMTFTestCase):

    def fail(self, point, times=True):
        self.pod.faults.update({'fail': {point: times}})

    def add(self, system, block_id):
        return self.call('POST', system + ADD, {
            'ResourceBlock': {'@odata.id': self.uri(block_id)}})

    def test_compose_failure_answers_500(self):
        self.fail('compose')
        answer = self.compose(self.specific('Compute-0'), 500)
        self.assertEqual('Base.1.22.InternalError',
                         answer.json()['error']['code'])

    def test_compose_failure_takes_nothing(self):
        self.fail('compose')
        self.compose(self.specific('Compute-0'), 500)
        self.assertEqual({}, self.pod.personality.allocations())

    def test_compose_failure_counts_down(self):
        self.fail('compose', 1)
        self.compose(self.specific('Compute-0'), 500)
        self.compose(self.specific('Compute-0'))

    def test_compose_failure_refuses_the_compose_action(self):
        self.fail('compose')
        answer = self.call('POST', test_dmtf.COMPOSE, {
            'RequestType': 'Apply', 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem',
                'Request': self.specific('Compute-0')}]}})
        self.assertEqual((500, {}), (answer.status,
                                     self.pod.personality.allocations()))

    def test_add_resource_block_failure_answers_500(self):
        uri = self.system('Compute-0')
        self.fail('add_resource_block')
        self.assertEqual(500, self.add(uri, 'NIC-0').status)

    def test_add_resource_block_failure_changes_nothing(self):
        uri = self.system('Compute-0')
        self.fail('add_resource_block')
        self.add(uri, 'NIC-0')
        self.assertEqual(['Compute-0'], self.linked_blocks(uri))

    def test_add_resource_block_failure_counts_down(self):
        uri = self.system('Compute-0')
        self.fail('add_resource_block', 1)
        self.add(uri, 'NIC-0')
        self.assertEqual(204, self.add(uri, 'NIC-0').status)

    def test_remove_resource_block_failure_answers_500(self):
        uri = self.system('Compute-0', 'NIC-0')
        self.fail('remove_resource_block')
        answer = self.call('POST', uri + REMOVE, {
            'ResourceBlock': {'@odata.id': self.uri('NIC-0')}})
        self.assertEqual(500, answer.status)
        self.assertEqual(['Compute-0', 'NIC-0'], self.linked_blocks(uri))


class TestVanishingBlocks(test_dmtf.DMTFTestCase):

    def setUp(self):
        super().setUp()
        self.pod.faults.update({'vanish_rate': 1.0})

    def test_specific_composition_finds_its_device_gone(self):
        answer = self.compose(self.specific('Compute-0', 'NVMe-0'), 400)
        self.assertEqual(['#/Links/ResourceBlocks/1'], self.related(answer))

    def test_vanished_device_is_gone_from_the_inventory(self):
        self.compose(self.specific('Compute-0', 'NVMe-0'), 400)
        self.assertEqual(404, self.call('GET', self.uri('NVMe-0')).status)

    def test_compute_block_stays_when_a_device_is_named(self):
        self.compose(self.specific('Compute-0', 'NVMe-0'), 400)
        self.ok('GET', self.uri('Compute-0'))

    def test_add_resource_block_finds_its_device_gone(self):
        self.pod.faults.update({'vanish_rate': 0.0})
        uri = self.system('Compute-0')
        self.pod.faults.update({'vanish_rate': 1.0})
        answer = self.call('POST', uri + ADD, {
            'ResourceBlock': {'@odata.id': self.uri('NIC-0')}})
        self.assertEqual(
            (400, ['Base.1.22.ResourceMissingAtURI',
                   'Composition.1.1.ResourceBlockNotFound']),
            (answer.status, self.message_ids(answer)))

    def compose_action(self, request_type):
        return self.call('POST', test_dmtf.COMPOSE, {
            'RequestType': request_type, 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem',
                'Request': self.specific('Compute-0', 'NVMe-0')}]}})

    def test_apply_of_a_manifest_finds_its_device_gone(self):
        answer = self.compose_action('Apply')
        self.assertEqual(
            (400, ['#/Manifest/Stanzas/0/Request/Links/ResourceBlocks/1']),
            (answer.status, self.related(answer)))

    def test_preview_takes_nothing_so_nothing_vanishes(self):
        self.assertEqual(200, self.compose_action('Preview').status)
        self.ok('GET', self.uri('NVMe-0'))

    def test_constrained_composition_is_not_affected(self):
        self.compose({'Processors': {'Members': [{
            '@Redfish.RequestedCount': 1, 'ProcessorType': 'CPU',
            'TotalCores': 32}]}})


class TestCoreFaults(test_dmtf.DMTFTestCase):
    """What the core's faults mean for a composition request.

    Errors, drops and hangs strike before the pod works: nothing is
    composed. Spoiled bodies strike after: the system exists although the
    client could not read the answer, so it must look before it retries.
    """

    def post(self):
        body = json.dumps(self.specific('Compute-0')).encode()
        return base.wsgi_call(self.pod, 'POST', test_dmtf.SYSTEMS, body,
                              headers={'Authorization': base.BASIC,
                                       'Content-Type': 'application/json'})

    def composed(self):
        return self.members(test_dmtf.SYSTEMS)

    def test_injected_error_answers_a_redfish_error(self):
        self.pod.faults.update({'error_rate': 1.0})
        status, _, body = self.post()
        self.assertEqual(('500 Internal Server Error',
                          'Base.1.22.InternalError'),
                         (status, json.loads(body)['error']['code']))

    def test_injected_error_composes_nothing(self):
        self.pod.faults.update({'error_rate': 1.0})
        self.post()
        self.assertEqual([], self.composed())

    def test_injected_503_carries_retry_after(self):
        self.pod.faults.update({'error_rate': 1.0, 'error_status': 503,
                                'retry_after': 7})
        status, headers, _ = self.post()
        self.assertEqual(('503 Service Unavailable', '7'),
                         (status, headers['Retry-After']))

    def test_dropped_request_composes_nothing(self):
        self.pod.faults.update({'drop_rate': 1.0})
        self.assertRaises(pod_module.DropConnection, self.post)
        self.assertEqual([], self.composed())

    def test_hung_request_composes_nothing(self):
        self.pod.faults.update({'hang_rate': 1.0, 'hang_seconds': 0})
        self.assertRaises(pod_module.DropConnection, self.post)
        self.assertEqual([], self.composed())

    def test_malformed_answer_hides_a_composed_system(self):
        self.pod.faults.update({'malformed_rate': 1.0})
        _, _, body = self.post()
        self.assertRaises(ValueError, json.loads, body)
        self.assertEqual([test_dmtf.SYSTEMS + '/Composed-1'],
                         self.composed())

    def test_truncated_answer_hides_a_composed_system(self):
        self.pod.faults.update({'truncated_rate': 1.0})
        _, _, body = self.post()
        self.assertRaises(ValueError, json.loads, body)
        self.assertEqual([test_dmtf.SYSTEMS + '/Composed-1'],
                         self.composed())

    def test_faults_under_another_path_spare_compositions(self):
        self.pod.faults.update({'error_rate': 1.0,
                                'path_prefix': test_dmtf.SERVICE})
        status, _, _ = self.post()
        self.assertEqual('201 Created', status)

    def test_faults_of_other_methods_spare_compositions(self):
        self.pod.faults.update({'error_rate': 1.0, 'methods': ['GET']})
        status, _, _ = self.post()
        self.assertEqual('201 Created', status)


class TestConcurrency(test_dmtf.DMTFTestCase):

    def race(self, calls):
        """Run ``calls`` (callables) at once; return their answers."""
        barrier = threading.Barrier(len(calls))
        answers = [None] * len(calls)

        def run(index, call):
            barrier.wait()
            answers[index] = call()

        threads = [threading.Thread(target=run, args=(n, c))
                   for n, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    def test_concurrent_compositions_give_each_block_to_one_system(self):
        # Four compute blocks and four GPUs: the pod fits four systems.
        body = {'@Redfish.AllowOverprovisioning': True,
                'Processors': {'Members': [{'@Redfish.RequestedCount': 1,
                                            'ProcessorType': 'GPU'}]}}
        answers = self.race([lambda: self.call('POST', test_dmtf.SYSTEMS,
                                               body)] * 16)
        created = [a.headers['Location'] for a in answers
                   if a.status == 201]
        blocks = [b for uri in created for b in self.linked_blocks(uri)]
        self.assertEqual((4, 12, 8, 8),
                         (len(created),
                          sum(1 for a in answers if a.status == 409),
                          len(blocks), len(set(blocks))))

    def test_concurrent_additions_give_a_block_to_one_system(self):
        systems = [self.system('Compute-%d' % n) for n in range(4)]
        nic = {'ResourceBlock': {'@odata.id': self.uri('NIC-0')}}
        answers = self.race([
            (lambda s=s: self.call('POST', s + ADD, nic)) for s in systems])
        self.assertEqual([204, 409, 409, 409],
                         sorted(a.status for a in answers))
