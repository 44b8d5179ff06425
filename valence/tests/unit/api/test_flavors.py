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

import copy

from oslo_utils import uuidutils

from valence import objects
from valence.common import states
from valence.db.sqlalchemy import api as sqla_api
from valence.db.sqlalchemy import models
from valence.tests.unit.api import base
from valence.tests.unit.api import test_policy_matrix

# A body of the original Valence: numbers as strings, PCI device types.
ORIGINAL_BODY = {
    'name': 'gpu-small',
    'description': 'Four cores and a GPU',
    'properties': {
        'processor': {'model': 'Intel Xeon', 'total_cores': '4'},
        'memory': {'capacity_mib': '8192', 'type': 'DDR4'},
        'pci_device': {'type': ['GPU']},
    },
}
EXTENDED_PROPERTIES = {
    'processor': {'model': 'Intel Xeon', 'total_cores': 16,
                  'arch': 'x86_64'},
    'memory': {'capacity_mib': 65536, 'type': 'DDR4'},
    'local_drives': [{'capacity_gib': 480, 'type': 'SSD', 'count': 2}],
    'remote_drives': [{'capacity_gib': 1024, 'protocol': 'NVMeOverFabrics',
                       'count': 1}],
    'nics': [{'speed_mbps': 25000, 'count': 2}],
    'devices': [{'type': 'GPU', 'vendor': 'NVIDIA', 'model': 'Tesla V100',
                 'count': 2}],
}


def flavor_body(**overrides):
    body = {'name': 'big', 'properties': copy.deepcopy(EXTENDED_PROPERTIES)}
    body.update(overrides)
    return body


class FlavorAPITestCase(base.APITestCase):

    def create(self, **overrides):
        response = self.app.post_json('/v1/flavors', flavor_body(**overrides))
        self.assertEqual(201, response.status_int)
        return response.json

    def count_rows(self):
        with sqla_api.main_context.reader.using(self.context) as session:
            return session.query(models.Flavor).count()

    def add_node(self, flavor_uuid, state):
        """A node row composed (or being composed) from the flavor."""
        if not hasattr(self, 'podm'):
            self.podm = objects.PodManager(
                self.context, uuid=uuidutils.generate_uuid(), name='rack-1',
                url=base.closed_port_url(), driver='redfishv1',
                auth_type='basic', username='admin', password='p',
                verify_tls=True, status=states.OFFLINE)
            self.podm.create()
        uuid = uuidutils.generate_uuid()
        with sqla_api.main_context.writer.using(self.context) as session:
            session.add(models.Node(uuid=uuid, podmanager_id=self.podm.id,
                                    pod_node_uri='/redfish/v1/Nodes/%s' % uuid,
                                    flavor_id=flavor_uuid, state=state))
        return uuid


class TestCreate(FlavorAPITestCase):

    def test_create_answers_201_with_location_and_the_flavor(self):
        response = self.app.post_json('/v1/flavors', flavor_body())
        self.assertEqual(201, response.status_int)
        flavor = response.json
        self.assertTrue(uuidutils.is_uuid_like(flavor['uuid']))
        self.assertEqual('http://localhost/v1/flavors/%s' % flavor['uuid'],
                         response.headers['Location'])
        self.assertEqual('big', flavor['name'])
        self.assertIsNone(flavor['description'])
        self.assertEqual(EXTENDED_PROPERTIES, flavor['properties'])
        self.assertTrue(flavor['is_public'])
        self.assertIsNone(flavor['project_id'])
        self.assertEqual(['self', 'bookmark'],
                         [link['rel'] for link in flavor['links']])

    def test_original_body_is_taken_with_its_numbers_made_integers(self):
        response = self.app.post_json('/v1/flavors', ORIGINAL_BODY)
        self.assertEqual(201, response.status_int)
        flavor = response.json
        self.assertEqual('Four cores and a GPU', flavor['description'])
        self.assertEqual({
            'processor': {'model': 'Intel Xeon', 'total_cores': 4},
            'memory': {'capacity_mib': 8192, 'type': 'DDR4'},
            'pci_device': {'type': ['GPU']},
        }, flavor['properties'])
        stored = objects.Flavor.get(self.context, 'gpu-small')
        self.assertEqual(4, stored.properties['processor']['total_cores'])

    def test_digit_strings_in_lists_are_made_integers(self):
        properties = {'local_drives': [{'capacity_gib': '100',
                                        'count': '2'}],
                      'nics': [{'speed_mbps': '10000'}]}
        flavor = self.create(properties=properties)
        self.assertEqual({'local_drives': [{'capacity_gib': 100,
                                            'count': 2}],
                          'nics': [{'speed_mbps': 10000}]},
                         flavor['properties'])

    def test_empty_properties_ask_for_any_node(self):
        self.assertEqual({}, self.create(properties={})['properties'])

    def test_duplicate_name_is_409_and_writes_nothing(self):
        self.create()
        response = self.app.post_json('/v1/flavors', flavor_body(),
                                      expect_errors=True)
        self.assertError(response, 409, 'big')
        self.assertEqual(1, self.count_rows())

    def test_name_that_looks_like_a_uuid_is_400(self):
        response = self.app.post_json(
            '/v1/flavors', flavor_body(name=uuidutils.generate_uuid()),
            expect_errors=True)
        self.assertError(response, 400, "'name'", 'UUID')
        self.assertEqual(0, self.count_rows())

    def test_private_flavor_needs_a_request_with_a_project(self):
        # Without authentication, callers act on the whole system.
        response = self.app.post_json('/v1/flavors',
                                      flavor_body(is_public=False),
                                      expect_errors=True)
        self.assertError(response, 400, "'is_public'", 'project')
        self.assertEqual(0, self.count_rows())


class TestCreateBadInput(FlavorAPITestCase):
    """Each bad body is a 400 naming the field, and writes nothing."""

    def assertRefused(self, body, field, *fragments):
        response = self.app.post_json('/v1/flavors', body,
                                      expect_errors=True)
        self.assertError(response, 400, "'%s'" % field, *fragments)
        self.assertNotIn('Traceback', response.text)
        self.assertEqual(0, self.count_rows())
        return response

    def assertBadProperty(self, section, value, field, *fragments):
        """``properties[section]`` set to ``value`` is refused."""
        body = flavor_body()
        body['properties'][section] = value
        return self.assertRefused(body, 'properties.' + field, *fragments)

    def assertBadCores(self, value, *fragments):
        return self.assertBadProperty(
            'processor', {'total_cores': value},
            'processor.total_cores', *fragments)

    def test_missing_name(self):
        body = flavor_body()
        del body['name']
        self.assertRefused(body, 'name', 'required')

    def test_missing_properties(self):
        body = flavor_body()
        del body['properties']
        self.assertRefused(body, 'properties', 'required')

    def test_name_of_the_wrong_type(self):
        self.assertRefused(flavor_body(name=42), 'name', 'must be a string')

    def test_over_long_name(self):
        self.assertRefused(flavor_body(name='x' * 256), 'name', 'at most 255')

    def test_empty_name(self):
        self.assertRefused(flavor_body(name=''), 'name', 'empty')

    def test_over_long_description(self):
        self.assertRefused(flavor_body(description='x' * 4097),
                           'description', 'at most 4096')

    def test_is_public_must_be_a_boolean(self):
        self.assertRefused(flavor_body(is_public='no'), 'is_public',
                           'boolean')

    def test_unknown_field(self):
        self.assertRefused(flavor_body(colour='blue'), 'colour',
                           'unknown field')

    def test_read_only_fields_are_unknown(self):
        for field in ('uuid', 'project_id', 'created_at'):
            self.assertRefused(flavor_body(**{field: 'x'}), field,
                               'unknown field')

    def test_properties_must_be_an_object(self):
        self.assertRefused(flavor_body(properties=['GPU']), 'properties',
                           'must be an object')

    def test_unknown_section_of_properties(self):
        self.assertBadProperty('storage', {}, 'storage', 'unknown field')

    def test_unknown_field_in_each_section(self):
        for section, value, field in (
                ('processor', {'speed': 3}, 'processor.speed'),
                ('memory', {'speed': 3}, 'memory.speed'),
                ('pci_device', {'type': [], 'vendor': 'x'},
                 'pci_device.vendor'),
                ('local_drives', [{'rpm': 3}], 'local_drives[0].rpm'),
                ('remote_drives', [{'rpm': 3}], 'remote_drives[0].rpm'),
                ('nics', [{'vlan': 3}], 'nics[0].vlan'),
                ('devices', [{'type': 'GPU', 'memory': 3}],
                 'devices[0].memory')):
            self.assertBadProperty(section, value, field, 'unknown field')

    def test_section_of_the_wrong_type(self):
        self.assertBadProperty('processor', 'Xeon', 'processor',
                               'must be an object')
        self.assertBadProperty('nics', {'speed_mbps': 1000}, 'nics',
                               'must be a list')

    def test_fraction_is_refused(self):
        self.assertBadCores(4.5, 'must be an integer')

    def test_whole_number_written_with_a_fraction_is_refused(self):
        self.assertBadCores(4.0, 'must be an integer')

    def test_string_that_is_not_digits_is_refused(self):
        for value in ('four', '4.0', '', ' 4', '4 cores', '0x10', '٤'):
            self.assertBadCores(value, 'must be an integer')

    def test_negative_number_is_refused(self):
        self.assertBadCores(-4, 'at least 1')
        self.assertBadCores('-4', 'must be an integer')

    def test_zero_is_refused(self):
        self.assertBadCores(0, 'at least 1')
        self.assertBadCores('0', 'at least 1')

    def test_boolean_and_null_are_refused(self):
        self.assertBadCores(True, 'must be an integer')
        self.assertBadCores(None, 'must be an integer')

    def test_too_large_numbers_are_refused(self):
        self.assertBadCores(2 ** 31, 'at most 2147483647')
        self.assertBadCores('9' * 20, 'at most 2147483647')
        self.assertBadCores('9' * 5000, 'must be an integer')
        self.assertBadProperty('devices', [{'type': 'GPU', 'count': 1025}],
                               'devices[0].count', 'at most 1024')

    def test_numbers_of_every_section_are_checked(self):
        for section, value, field in (
                ('memory', {'capacity_mib': 'lots'}, 'memory.capacity_mib'),
                ('local_drives', [{'capacity_gib': 1.5}],
                 'local_drives[0].capacity_gib'),
                ('local_drives', [{'count': -1}], 'local_drives[0].count'),
                ('remote_drives', [{'capacity_gib': False}],
                 'remote_drives[0].capacity_gib'),
                ('remote_drives', [{'count': 'two'}],
                 'remote_drives[0].count'),
                ('nics', [{'speed_mbps': '10G'}], 'nics[0].speed_mbps'),
                ('nics', [{'count': 2.5}], 'nics[0].count'),
                ('devices', [{'type': 'GPU', 'count': '1.0'}],
                 'devices[0].count')):
            self.assertBadProperty(section, value, field)

    def test_values_are_never_echoed(self):
        response = self.assertBadCores('secret-cores-31337')
        self.assertNotIn('secret-cores-31337', response.text)

    def test_unknown_device_type(self):
        self.assertBadProperty('devices', [{'type': 'Quantum'}],
                               'devices[0].type', 'GPU')

    def test_device_without_a_type(self):
        self.assertBadProperty('devices', [{'count': 2}], 'devices[0].type',
                               'required')

    def test_unknown_pci_device_type(self):
        self.assertBadProperty('pci_device', {'type': ['GPU', 'Floppy']},
                               'pci_device.type[1]', 'GPU')

    def test_pci_device_without_types(self):
        self.assertBadProperty('pci_device', {}, 'pci_device.type',
                               'required')

    def test_unknown_drive_type_and_protocol(self):
        self.assertBadProperty('local_drives', [{'type': 'Tape'}],
                               'local_drives[0].type', 'HDD')
        self.assertBadProperty('remote_drives', [{'protocol': 'SCSI'}],
                               'remote_drives[0].protocol', 'iSCSI')

    def test_over_long_strings_in_properties(self):
        self.assertBadProperty('processor', {'model': 'x' * 256},
                               'processor.model', 'at most 255')
        self.assertBadProperty('processor', {'arch': 'x' * 33},
                               'processor.arch', 'at most 32')
        self.assertBadProperty('memory', {'type': 'x' * 65}, 'memory.type',
                               'at most 64')
        self.assertBadProperty('devices', [{'type': 'GPU',
                                            'vendor': 'x' * 256}],
                               'devices[0].vendor', 'at most 255')

    def test_too_many_requirements_of_one_kind(self):
        self.assertBadProperty('nics', [{'speed_mbps': 1000}] * 17, 'nics',
                               'at most 16')


class TestRead(FlavorAPITestCase):

    def test_show_by_uuid_and_by_name(self):
        flavor = self.create()
        for ident in (flavor['uuid'], 'big'):
            shown = self.app.get('/v1/flavors/%s' % ident).json
            self.assertEqual(flavor, shown)

    def test_show_unknown_is_404(self):
        for ident in (uuidutils.generate_uuid(), 'nothing'):
            response = self.app.get('/v1/flavors/%s' % ident,
                                    expect_errors=True)
            self.assertError(response, 404, 'Flavor')

    def test_list_shows_every_flavor(self):
        self.create(name='a')
        self.create(name='b')
        listed = self.app.get('/v1/flavors').json
        self.assertEqual(['a', 'b'], [f['name'] for f in listed['flavors']])
        self.assertNotIn('next', listed)
        self.assertEqual(EXTENDED_PROPERTIES,
                         listed['flavors'][0]['properties'])

    def test_list_filters_by_name(self):
        self.create(name='a')
        self.create(name='b')
        listed = self.app.get('/v1/flavors?name=b').json['flavors']
        self.assertEqual(['b'], [f['name'] for f in listed])

    def test_list_filters_by_project(self):
        self.create(name='public')
        objects.Flavor(self.context, uuid=uuidutils.generate_uuid(),
                       name='private', description=None, properties={},
                       project_id='project-a').create()
        listed = self.app.get('/v1/flavors?project_id=project-a').json
        self.assertEqual(['private'],
                         [f['name'] for f in listed['flavors']])

    def test_list_pages_follow_next_links(self):
        for name in ('c', 'a', 'd', 'b', 'e'):
            self.create(name=name)
        names = []
        url = '/v1/flavors?limit=2&sort_key=name'
        while url:
            page = self.app.get(url).json
            names += [f['name'] for f in page['flavors']]
            url = page.get('next', '').replace('http://localhost', '')
        self.assertEqual(['a', 'b', 'c', 'd', 'e'], names)

    def test_list_sorts_descending(self):
        for name in ('a', 'c', 'b'):
            self.create(name=name)
        listed = self.app.get('/v1/flavors?sort_key=name&sort_dir=desc')
        self.assertEqual(['c', 'b', 'a'],
                         [f['name'] for f in listed.json['flavors']])

    def test_unknown_query_parameter_is_400_listing_valid_ones(self):
        response = self.app.get('/v1/flavors?colour=blue',
                                expect_errors=True)
        self.assertError(response, 400, 'colour', 'project_id')

    def test_unknown_sort_key_is_400(self):
        response = self.app.get('/v1/flavors?sort_key=properties',
                                expect_errors=True)
        self.assertError(response, 400, 'properties')

    def test_unknown_marker_is_400(self):
        response = self.app.get('/v1/flavors?marker=%s'
                                % uuidutils.generate_uuid(),
                                expect_errors=True)
        self.assertError(response, 400, 'Marker')


class TestUpdate(FlavorAPITestCase):

    def patch(self, ident, body, **kwargs):
        return self.app.patch_json('/v1/flavors/%s' % ident, body, **kwargs)

    def test_patch_changes_the_given_fields_only(self):
        flavor = self.create(description='old')
        changed = self.patch(flavor['uuid'], {'description': 'new'}).json
        self.assertEqual('new', changed['description'])
        self.assertEqual('big', changed['name'])
        self.assertEqual(EXTENDED_PROPERTIES, changed['properties'])
        self.assertIsNotNone(changed['updated_at'])

    def test_patch_by_name_renames(self):
        self.create()
        changed = self.patch('big', {'name': 'bigger'}).json
        self.assertEqual('bigger', changed['name'])
        self.assertEqual(changed, self.app.get('/v1/flavors/bigger').json)

    def test_patch_of_properties_replaces_them_whole(self):
        flavor = self.create()
        changed = self.patch(flavor['uuid'], {'properties': {
            'memory': {'capacity_mib': '4096'}}}).json
        self.assertEqual({'memory': {'capacity_mib': 4096}},
                         changed['properties'])

    def test_patch_clears_the_description_with_null(self):
        flavor = self.create(description='old')
        changed = self.patch(flavor['uuid'], {'description': None}).json
        self.assertIsNone(changed['description'])

    def test_patch_to_a_taken_name_is_409_and_changes_nothing(self):
        self.create(name='a')
        flavor = self.create(name='b')
        response = self.patch('b', {'name': 'a', 'description': 'x'},
                              expect_errors=True)
        self.assertError(response, 409, 'a')
        self.assertEqual(flavor, self.app.get('/v1/flavors/b').json)

    def test_patch_with_bad_properties_is_400_and_changes_nothing(self):
        flavor = self.create()
        response = self.patch('big', {'description': 'x', 'properties': {
            'processor': {'total_cores': 2.5}}}, expect_errors=True)
        self.assertError(response, 400, "'properties.processor.total_cores'")
        self.assertEqual(flavor, self.app.get('/v1/flavors/big').json)

    def test_patch_of_fields_that_cannot_change_is_400(self):
        self.create()
        for field in ('uuid', 'project_id', 'is_public', 'colour'):
            response = self.patch('big', {field: 'x'}, expect_errors=True)
            self.assertError(response, 400, "'%s'" % field, 'unknown field')

    def test_patch_with_empty_body_is_400(self):
        self.create()
        response = self.patch('big', {}, expect_errors=True)
        self.assertError(response, 400, 'at least one field')

    def test_patch_to_a_uuid_name_is_400(self):
        self.create()
        response = self.patch('big', {'name': uuidutils.generate_uuid()},
                              expect_errors=True)
        self.assertError(response, 400, "'name'", 'UUID')

    def test_patch_of_unknown_flavor_is_404(self):
        response = self.patch(uuidutils.generate_uuid(), {'name': 'x'},
                              expect_errors=True)
        self.assertError(response, 404)


class TestDelete(FlavorAPITestCase):

    def test_delete_answers_204_and_the_flavor_is_gone(self):
        flavor = self.create()
        response = self.app.delete('/v1/flavors/%s' % flavor['uuid'])
        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual(0, self.count_rows())

    def test_delete_by_name(self):
        self.create()
        self.assertEqual(204, self.app.delete('/v1/flavors/big').status_int)

    def test_delete_while_a_node_is_composed_from_it_is_409(self):
        for state in (states.COMPOSING, states.ALLOCATED,
                      states.ASSEMBLING):
            flavor = self.create(name='f-%s' % state)
            self.add_node(flavor['uuid'], state)
            response = self.app.delete('/v1/flavors/%s' % flavor['uuid'],
                                       expect_errors=True)
            self.assertError(response, 409, flavor['uuid'], 'composed')
            self.assertEqual(flavor, self.app.get(
                '/v1/flavors/%s' % flavor['uuid']).json)

    def test_delete_of_a_flavor_finished_nodes_used_keeps_the_nodes(self):
        flavor = self.create()
        nodes = [self.add_node(flavor['uuid'], state)
                 for state in (states.AVAILABLE, states.COMPOSE_FAILED,
                               states.DELETING)]
        self.app.delete('/v1/flavors/%s' % flavor['uuid'], status=204)
        with sqla_api.main_context.reader.using(self.context) as session:
            kept = {node.uuid: node.flavor_id
                    for node in session.query(models.Node)}
        self.assertEqual({uuid: flavor['uuid'] for uuid in nodes}, kept)

    def test_delete_of_unknown_flavor_is_404(self):
        response = self.app.delete('/v1/flavors/%s'
                                   % uuidutils.generate_uuid(),
                                   expect_errors=True)
        self.assertError(response, 404)


class TestProjects(test_policy_matrix.KeystoneAPITestCase):
    """Private flavors, as project members and system readers see them."""

    def call(self, method, path, persona, body=None, status=200):
        response = self.request(method, path, persona, body)
        self.assertEqual(status, response.status_int, response.text)
        return response.json if response.body else None

    def setUp(self):
        super().setUp()
        self.public = self.call('POST', '/v1/flavors', 'system_admin',
                                flavor_body(name='public'), status=201)
        self.private = self.call(
            'POST', '/v1/flavors', 'project_member',
            flavor_body(name='private-a', is_public=False), status=201)

    def names(self, persona, query=''):
        listed = self.call('GET', '/v1/flavors' + query, persona)
        return sorted(f['name'] for f in listed['flavors'])

    def test_private_flavor_belongs_to_the_project_of_the_request(self):
        self.assertFalse(self.private['is_public'])
        self.assertEqual(test_policy_matrix.PROJECT_A,
                         self.private['project_id'])

    def test_projects_list_public_flavors_and_their_own(self):
        self.assertEqual(['private-a', 'public'],
                         self.names('project_reader'))
        self.assertEqual(['public'], self.names('other_project_member'))

    def test_system_readers_list_every_flavor_and_filter_by_project(self):
        self.assertEqual(['private-a', 'public'],
                         self.names('system_reader'))
        self.assertEqual(['private-a'], self.names(
            'system_reader', '?project_id=%s' % test_policy_matrix.PROJECT_A))

    def test_a_project_may_filter_on_itself_only(self):
        self.assertEqual(['private-a'], self.names(
            'project_member',
            '?project_id=%s' % test_policy_matrix.PROJECT_A))
        self.call('GET', '/v1/flavors?project_id=%s'
                  % test_policy_matrix.PROJECT_A, 'other_project_member',
                  status=403)

    def test_another_projects_flavor_does_not_exist(self):
        for ident in (self.private['uuid'], 'private-a'):
            self.call('GET', '/v1/flavors/%s' % ident,
                      'other_project_member', status=404)
            self.call('PATCH', '/v1/flavors/%s' % ident,
                      'other_project_member', {'description': 'x'},
                      status=404)
            self.call('DELETE', '/v1/flavors/%s' % ident,
                      'other_project_member', status=404)

    def test_members_change_their_private_flavors_not_public_ones(self):
        path = '/v1/flavors/%s' % self.private['uuid']
        changed = self.call('PATCH', path, 'project_member',
                            {'description': 'mine'})
        self.assertEqual('mine', changed['description'])
        self.call('PATCH', '/v1/flavors/public', 'project_member',
                  {'description': 'x'}, status=403)
        self.call('DELETE', '/v1/flavors/public', 'project_admin',
                  status=403)
        self.call('DELETE', path, 'project_reader', status=403)
        self.call('DELETE', path, 'project_member', status=204)

    def test_only_system_administrators_create_public_flavors(self):
        self.call('POST', '/v1/flavors', 'project_admin',
                  flavor_body(name='mine'), status=403)

    def test_who_creates_private_flavors(self):
        # A system-scoped token has no project to own a private flavor.
        for persona, status in (('system_admin', 400),
                                ('system_reader', 403),
                                ('project_admin', 201),
                                ('project_reader', 403),
                                ('other_project_member', 201),
                                ('no_token', 401)):
            self.call('POST', '/v1/flavors', persona,
                      flavor_body(name='mine-%s' % persona, is_public=False),
                      status=status)
