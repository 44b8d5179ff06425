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

"""The Compose action and composition reservations."""

from valence.tests.unit.emulator import test_dmtf

COMPOSE = test_dmtf.COMPOSE
RESERVATIONS = test_dmtf.RESERVATIONS


def stanza(request, kind='ComposeSystem', stanza_id=None):
    doc = {'StanzaType': kind, 'Request': request}
    if stanza_id is not None:
        doc['StanzaId'] = stanza_id
    return doc


class ManifestTestCase(test_dmtf.DMTFTestCase):

    def action(self, request_type, *stanzas, **extra):
        body = {'RequestFormat': 'Manifest', 'RequestType': request_type,
                'Manifest': {'Description': 'test', 'Stanzas':
                             list(stanzas)}}
        body.update(extra)
        return self.call('POST', COMPOSE, body)

    def decompose(self, system_uri):
        return stanza({'@odata.id': system_uri}, 'DecomposeSystem')

    def reserve(self, *block_ids):
        answer = self.action('PreviewReserve',
                             stanza(self.specific(*block_ids)))
        self.assertEqual(200, answer.status, answer.body)
        return answer.json()['ReservationId']

    def system_uris(self):
        return self.members(test_dmtf.SYSTEMS)


class TestApply(ManifestTestCase):

    def test_apply_composes_every_stanza(self):
        self.action('Apply', stanza(self.specific('Compute-0')),
                    stanza(self.specific('Compute-1')))
        self.assertEqual(2, len(self.system_uris()))

    def test_apply_answers_the_composed_systems(self):
        answer = self.action('Apply', stanza(self.specific('Compute-0'),
                                             stanza_id='web'))
        response = answer.json()['Manifest']['Stanzas'][0]['Response']
        self.assertEqual((200, self.system_uris()[0]),
                         (answer.status, response['@odata.id']))

    def test_apply_echoes_the_stanza_ids(self):
        answer = self.action('Apply', stanza(self.specific('Compute-0'),
                                             stanza_id='web'))
        self.assertEqual('web',
                         answer.json()['Manifest']['Stanzas'][0]['StanzaId'])

    def test_apply_composes_constrained_stanzas(self):
        self.action('Apply', stanza({'Processors': {'Members': [{
            '@Redfish.RequestedCount': 2, 'ProcessorType': 'CPU',
            'TotalCores': 12}]}}))
        self.assertEqual(['Compute-3'],
                         self.linked_blocks(self.system_uris()[0]))

    def test_apply_is_all_or_none(self):
        answer = self.action(
            'Apply', stanza(self.specific('Compute-0')),
            stanza({'Processors': {'Members': [{
                '@Redfish.RequestedCount': 9, 'ProcessorType': 'GPU'}]}}))
        self.assertEqual(409, answer.status)
        self.assertEqual(([], {}), (self.system_uris(),
                                    self.pod.personality.allocations()))

    def test_refusal_points_into_the_failing_stanza(self):
        answer = self.action('Apply', stanza(self.specific('Compute-0')),
                             stanza(self.specific('Compute-1', 'GPU-99')))
        self.assertEqual(
            ['#/Manifest/Stanzas/1/Request/Links/ResourceBlocks/1'],
            self.related(answer))

    def test_two_stanzas_cannot_share_a_block(self):
        answer = self.action('Apply', stanza(self.specific('Compute-0')),
                             stanza(self.specific('Compute-0')))
        self.assertEqual((409, []), (answer.status, self.system_uris()))

    def test_constrained_stanzas_take_different_blocks(self):
        wanted = {'Processors': {'Members': [{
            '@Redfish.RequestedCount': 2, 'ProcessorType': 'CPU',
            'TotalCores': 20}]}}
        self.action('Apply', stanza(wanted), stanza(wanted))
        self.assertEqual([['Compute-0'], ['Compute-2']],
                         [self.linked_blocks(s) for s in self.system_uris()])

    def test_decompose_stanza_frees_the_system(self):
        uri = self.system('Compute-0')
        self.action('Apply', self.decompose(uri))
        self.assertEqual(([], {}), (self.system_uris(),
                                    self.pod.personality.allocations()))

    def test_decompose_then_compose_reuses_the_blocks(self):
        uri = self.system('Compute-0')
        answer = self.action('Apply', self.decompose(uri),
                             stanza(self.specific('Compute-0')))
        self.assertEqual(200, answer.status, answer.body)
        self.assertEqual(['Compute-0'],
                         self.linked_blocks(self.system_uris()[0]))

    def test_decompose_of_unknown_system_is_refused(self):
        answer = self.action('Apply', self.decompose(
            test_dmtf.SYSTEMS + '/nope'))
        self.assertEqual(['Base.1.22.ResourceMissingAtURI'],
                         self.message_ids(answer))

    def test_empty_manifest_is_refused(self):
        answer = self.action('Apply')
        self.assertEqual(['Base.1.22.PropertyMissing',
                          'Composition.1.1.EmptyManifest'],
                         self.message_ids(answer))

    def test_stanza_without_request_is_refused(self):
        answer = self.action('Apply', {'StanzaType': 'ComposeSystem'})
        self.assertIn('Composition.1.1.EmptyManifest',
                      self.message_ids(answer))

    def test_unknown_stanza_type_is_refused(self):
        answer = self.action('Apply', stanza(self.specific('Compute-0'),
                                             'ComposeResource'))
        self.assertEqual(['#/Manifest/Stanzas/0/StanzaType'],
                         self.related(answer))

    def test_missing_request_type_is_refused(self):
        answer = self.call('POST', COMPOSE, {'Manifest': {'Stanzas': [
            stanza(self.specific('Compute-0'))]}})
        self.assertEqual(['Base.1.22.ActionParameterMissing'],
                         self.message_ids(answer))

    def test_unknown_request_type_is_refused(self):
        answer = self.action('Commit', stanza(self.specific('Compute-0')))
        self.assertEqual(['Base.1.22.ActionParameterValueNotInList'],
                         self.message_ids(answer))

    def test_missing_manifest_is_refused(self):
        answer = self.call('POST', COMPOSE, {'RequestType': 'Apply'})
        self.assertEqual(['Base.1.22.ActionParameterMissing'],
                         self.message_ids(answer))


class TestPreview(ManifestTestCase):

    def test_preview_changes_nothing(self):
        self.action('Preview', stanza(self.specific('Compute-0')))
        self.assertEqual(([], {}), (self.system_uris(),
                                    self.pod.personality.allocations()))

    def test_preview_shows_the_chosen_blocks(self):
        answer = self.action('Preview', stanza({'Processors': {'Members': [{
            '@Redfish.RequestedCount': 1, 'ProcessorType': 'CPU',
            'TotalCores': 32}]}}))
        response = answer.json()['Manifest']['Stanzas'][0]['Response']
        self.assertEqual([{'@odata.id': self.uri('Compute-1')}],
                         response['Links']['ResourceBlocks'])

    def test_preview_of_an_unmet_stanza_is_refused(self):
        answer = self.action('Preview', stanza({'Processors': {'Members': [{
            '@Redfish.RequestedCount': 9, 'ProcessorType': 'CPU'}]}}))
        self.assertEqual(409, answer.status)


class TestReservations(ManifestTestCase):

    def test_preview_reserve_answers_a_reservation_id(self):
        rid = self.reserve('Compute-0')
        self.ok('GET', RESERVATIONS + '/' + rid)

    def test_reservation_lists_its_blocks(self):
        rid = self.reserve('Compute-0', 'NVMe-0')
        reservation = self.ok('GET', RESERVATIONS + '/' + rid)
        self.assertEqual([{'@odata.id': self.uri('Compute-0')},
                          {'@odata.id': self.uri('NVMe-0')}],
                         reservation['ReservedResourceBlocks'])

    def test_reservation_names_its_client(self):
        rid = self.reserve('Compute-0')
        self.assertEqual('admin', self.ok('GET', RESERVATIONS + '/'
                                          + rid)['Client'])

    def test_reserved_block_is_marked_reserved_and_stays_free(self):
        self.reserve('Compute-0')
        block = self.ok('GET', self.uri('Compute-0'))
        self.assertEqual((True, 'Free'),
                         (block['CompositionStatus']['Reserved'],
                          block['Pool']))

    def test_reserved_block_is_refused_to_others(self):
        rid = self.reserve('Compute-0')
        answer = self.compose(self.specific('Compute-0'), 409)
        self.assertEqual(
            ['Base.1.22.ResourceInUse',
             'Composition.1.1.SpecifiedResourceAlreadyReserved'],
            self.message_ids(answer))
        self.assertIn(rid, answer.json()['error']['message'])

    def test_constrained_composition_skips_reserved_blocks(self):
        self.reserve('Compute-0')
        answer = self.compose({'Processors': {'Members': [{
            '@Redfish.RequestedCount': 2, 'ProcessorType': 'CPU',
            'TotalCores': 20}]}})
        self.assertEqual(['Compute-2'],
                         self.linked_blocks(answer.headers['Location']))

    def test_apply_of_the_reservation_composes_the_reserved_blocks(self):
        rid = self.reserve('Compute-0', 'NVMe-0')
        answer = self.call('POST', COMPOSE, {'RequestType': 'Apply',
                                             'ReservationId': rid})
        self.assertEqual(200, answer.status, answer.body)
        self.assertEqual(['Compute-0', 'NVMe-0'],
                         self.linked_blocks(self.system_uris()[0]))

    def test_applied_reservation_is_consumed(self):
        rid = self.reserve('Compute-0')
        self.call('POST', COMPOSE, {'RequestType': 'Apply',
                                    'ReservationId': rid})
        self.assertEqual(404, self.call('GET', RESERVATIONS + '/'
                                        + rid).status)

    def test_reservation_of_a_constrained_stanza_applies_its_choice(self):
        answer = self.action('PreviewReserve', stanza({'Processors': {
            'Members': [{'@Redfish.RequestedCount': 1, 'ProcessorType': 'CPU',
                         'TotalCores': 32}]}}))
        self.call('POST', COMPOSE, {'RequestType': 'Apply', 'ReservationId':
                                    answer.json()['ReservationId']})
        self.assertEqual(['Compute-1'],
                         self.linked_blocks(self.system_uris()[0]))

    def test_reservation_shows_its_stanzas_without_requests(self):
        rid = self.reserve('Compute-0')
        manifest = self.ok('GET', RESERVATIONS + '/' + rid)['Manifest']
        self.assertEqual({'Description': 'test',
                          'Stanzas': [{'StanzaType': 'ComposeSystem'}]},
                         manifest)

    def test_deleted_reservation_frees_its_blocks(self):
        rid = self.reserve('Compute-0')
        self.ok('DELETE', RESERVATIONS + '/' + rid, status=204)
        self.assertEqual({}, self.pod.personality.allocations())

    def test_allocations_name_the_holding_reservation(self):
        rid = self.reserve('Compute-0')
        self.assertEqual({self.uri('Compute-0'): RESERVATIONS + '/' + rid},
                         self.pod.personality.allocations())

    def test_reservation_id_needs_request_type_apply(self):
        rid = self.reserve('Compute-0')
        answer = self.call('POST', COMPOSE, {'RequestType': 'Preview',
                                             'ReservationId': rid})
        self.assertEqual(['Base.1.22.ActionParameterValueError'],
                         self.message_ids(answer))

    def test_unknown_reservation_is_refused(self):
        answer = self.call('POST', COMPOSE, {'RequestType': 'Apply',
                                             'ReservationId': '42'})
        self.assertEqual((400, ['Base.1.22.ResourceNotFound']),
                         (answer.status, self.message_ids(answer)))

    def test_reservation_with_a_vanished_block_cannot_be_applied(self):
        rid = self.reserve('Compute-0', 'NVMe-0')
        self.pod.personality.vanish(self.uri('NVMe-0'))
        answer = self.call('POST', COMPOSE, {'RequestType': 'Apply',
                                             'ReservationId': rid})
        self.assertEqual((400, []), (answer.status, self.system_uris()))


class TestReservationExpiry(ManifestTestCase):

    def setUp(self):
        super().setUp()
        self.now = 1000000.0
        self.pod.personality.manifests.clock = lambda: self.now
        self.rid = self.reserve('Compute-0')

    def reservation(self):
        return self.call('GET', RESERVATIONS + '/' + self.rid)

    def test_reservation_lives_within_its_duration(self):
        self.now += 599
        self.assertEqual(200, self.reservation().status)

    def test_reservation_expires_after_its_duration(self):
        self.now += 600
        self.assertEqual(404, self.reservation().status)

    def test_expired_reservation_frees_its_blocks(self):
        self.now += 600
        block = self.ok('GET', self.uri('Compute-0'))
        self.assertFalse(block['CompositionStatus']['Reserved'])

    def test_zero_duration_expires_every_reservation_at_once(self):
        self.now += 1
        self.reserve('Compute-1')
        self.ok('PATCH', test_dmtf.SERVICE, {'ReservationDuration': 'PT0S'})
        self.assertEqual([], self.members(RESERVATIONS))

    def test_younger_reservation_outlives_an_expired_one(self):
        self.now += 300
        younger = self.reserve('Compute-1')
        self.now += 300
        self.assertEqual([RESERVATIONS + '/' + younger],
                         self.members(RESERVATIONS))

    def test_expired_reservation_cannot_be_applied(self):
        self.now += 600
        answer = self.call('POST', COMPOSE, {'RequestType': 'Apply',
                                             'ReservationId': self.rid})
        self.assertEqual((400, []), (answer.status, self.system_uris()))

    def test_reservation_time_is_the_creation_time(self):
        self.assertEqual('1970-01-12T13:46:40+00:00',
                         self.reservation().json()['ReservationTime'])
