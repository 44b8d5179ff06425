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

from oslo_utils import uuidutils
import webtest

from valence import objects
from valence.api import app
from valence.common import exception
from valence.common import states
from valence.conductor import rpcapi
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.api import base

PASSWORD = 'pod-secret-31337'


def podm_body(**overrides):
    body = {
        'name': 'pod-1',
        'url': base.closed_port_url(),
        'authentication': [{'type': 'basic',
                            'auth_items': {'username': 'admin',
                                           'password': PASSWORD}}],
    }
    body.update(overrides)
    return body


class PodManagerAPITestCase(base.APITestCase):

    def create(self, **overrides):
        response = self.app.post_json('/v1/pod_managers',
                                      podm_body(**overrides))
        self.assertEqual(201, response.status_int)
        return response.json

    def count_rows(self):
        with sqla_api.main_context.reader.using(self.context) as session:
            return session.query(models.PodManager).count()


class TestCreate(PodManagerAPITestCase):

    def test_create_answers_201_with_location_and_the_pod_manager(self):
        response = self.app.post_json('/v1/pod_managers', podm_body())
        self.assertEqual(201, response.status_int)
        podm = response.json
        self.assertTrue(uuidutils.is_uuid_like(podm['uuid']))
        self.assertEqual('http://localhost/v1/pod_managers/%s' % podm['uuid'],
                         response.headers['Location'])
        self.assertEqual('pod-1', podm['name'])
        self.assertEqual('redfishv1', podm['driver'])
        self.assertTrue(podm['verify_tls'])
        self.assertIsNone(podm['description'])

    def test_unreachable_pod_is_recorded_offline_with_the_reason(self):
        podm = self.create()
        self.assertEqual(states.OFFLINE, podm['status'])
        self.assertIn('Connection refused', podm['status_reason'])
        stored = self.app.get('/v1/pod_managers/%s' % podm['uuid']).json
        self.assertEqual(states.OFFLINE, stored['status'])

    def test_password_is_masked_in_the_answer(self):
        response = self.app.post_json('/v1/pod_managers', podm_body())
        self.assertNotIn(PASSWORD, response.text)
        self.assertEqual(
            [{'type': 'basic',
              'auth_items': {'username': 'admin', 'password': '***'}}],
            response.json['authentication'])

    def test_password_is_kept_for_the_conductor(self):
        podm = self.create()
        stored = objects.PodManager.get_by_uuid(self.context, podm['uuid'])
        self.assertEqual(PASSWORD, stored.password)

    def test_description_driver_and_verify_tls_are_taken(self):
        podm = self.create(description='rack 7', driver='redfishv2',
                           verify_tls=False)
        self.assertEqual('rack 7', podm['description'])
        self.assertEqual('redfishv2', podm['driver'])
        self.assertFalse(podm['verify_tls'])

    def test_create_sends_a_create_end_notification_without_secrets(self):
        podm = self.create()
        [(event, payload)] = self.notifications(
            'valence.pod_manager.create.end')
        self.assertEqual(podm['uuid'], payload['uuid'])
        self.assertEqual(states.OFFLINE, payload['status'])
        self.assertNotIn('password', payload)
        self.assertNotIn('username', payload)
        self.assertNotIn(PASSWORD, str(self.notifications()))

    def test_unknown_driver_is_400_listing_the_installed_drivers(self):
        response = self.app.post_json('/v1/pod_managers',
                                      podm_body(driver='nosuch'),
                                      expect_errors=True)
        self.assertError(response, 400, 'nosuch',
                         'expether, redfishv1, redfishv2')
        self.assertEqual(0, self.count_rows())

    def test_duplicate_name_is_409(self):
        self.create()
        response = self.app.post_json('/v1/pod_managers', podm_body(),
                                      expect_errors=True)
        self.assertError(response, 409, 'pod-1')
        self.assertEqual(1, self.count_rows())

    def test_duplicate_url_is_409(self):
        url = base.closed_port_url()
        self.create(url=url)
        response = self.app.post_json('/v1/pod_managers',
                                      podm_body(name='pod-2', url=url),
                                      expect_errors=True)
        self.assertError(response, 409, url)

    def test_duplicate_name_caught_by_the_database_is_409(self):
        # Two requests that both pass the API's check race to the
        # database; the loser must still get a 409.
        self.create()
        podm = objects.PodManager(
            self.context, uuid=uuidutils.generate_uuid(), name='pod-1',
            url=base.closed_port_url(), driver='redfishv1',
            auth_type='basic', username='u', password='p', verify_tls=True,
            status=states.OFFLINE)
        self.assertRaises(exception.DuplicateName,
                          rpcapi.ConductorAPI().create_pod_manager,
                          self.context, podm)
        self.assertEqual(1, self.count_rows())


class TestCreateBadInput(PodManagerAPITestCase):

    def assertRefused(self, body, status, *fragments, **kwargs):
        response = self.app.post_json('/v1/pod_managers', body,
                                      expect_errors=True, **kwargs)
        self.assertError(response, status, *fragments)
        self.assertNotIn('Traceback', response.text)
        self.assertEqual(0, self.count_rows())
        self.assertEqual([], self.notifications())

    def test_missing_name(self):
        body = podm_body()
        del body['name']
        self.assertRefused(body, 400, "'name'", 'required')

    def test_missing_authentication(self):
        body = podm_body()
        del body['authentication']
        self.assertRefused(body, 400, "'authentication'", 'required')

    def test_empty_authentication_list(self):
        self.assertRefused(podm_body(authentication=[]), 400,
                           "'authentication'", 'at least 1')

    def test_authentication_without_password(self):
        body = podm_body()
        del body['authentication'][0]['auth_items']['password']
        self.assertRefused(body, 400,
                           "'authentication[0].auth_items.password'")

    def test_unknown_authentication_type(self):
        body = podm_body()
        body['authentication'][0]['type'] = 'kerberos'
        self.assertRefused(body, 400, "'authentication[0].type'", 'basic')

    def test_password_of_the_wrong_type_is_not_echoed(self):
        body = podm_body()
        body['authentication'][0]['auth_items']['password'] = [PASSWORD]
        response = self.app.post_json('/v1/pod_managers', body,
                                      expect_errors=True)
        self.assertError(response, 400,
                         "'authentication[0].auth_items.password'",
                         'must be a string')
        self.assertNotIn(PASSWORD, response.text)

    def test_name_of_the_wrong_type(self):
        self.assertRefused(podm_body(name=42), 400, "'name'",
                           'must be a string')

    def test_verify_tls_must_be_a_boolean(self):
        self.assertRefused(podm_body(verify_tls='yes'), 400, "'verify_tls'",
                           'boolean')

    def test_unknown_field(self):
        self.assertRefused(podm_body(colour='blue'), 400, "'colour'",
                           'unknown field')

    def test_read_only_field(self):
        self.assertRefused(podm_body(status='online'), 400, "'status'",
                           'unknown field')

    def test_over_long_name(self):
        self.assertRefused(podm_body(name='x' * 256), 400, "'name'",
                           'at most 255')

    def test_empty_name(self):
        self.assertRefused(podm_body(name=''), 400, "'name'")

    def test_url_that_is_not_http(self):
        self.assertRefused(podm_body(url='ftp://pod.example.com'), 400,
                           "'url'", 'http')

    def test_url_without_host(self):
        self.assertRefused(podm_body(url='http://'), 400, "'url'")

    def test_body_that_is_a_list(self):
        self.assertRefused([podm_body()], 400, 'must be an object')

    def test_malformed_json(self):
        response = self.app.post('/v1/pod_managers', '{"name": ',
                                 content_type='application/json',
                                 expect_errors=True)
        self.assertError(response, 400, 'JSON')
        self.assertEqual(0, self.count_rows())

    def test_empty_body(self):
        response = self.app.post('/v1/pod_managers', '',
                                 content_type='application/json',
                                 expect_errors=True)
        self.assertError(response, 400, 'body')

    def test_body_that_is_not_json_is_415(self):
        response = self.app.post('/v1/pod_managers', 'name=pod-1',
                                 expect_errors=True)
        error = self.assertError(response, 415, 'application/json')
        # Valence's own words, not WebOb's template.
        self.assertNotIn('${', error['message'])
        self.assertEqual(0, self.count_rows())


class TestRead(PodManagerAPITestCase):

    def test_show_by_uuid_and_by_name(self):
        podm = self.create()
        by_uuid = self.app.get('/v1/pod_managers/%s' % podm['uuid']).json
        by_name = self.app.get('/v1/pod_managers/pod-1').json
        self.assertEqual(podm['uuid'], by_uuid['uuid'])
        self.assertEqual(podm['uuid'], by_name['uuid'])

    def test_show_masks_the_password(self):
        podm = self.create()
        response = self.app.get('/v1/pod_managers/%s' % podm['uuid'])
        self.assertNotIn(PASSWORD, response.text)

    def test_show_unknown_is_404(self):
        response = self.app.get('/v1/pod_managers/%s'
                                % uuidutils.generate_uuid(),
                                expect_errors=True)
        self.assertError(response, 404, 'could not be found')

    def test_list_shows_every_pod_manager_without_passwords(self):
        uuids = {self.create(name='pod-%d' % i,
                             url=base.closed_port_url())['uuid']
                 for i in range(3)}
        response = self.app.get('/v1/pod_managers')
        self.assertEqual(uuids,
                         {p['uuid'] for p in response.json['pod_managers']})
        self.assertNotIn(PASSWORD, response.text)
        self.assertNotIn('next', response.json)

    def test_list_filters_by_name_and_driver(self):
        self.create(name='a', driver='redfishv1')
        b = self.create(name='b', driver='expether',
                        url=base.closed_port_url())
        listed = self.app.get('/v1/pod_managers?driver=expether').json
        self.assertEqual([b['uuid']],
                         [p['uuid'] for p in listed['pod_managers']])
        listed = self.app.get('/v1/pod_managers?name=a').json
        self.assertEqual(['a'], [p['name'] for p in listed['pod_managers']])

    def test_list_pages_follow_next_links(self):
        names = ['pod-%d' % i for i in range(5)]
        for name in names:
            self.create(name=name, url=base.closed_port_url())
        seen = []
        url = '/v1/pod_managers?limit=2&sort_key=name'
        while url:
            page = self.app.get(url).json
            seen += [p['name'] for p in page['pod_managers']]
            url = page.get('next')
            if url:
                self.assertIn('limit=2', url)
                url = url.replace('http://localhost', '')
        self.assertEqual(names, seen)

    def test_list_sorts_descending(self):
        for name in ('b', 'a', 'c'):
            self.create(name=name, url=base.closed_port_url())
        listed = self.app.get('/v1/pod_managers?sort_key=name&sort_dir=desc')
        self.assertEqual(['c', 'b', 'a'],
                         [p['name'] for p in listed.json['pod_managers']])

    def test_unknown_query_parameter_is_400_listing_valid_ones(self):
        response = self.app.get('/v1/pod_managers?colour=blue',
                                expect_errors=True)
        self.assertError(response, 400, 'colour', 'driver', 'sort_key')

    def test_unknown_sort_key_is_400(self):
        response = self.app.get('/v1/pod_managers?sort_key=password',
                                expect_errors=True)
        self.assertError(response, 400, 'password', 'Sortable keys')

    def test_bad_sort_dir_is_400(self):
        response = self.app.get('/v1/pod_managers?sort_dir=up',
                                expect_errors=True)
        self.assertError(response, 400, 'sort_dir')

    def test_non_numeric_limit_is_400(self):
        response = self.app.get('/v1/pod_managers?limit=many',
                                expect_errors=True)
        self.assertError(response, 400, 'limit')

    def test_zero_limit_is_400(self):
        response = self.app.get('/v1/pod_managers?limit=0',
                                expect_errors=True)
        self.assertError(response, 400, 'limit')

    def test_unknown_marker_is_400(self):
        response = self.app.get('/v1/pod_managers?marker=%s'
                                % uuidutils.generate_uuid(),
                                expect_errors=True)
        self.assertError(response, 400, 'Marker')


class TestUpdate(PodManagerAPITestCase):

    def test_patch_changes_the_given_fields_only(self):
        podm = self.create(description='old')
        response = self.app.patch_json('/v1/pod_managers/%s' % podm['uuid'],
                                       {'description': 'new'})
        self.assertEqual(200, response.status_int)
        self.assertEqual('new', response.json['description'])
        self.assertEqual(podm['name'], response.json['name'])
        self.assertEqual('new', self.app.get(
            '/v1/pod_managers/%s' % podm['uuid']).json['description'])

    def test_patch_sends_an_update_end_notification(self):
        podm = self.create()
        self.app.patch_json('/v1/pod_managers/%s' % podm['uuid'],
                            {'name': 'renamed'})
        [(_, payload)] = self.notifications('valence.pod_manager.update.end')
        self.assertEqual('renamed', payload['name'])

    def test_patch_of_the_url_checks_the_pod_again(self):
        podm = self.create()
        url = base.closed_port_url()
        response = self.app.patch_json(
            '/v1/pod_managers/%s' % podm['uuid'], {'url': url})
        self.assertEqual(url, response.json['url'])
        self.assertIn(url, response.json['status_reason'])

    def test_patch_of_credentials_keeps_them_masked(self):
        podm = self.create()
        body = {'authentication': [{'type': 'basic', 'auth_items': {
            'username': 'root', 'password': 'other-secret'}}]}
        response = self.app.patch_json(
            '/v1/pod_managers/%s' % podm['uuid'], body)
        self.assertNotIn('other-secret', response.text)
        self.assertEqual('root', response.json['authentication'][0][
            'auth_items']['username'])
        stored = objects.PodManager.get_by_uuid(self.context, podm['uuid'])
        self.assertEqual('other-secret', stored.password)

    def test_patch_to_a_taken_name_is_409_and_changes_nothing(self):
        self.create(name='a')
        b = self.create(name='b', url=base.closed_port_url())
        response = self.app.patch_json('/v1/pod_managers/%s' % b['uuid'],
                                       {'name': 'a'}, expect_errors=True)
        self.assertError(response, 409, '"a"')
        self.assertEqual('b', self.app.get(
            '/v1/pod_managers/%s' % b['uuid']).json['name'])

    def test_patch_with_unknown_field_is_400(self):
        podm = self.create()
        response = self.app.patch_json('/v1/pod_managers/%s' % podm['uuid'],
                                       {'uuid': uuidutils.generate_uuid()},
                                       expect_errors=True)
        self.assertError(response, 400, "'uuid'")

    def test_patch_with_empty_body_is_400(self):
        podm = self.create()
        response = self.app.patch_json('/v1/pod_managers/%s' % podm['uuid'],
                                       {}, expect_errors=True)
        self.assertError(response, 400, 'at least one field')

    def test_patch_to_unknown_driver_is_400(self):
        podm = self.create()
        response = self.app.patch_json('/v1/pod_managers/%s' % podm['uuid'],
                                       {'driver': 'nosuch'},
                                       expect_errors=True)
        self.assertError(response, 400, 'nosuch')

    def test_patch_of_unknown_pod_manager_is_404(self):
        response = self.app.patch_json(
            '/v1/pod_managers/%s' % uuidutils.generate_uuid(),
            {'description': 'x'}, expect_errors=True)
        self.assertError(response, 404)


class TestDelete(PodManagerAPITestCase):

    def test_delete_answers_204_and_the_pod_manager_is_gone(self):
        podm = self.create()
        response = self.app.delete('/v1/pod_managers/%s' % podm['uuid'])
        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual(404, self.app.get(
            '/v1/pod_managers/%s' % podm['uuid'],
            expect_errors=True).status_int)
        [(_, payload)] = self.notifications('valence.pod_manager.delete.end')
        self.assertEqual(podm['uuid'], payload['uuid'])

    def test_delete_with_composed_nodes_is_409_and_keeps_everything(self):
        podm = self.create()
        stored = objects.PodManager.get_by_uuid(self.context, podm['uuid'])
        with sqla_api.main_context.writer.using(self.context) as session:
            session.add(models.Node(uuid=uuidutils.generate_uuid(),
                                    podmanager_id=stored.id,
                                    pod_node_uri='/redfish/v1/Nodes/1',
                                    state='available'))
        response = self.app.delete('/v1/pod_managers/%s' % podm['uuid'],
                                   expect_errors=True)
        self.assertError(response, 409, '1 composed node')
        self.assertEqual(1, self.count_rows())
        self.assertEqual([], self.notifications(
            'valence.pod_manager.delete.end'))

    def test_delete_of_unknown_pod_manager_is_404(self):
        response = self.app.delete('/v1/pod_managers/%s'
                                   % uuidutils.generate_uuid(),
                                   expect_errors=True)
        self.assertError(response, 404)


class TestNoConductor(PodManagerAPITestCase):

    def test_create_without_a_live_conductor_is_503(self):
        objects.Conductor.list(self.context)[0].unregister()
        # A new application: its hash ring has not seen the conductor.
        self.app = webtest.TestApp(app.setup_app())
        response = self.app.post_json('/v1/pod_managers', podm_body(),
                                      expect_errors=True)
        self.assertError(response, 503, 'No conductor')
        self.assertEqual(0, self.count_rows())
