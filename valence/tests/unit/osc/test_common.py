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

"""The commands' shared parsing and formatting."""

import argparse
import logging
import os
import tempfile

import fixtures
from osc_lib import exceptions
import testtools

from valence.osc.v1 import common
from valence.osc.v1 import podmanager

UUID = '0c7c293f-6dcc-4ef1-a5dc-e91270c362c4'


class TestOutput(testtools.TestCase):

    def test_dicts_are_compact_json_in_a_table(self):
        column = common.cell({'memory': {'capacity_mib': 16384}, 'a': 1})
        self.assertEqual('{"a": 1, "memory": {"capacity_mib": 16384}}',
                         column.human_readable())

    def test_structures_stay_structures_for_json_and_yaml(self):
        value = [{'mac_address': '02:00', 'speed_mbps': 1000}]
        self.assertEqual(value, common.cell(value).machine_readable())

    def test_lists_of_words_read_as_words(self):
        self.assertEqual('On, ForceOff',
                         common.cell(['On', 'ForceOff']).human_readable())

    def test_scalars_are_left_alone(self):
        self.assertEqual(8, common.cell(8))
        self.assertIsNone(common.cell(None))

    def test_show_puts_known_fields_first_then_new_ones_but_no_links(self):
        item = {'zeta': 1, 'name': 'n', 'uuid': UUID, 'alpha': 2,
                'links': [{'href': 'x'}]}
        columns, values = common.show(item, ('uuid', 'name', 'missing'))
        self.assertEqual(['uuid', 'name', 'alpha', 'zeta'], columns)
        self.assertEqual((UUID, 'n', 2, 1), values)

    def test_listing_fills_missing_fields_with_none(self):
        columns, rows = common.listing([{'uuid': UUID}], ('uuid', 'name'))
        self.assertEqual(('uuid', 'name'), columns)
        self.assertEqual([(UUID, None)], rows)

    def test_pod_manager_shows_its_user_but_never_a_password(self):
        podm = podmanager.flatten({'uuid': UUID, 'authentication': [{
            'type': 'basic',
            'auth_items': {'username': 'admin', 'password': '***'}}]})
        self.assertEqual({'uuid': UUID, 'username': 'admin'}, podm)


class TestArguments(testtools.TestCase):

    def test_sort_takes_a_key_and_an_optional_direction(self):
        self.assertEqual(('name', None), common.sort_option('name'))
        self.assertEqual(('cores', 'desc'), common.sort_option('cores:desc'))

    def test_sort_refuses_an_unknown_direction(self):
        self.assertRaises(argparse.ArgumentTypeError, common.sort_option,
                          'name:up')
        self.assertRaises(argparse.ArgumentTypeError, common.sort_option,
                          ':asc')

    def test_positive_int_refuses_zero_and_words(self):
        self.assertEqual(5, common.positive_int('5'))
        for value in ('0', '-1', 'five'):
            self.assertRaises(argparse.ArgumentTypeError,
                              common.positive_int, value)

    def test_json_object_inline(self):
        self.assertEqual({'memory': {'capacity_mib': 1024}},
                         common.json_object('{"memory": {"capacity_mib": '
                                            '1024}}'))

    def test_json_object_from_a_file(self):
        with tempfile.NamedTemporaryFile('w', suffix='.json',
                                         delete=False) as f:
            f.write('{"processor": {"total_cores": 4}}')
        self.addCleanup(os.unlink, f.name)
        self.assertEqual({'processor': {'total_cores': 4}},
                         common.json_object('@' + f.name))

    def test_json_object_says_what_is_wrong(self):
        e = self.assertRaises(argparse.ArgumentTypeError,
                              common.json_object, '{"a": ')
        self.assertIn('not valid JSON', str(e))
        e = self.assertRaises(argparse.ArgumentTypeError,
                              common.json_object, '[1, 2]')
        self.assertIn('JSON object', str(e))
        e = self.assertRaises(argparse.ArgumentTypeError,
                              common.json_object, '@/nonexistent/file')
        self.assertIn('cannot read /nonexistent/file', str(e))

    def test_list_options_become_paging_arguments(self):
        parser = argparse.ArgumentParser()
        common.add_list_options(parser, 'node')
        args = parser.parse_args(['--limit', '10', '--marker', UUID,
                                  '--sort', 'name:desc', '--long'])
        self.assertTrue(args.long)
        self.assertEqual({'limit': 10, 'marker': UUID, 'sort_key': 'name',
                          'sort_dir': 'desc'}, common.list_params(args))

    def test_choices_match_whatever_the_case(self):
        self.assertEqual('ForceOff', common.match_choice(
            'forceoff', ('On', 'ForceOff')))
        # Anything else goes to the API as given, for it to explain.
        self.assertEqual('Sideways', common.match_choice(
            'Sideways', ('On', 'ForceOff')))


class FakeClient:
    def __init__(self):
        self.looked_up = []

    def get_pod_manager(self, ident):
        self.looked_up.append(ident)
        return {'uuid': UUID}

    get_flavor = get_node = get_pod_manager


class TestFilters(testtools.TestCase):

    FILTERS = (common.Filter('--podm', 'podm_id', 'pod manager'),
               common.Filter('--state', 'state', 'state'),
               common.Filter('--min-cores', 'min_cores', 'cores',
                             common.positive_int))

    def parse(self, *argv):
        parser = argparse.ArgumentParser()
        common.add_filters(parser, self.FILTERS)
        return parser.parse_args(list(argv))

    def test_only_given_filters_are_sent(self):
        client = FakeClient()
        self.assertEqual({'state': 'free', 'min_cores': 8},
                         common.filter_values(client, self.parse(
                             '--state', 'free', '--min-cores', '8'),
                             self.FILTERS))

    def test_names_are_looked_up_for_their_uuid(self):
        client = FakeClient()
        self.assertEqual({'podm_id': UUID}, common.filter_values(
            client, self.parse('--podm', 'rack-1'), self.FILTERS))
        self.assertEqual(['rack-1'], client.looked_up)

    def test_uuids_are_not_looked_up(self):
        client = FakeClient()
        common.filter_values(client, self.parse('--podm', UUID),
                             self.FILTERS)
        self.assertEqual([], client.looked_up)


class TestDeleteEach(testtools.TestCase):

    def test_one_failure_stops_no_other_and_is_counted(self):
        log = self.useFixture(fixtures.FakeLogger())
        deleted = []

        def delete(ident):
            if ident == 'b':
                raise RuntimeError('refused')
            deleted.append(ident)

        e = self.assertRaises(exceptions.CommandError, common.delete_each,
                              logging.getLogger(__name__), 'flavor',
                              ['a', 'b', 'c'], delete)
        self.assertEqual(['a', 'c'], deleted)
        self.assertEqual('1 of 3 flavors failed to delete.', str(e))
        self.assertIn('Failed to delete flavor b: refused', log.output)
