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

import json
import os
import tempfile
from unittest import mock

from valence.emulator import pod as pod_module
from valence.emulator import state
from valence.tests.unit.emulator import base

FAKE = {'fake': 'valence.tests.unit.emulator.fake:FakePersonality'}
THINGS = '/redfish/v1/Things'


class FakePodTestCase(base.PodTestCase):
    personality = 'fake'
    devices = 30

    def setUp(self):
        patcher = mock.patch.dict(pod_module.PERSONALITIES, FAKE)
        patcher.start()
        self.addCleanup(patcher.stop)
        super().setUp()


class TestAuthentication(FakePodTestCase):

    def test_basic_auth_is_accepted(self):
        self.ok('GET', THINGS + '/1')

    def test_wrong_password_is_refused_with_a_challenge(self):
        answer = self.call('GET', THINGS + '/1', headers={
            'Authorization': 'Basic YWRtaW46d3Jvbmc='})
        self.assertEqual(401, answer.status)
        self.assertIn('WWW-Authenticate', answer.headers)

    def test_missing_credentials_are_refused_with_a_redfish_error(self):
        answer = self.call('GET', THINGS + '/1', auth=False)
        self.assertEqual('Base.1.22.NoValidSession',
                         answer.json()['error']['code'])

    def test_service_root_needs_no_credentials(self):
        self.ok('GET', '/redfish/v1/', auth=False)

    def test_session_token_is_accepted(self):
        answer = self.call('POST', '/redfish/v1/SessionService/Sessions',
                           {'UserName': 'admin', 'Password': 'password'},
                           auth=False)
        self.assertEqual(201, answer.status)
        self.ok('GET', THINGS + '/1', auth=False, headers={
            'X-Auth-Token': answer.headers['X-Auth-Token']})

    def test_deleted_session_token_is_refused(self):
        answer = self.call('POST', '/redfish/v1/SessionService/Sessions',
                           {'UserName': 'admin', 'Password': 'password'},
                           auth=False)
        token = answer.headers['X-Auth-Token']
        self.ok('DELETE', answer.headers['Location'], status=204)
        answer = self.call('GET', THINGS + '/1', auth=False,
                           headers={'X-Auth-Token': token})
        self.assertEqual(401, answer.status)

    def test_session_with_wrong_password_is_refused(self):
        answer = self.call('POST', '/redfish/v1/SessionService/Sessions',
                           {'UserName': 'admin', 'Password': 'nope'},
                           auth=False)
        self.assertEqual(401, answer.status)


class TestRouting(FakePodTestCase):

    def test_unknown_path_is_a_404_naming_the_uri(self):
        answer = self.call('GET', '/redfish/v1/Nothing')
        self.assertEqual(404, answer.status)
        info = answer.json()['error']['@Message.ExtendedInfo'][0]
        self.assertEqual(['/redfish/v1/Nothing'], info['MessageArgs'])

    def test_unknown_method_is_a_405_with_allow(self):
        answer = self.call('DELETE', THINGS + '/1')
        self.assertEqual(405, answer.status)
        self.assertEqual('GET, PATCH', answer.headers['Allow'])

    def test_redfish_answers_carry_odata_version(self):
        self.assertEqual('4.0',
                         self.call('GET', THINGS).headers['OData-Version'])


class TestETags(FakePodTestCase):

    def test_get_carries_a_stable_etag(self):
        first = self.call('GET', THINGS + '/1').headers['ETag']
        self.assertEqual(first, self.call('GET', THINGS + '/1')
                         .headers['ETag'])

    def test_matching_if_none_match_is_a_304(self):
        tag = self.call('GET', THINGS + '/1').headers['ETag']
        answer = self.call('GET', THINGS + '/1',
                           headers={'If-None-Match': tag})
        self.assertEqual((304, b''), (answer.status, answer.body))

    def test_change_gives_a_new_etag(self):
        tag = self.call('GET', THINGS + '/1').headers['ETag']
        self.ok('PATCH', THINGS + '/1', {'Name': 'renamed'})
        self.assertNotEqual(tag, self.call('GET', THINGS + '/1')
                            .headers['ETag'])

    def test_stale_if_match_is_refused_with_412(self):
        tag = self.call('GET', THINGS + '/1').headers['ETag']
        self.ok('PATCH', THINGS + '/1', {'Name': 'renamed'})
        answer = self.call('PATCH', THINGS + '/1', {'Name': 'again'},
                           headers={'If-Match': tag})
        self.assertEqual(412, answer.status)
        self.assertEqual('renamed',
                         self.ok('GET', THINGS + '/1')['Name'])

    def test_current_if_match_is_accepted(self):
        tag = self.call('GET', THINGS + '/1').headers['ETag']
        self.ok('PATCH', THINGS + '/1', {'Name': 'renamed'},
                headers={'If-Match': tag})

    def test_if_match_of_an_action_checks_its_resource(self):
        self.ok('PATCH', THINGS + '/1', {'Name': 'renamed'})
        answer = self.call('POST', THINGS + '/1/Actions/Thing.Claim',
                           {'Owner': 'a'}, headers={'If-Match': '"old"'})
        self.assertEqual(412, answer.status)


class TestCollections(FakePodTestCase):

    def test_top_and_skip_page_the_members(self):
        doc = self.ok('GET', THINGS, query={'$skip': '5', '$top': '3'})
        self.assertEqual([THINGS + '/5', THINGS + '/6', THINGS + '/7'],
                         [m['@odata.id'] for m in doc['Members']])
        self.assertEqual(30, doc['Members@odata.count'])

    def test_partial_page_links_the_next_one(self):
        doc = self.ok('GET', THINGS, query={'$top': '10'})
        self.assertEqual(THINGS + '?$skip=10&$top=10',
                         doc['Members@odata.nextLink'])

    def test_last_page_has_no_next_link(self):
        doc = self.ok('GET', THINGS, query={'$skip': '25', '$top': '10'})
        self.assertEqual(5, len(doc['Members']))
        self.assertNotIn('Members@odata.nextLink', doc)

    def test_expand_embeds_the_members(self):
        doc = self.ok('GET', THINGS, query={'$expand': '.', '$top': '2'})
        self.assertEqual(['0', '1'], [m['Id'] for m in doc['Members']])

    def test_non_numeric_top_is_a_400(self):
        answer = self.call('GET', THINGS, query={'$top': 'ten'})
        self.assertEqual(400, answer.status)

    def test_unknown_expand_is_a_400(self):
        answer = self.call('GET', THINGS, query={'$expand': 'all'})
        self.assertEqual(400, answer.status)


class TestStateFile(FakePodTestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(tempfile.mkdtemp(), 'state.json')
        self.addCleanup(os.unlink, self.path)
        self.pod = self.make_pod(state_file=state.StateFile(self.path))

    def test_a_change_is_saved(self):
        self.ok('POST', THINGS + '/3/Actions/Thing.Claim', {'Owner': 'n1'},
                status=204)
        with open(self.path) as f:
            saved = json.load(f)['pods']['fake']
        self.assertEqual({'owner': {'3': 'n1'}}, saved['state'])

    def test_restarted_pod_keeps_the_state(self):
        self.ok('POST', THINGS + '/3/Actions/Thing.Claim', {'Owner': 'n1'},
                status=204)
        again = self.make_pod(state_file=state.StateFile(self.path))
        self.assertEqual({THINGS + '/3': 'n1'},
                         again.personality.allocations())

    def test_saved_seed_and_sizes_win_over_new_options(self):
        self.ok('PATCH', THINGS + '/1', {'Name': 'x'})
        again = self.make_pod(state_file=state.StateFile(self.path),
                              seed=99, devices=3)
        self.assertEqual((1, 30), (again.seed, again.devices))

    def test_failed_change_is_not_saved(self):
        self.ok('POST', THINGS + '/3/Actions/Thing.Claim', {'Owner': 'n1'},
                status=204)
        self.call('POST', THINGS + '/3/Actions/Thing.Claim', {'Owner': 'n2'})
        again = self.make_pod(state_file=state.StateFile(self.path))
        self.assertEqual({THINGS + '/3': 'n1'},
                         again.personality.allocations())


class TestControlEndpoint(FakePodTestCase):

    def test_describes_the_pod(self):
        doc = self.ok('GET', '/_emulator', auth=False)
        self.assertEqual(('fake', 1, 30),
                         (doc['personality'], doc['seed'], doc['devices']))

    def test_patch_merges_faults(self):
        self.ok('PATCH', '/_emulator/faults', {'latency_ms': 5}, auth=False)
        doc = self.ok('PATCH', '/_emulator/faults', {'error_rate': 0.5})
        self.assertEqual((5, 0.5), (doc['latency_ms'], doc['error_rate']))

    def test_bad_faults_are_a_400(self):
        answer = self.call('PUT', '/_emulator/faults', {'drop_rate': 2})
        self.assertEqual(400, answer.status)
        self.assertIn('error', answer.json())

    def test_delete_clears_faults(self):
        self.ok('PATCH', '/_emulator/faults', {'error_rate': 1.0})
        self.ok('DELETE', '/_emulator/faults', status=204)
        self.assertEqual(0.0, self.pod.faults.as_dict()['error_rate'])

    def test_allocations_list_what_is_in_use(self):
        self.ok('POST', THINGS + '/2/Actions/Thing.Claim', {'Owner': 'n'},
                status=204)
        doc = self.ok('GET', '/_emulator/allocations')
        self.assertEqual({THINGS + '/2': 'n'}, doc['allocations'])

    def test_vanish_removes_the_device(self):
        self.ok('POST', '/_emulator/vanish', {'uri': THINGS + '/2'},
                status=204)
        self.assertEqual(404, self.call('GET', THINGS + '/2').status)

    def test_vanish_of_unknown_device_is_a_404(self):
        answer = self.call('POST', '/_emulator/vanish',
                           {'uri': THINGS + '/99'})
        self.assertEqual(404, answer.status)

    def test_reset_frees_everything(self):
        self.ok('POST', THINGS + '/2/Actions/Thing.Claim', {'Owner': 'n'},
                status=204)
        self.ok('POST', '/_emulator/reset', status=204)
        self.assertEqual({}, self.pod.personality.allocations())


class TestInjectedFaults(FakePodTestCase):

    def wsgi(self, path=THINGS + '/1', method='GET'):
        return base.wsgi_call(self.pod, method, path,
                              headers={'Authorization': base.BASIC})

    def test_error_rate_answers_the_error_status(self):
        self.pod.faults.update({'error_rate': 1.0, 'error_status': 500})
        status, _, body = self.wsgi()
        self.assertEqual('500 Internal Server Error', status)
        self.assertEqual('Base.1.22.InternalError',
                         json.loads(body)['error']['code'])

    def test_503_carries_retry_after(self):
        self.pod.faults.update({'error_rate': 1.0, 'error_status': 503,
                                'retry_after': 4})
        status, headers, _ = self.wsgi()
        self.assertEqual(('503 Service Unavailable', '4'),
                         (status, headers['Retry-After']))

    def test_drop_rate_drops_the_connection(self):
        self.pod.faults.update({'drop_rate': 1.0})
        self.assertRaises(pod_module.DropConnection, self.wsgi)

    def test_hang_rate_hangs_then_drops(self):
        self.pod.faults.update({'hang_rate': 1.0, 'hang_seconds': 0})
        self.assertRaises(pod_module.DropConnection, self.wsgi)

    def test_malformed_rate_sends_a_body_that_is_not_json(self):
        self.pod.faults.update({'malformed_rate': 1.0})
        _, _, body = self.wsgi()
        self.assertRaises(ValueError, json.loads, body)

    def test_truncated_rate_sends_half_the_json(self):
        _, _, whole = self.wsgi()
        self.pod.faults.update({'truncated_rate': 1.0})
        _, headers, body = self.wsgi()
        self.assertEqual(whole[:len(whole) // 2], body)
        self.assertEqual(str(len(body)), headers['Content-Length'])

    def test_faults_spare_other_paths(self):
        self.pod.faults.update({'error_rate': 1.0,
                                'path_prefix': THINGS + '/2'})
        status, _, _ = self.wsgi(THINGS + '/1')
        self.assertEqual('200 OK', status)

    def test_faults_spare_the_control_endpoint(self):
        self.pod.faults.update({'error_rate': 1.0, 'drop_rate': 1.0})
        status, _, _ = self.wsgi('/_emulator')
        self.assertEqual('200 OK', status)

    def test_failure_point_fails_the_action(self):
        self.pod.faults.update({'fail': {'claim': 1}})
        answer = self.call('POST', THINGS + '/2/Actions/Thing.Claim',
                           {'Owner': 'n'})
        self.assertEqual(500, answer.status)
        self.assertEqual({}, self.pod.personality.allocations())
