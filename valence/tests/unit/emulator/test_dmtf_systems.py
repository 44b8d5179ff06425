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

"""Composed systems: expansion with ETags, decomposition, changes."""

from valence.tests.unit.emulator import test_dmtf

ADD = '/Actions/ComputerSystem.AddResourceBlock'
REMOVE = '/Actions/ComputerSystem.RemoveResourceBlock'
RESET = '/Actions/ComputerSystem.Reset'


class SystemTestCase(test_dmtf.DMTFTestCase):

    def setUp(self):
        super().setUp()
        self.sys = self.system('Compute-0')
        self.gpu = self.block_ids('gpu')[0]

    def etag(self, path):
        return self.call('GET', path).headers['ETag']

    def add(self, block_id, system=None, **params):
        params['ResourceBlock'] = {'@odata.id': self.uri(block_id)}
        return self.call('POST', (system or self.sys) + ADD, params)

    def remove(self, block_id, system=None, **params):
        params['ResourceBlock'] = {'@odata.id': self.uri(block_id)}
        return self.call('POST', (system or self.sys) + REMOVE, params)


class TestAddResourceBlock(SystemTestCase):

    def test_add_answers_204(self):
        self.assertEqual(204, self.add(self.gpu).status)

    def test_added_block_is_linked_to_the_system(self):
        self.add(self.gpu)
        self.assertEqual(['Compute-0', self.gpu], self.linked_blocks(self.sys))

    def test_added_block_is_composed(self):
        self.add(self.gpu)
        status = self.ok('GET', self.uri(self.gpu))['CompositionStatus']
        self.assertEqual('Composed', status['CompositionState'])

    def test_add_with_current_etags_succeeds(self):
        answer = self.add(self.gpu,
                          ComputerSystemETag=self.etag(self.sys),
                          ResourceBlockETag=self.etag(self.uri(self.gpu)))
        self.assertEqual(204, answer.status, answer.body)

    def test_weak_etags_are_accepted(self):
        answer = self.add(self.gpu,
                          ComputerSystemETag='W/' + self.etag(self.sys))
        self.assertEqual(204, answer.status, answer.body)

    def test_stale_system_etag_is_a_428(self):
        stale = self.etag(self.sys)
        self.add('NIC-0')
        answer = self.add(self.gpu, ComputerSystemETag=stale)
        self.assertEqual((428, ['#/ComputerSystemETag']),
                         (answer.status, self.related(answer)))

    def test_stale_block_etag_is_a_428(self):
        stale = self.etag(self.uri(self.gpu))
        self.ok('POST', test_dmtf.COMPOSE, {
            'RequestType': 'PreviewReserve', 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem',
                'Request': self.specific('Compute-1', self.gpu)}]}})
        answer = self.add(self.gpu, ResourceBlockETag=stale)
        self.assertEqual((428, ['#/ResourceBlockETag']),
                         (answer.status, self.related(answer)))

    def test_stale_etag_changes_nothing(self):
        self.add(self.gpu, ComputerSystemETag='"old"')
        self.assertEqual(['Compute-0'], self.linked_blocks(self.sys))

    def test_stale_if_match_header_is_a_428(self):
        stale = self.etag(self.sys)
        self.add('NIC-0')
        answer = self.call('POST', self.sys + ADD,
                           {'ResourceBlock': {'@odata.id':
                                              self.uri(self.gpu)}},
                           headers={'If-Match': stale})
        self.assertEqual(428, answer.status)

    def test_system_etag_changes_when_a_block_is_added(self):
        before = self.etag(self.sys)
        self.add(self.gpu)
        self.assertNotEqual(before, self.etag(self.sys))

    def test_block_of_another_system_is_a_409(self):
        other = self.system('Compute-1', self.gpu)
        answer = self.add(self.gpu)
        self.assertEqual(
            (409, ['Base.1.22.ResourceInUse',
                   'Composition.1.1.ResourceBlockInUse']),
            (answer.status, self.message_ids(answer)))
        self.assertEqual(['Compute-1', self.gpu], self.linked_blocks(other))

    def test_block_already_in_the_system_is_a_409(self):
        self.add(self.gpu)
        self.assertEqual(409, self.add(self.gpu).status)

    def test_compute_block_is_refused(self):
        answer = self.add('Compute-1')
        self.assertEqual((400, ['Base.1.22.ActionParameterValueError']),
                         (answer.status, self.message_ids(answer)))

    def test_block_of_another_zone_is_refused(self):
        self.pod = self.make_pod(systems=16, devices=32)
        self.sys = self.system('Compute-0')
        answer = self.add(self.pod.personality.inventory.order[-1])
        self.assertIn('Composition.1.1.IncompatibleZone',
                      self.message_ids(answer))

    def test_unknown_block_is_refused(self):
        answer = self.add('GPU-99')
        self.assertEqual((400, ['#/ResourceBlock']),
                         (answer.status, self.related(answer)))

    def test_missing_resource_block_parameter_is_refused(self):
        answer = self.call('POST', self.sys + ADD, {})
        self.assertEqual(['Base.1.22.ActionParameterMissing'],
                         self.message_ids(answer))

    def test_add_to_unknown_system_is_a_404(self):
        self.assertEqual(404, self.add(
            self.gpu, system=test_dmtf.SYSTEMS + '/nope').status)


class TestRemoveResourceBlock(SystemTestCase):

    def setUp(self):
        super().setUp()
        self.add(self.gpu)

    def test_remove_answers_204(self):
        self.assertEqual(204, self.remove(self.gpu).status)

    def test_removed_block_leaves_the_system(self):
        self.remove(self.gpu)
        self.assertEqual(['Compute-0'], self.linked_blocks(self.sys))

    def test_removed_block_is_free_again(self):
        self.remove(self.gpu)
        self.assertEqual('Free', self.ok('GET', self.uri(self.gpu))['Pool'])

    def test_remove_with_current_etags_succeeds(self):
        answer = self.remove(self.gpu,
                             ComputerSystemETag=self.etag(self.sys),
                             ResourceBlockETag=self.etag(self.uri(self.gpu)))
        self.assertEqual(204, answer.status, answer.body)

    def test_stale_system_etag_is_a_428(self):
        stale = self.etag(self.sys)
        self.add('NIC-0')
        self.assertEqual(428, self.remove(
            self.gpu, ComputerSystemETag=stale).status)

    def test_block_of_another_system_is_refused(self):
        other_gpu = self.block_ids('gpu')[1]
        self.system('Compute-1', other_gpu)
        answer = self.remove(other_gpu)
        self.assertEqual((400, ['Base.1.22.ActionParameterValueError']),
                         (answer.status, self.message_ids(answer)))

    def test_compute_block_is_refused(self):
        answer = self.remove('Compute-0')
        self.assertEqual(400, answer.status)
        self.assertEqual(['Compute-0', self.gpu],
                         self.linked_blocks(self.sys))


class TestDecompose(SystemTestCase):

    def test_delete_answers_204(self):
        self.ok('DELETE', self.sys, status=204)

    def test_deleted_system_is_gone(self):
        self.ok('DELETE', self.sys, status=204)
        self.assertEqual(404, self.call('GET', self.sys).status)

    def test_delete_frees_every_block(self):
        self.add(self.gpu)
        self.ok('DELETE', self.sys, status=204)
        self.assertEqual({}, self.pod.personality.allocations())

    def test_freed_blocks_compose_again(self):
        self.ok('DELETE', self.sys, status=204)
        self.compose(self.specific('Compute-0'))

    def test_delete_of_unknown_system_is_a_404(self):
        self.assertEqual(404, self.call(
            'DELETE', test_dmtf.SYSTEMS + '/nope').status)

    def test_delete_with_stale_if_match_is_a_428(self):
        stale = self.etag(self.sys)
        self.add(self.gpu)
        answer = self.call('DELETE', self.sys, headers={'If-Match': stale})
        self.assertEqual(428, answer.status)


class TestSystemChanges(SystemTestCase):

    def test_reset_on_powers_the_system_on(self):
        self.ok('POST', self.sys + RESET, {'ResetType': 'On'}, status=204)
        self.assertEqual('On', self.ok('GET', self.sys)['PowerState'])

    def test_reset_force_off_powers_the_system_off(self):
        self.ok('POST', self.sys + RESET, {'ResetType': 'On'}, status=204)
        self.ok('POST', self.sys + RESET, {'ResetType': 'ForceOff'},
                status=204)
        self.assertEqual('Off', self.ok('GET', self.sys)['PowerState'])

    def test_reset_type_outside_the_allowable_values_is_refused(self):
        answer = self.call('POST', self.sys + RESET, {'ResetType': 'Nmi'})
        self.assertEqual(['Base.1.22.ActionParameterValueNotInList'],
                         self.message_ids(answer))

    def test_boot_override_is_patched(self):
        doc = self.ok('PATCH', self.sys, {'Boot': {
            'BootSourceOverrideTarget': 'Pxe',
            'BootSourceOverrideEnabled': 'Continuous'}})
        self.assertEqual(('Pxe', 'Continuous'),
                         (doc['Boot']['BootSourceOverrideTarget'],
                          doc['Boot']['BootSourceOverrideEnabled']))

    def test_hostname_is_patched(self):
        doc = self.ok('PATCH', self.sys, {'HostName': 'db-1'})
        self.assertEqual('db-1', doc['HostName'])

    def test_read_only_property_patch_is_refused(self):
        answer = self.call('PATCH', self.sys, {'PowerState': 'On'})
        self.assertEqual(['Base.1.22.PropertyNotWritable'],
                         self.message_ids(answer))
