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

"""What the commands and the plugin make of their options."""

import argparse

import fixtures
from keystoneauth1 import session
import testtools

from valence.osc import client
from valence.osc import plugin
from valence.osc.v1 import flavor
from valence.osc.v1 import node


def property_args(*argv):
    parser = argparse.ArgumentParser()
    flavor.add_property_options(parser)
    return parser.parse_args(list(argv))


class TestProperties(testtools.TestCase):

    def test_no_option_gives_no_properties(self):
        self.assertIsNone(flavor.properties_from(property_args()))

    def test_sections_given_key_by_key_join_the_json(self):
        args = property_args(
            '--properties', '{"devices": [{"type": "GPU"}]}',
            '--processor', 'total_cores=8', '--processor', 'arch=x86_64',
            '--memory', 'capacity_mib=4096')
        self.assertEqual({'devices': [{'type': 'GPU'}],
                          'processor': {'total_cores': '8',
                                        'arch': 'x86_64'},
                          'memory': {'capacity_mib': '4096'}},
                         flavor.properties_from(args))

    def test_a_section_changes_over_the_current_properties(self):
        current = {'memory': {'capacity_mib': 4096, 'type': 'DDR4'},
                   'processor': {'total_cores': 4}}
        self.assertEqual(
            {'memory': {'capacity_mib': '8192', 'type': 'DDR4'},
             'processor': {'total_cores': 4}},
            flavor.properties_from(property_args(
                '--memory', 'capacity_mib=8192'), current))
        self.assertEqual({'memory': {'capacity_mib': 4096, 'type': 'DDR4'},
                          'processor': {'total_cores': 4}}, current)

    def test_ironic_properties_of_digits_become_numbers(self):
        self.assertEqual({'cpus': 8, 'cpu_arch': 'x86_64'},
                         node.numbers({'cpus': '8', 'cpu_arch': 'x86_64'}))


class FakeClientManager:
    """What make_client reads of OSC's ClientManager."""

    def __init__(self, config, version='1'):
        self._config = config
        self._api_version = {plugin.API_NAME: version}
        self.session = session.Session()
        self.region_name = 'RegionOne'
        self.interface = 'public'

    def get_configuration(self):
        return self._config


class TestPlugin(testtools.TestCase):

    def parse(self, *argv):
        parser = argparse.ArgumentParser()
        plugin.build_option_parser(parser)
        return parser.parse_args(list(argv))

    def test_options_and_their_environment_variables(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'VALENCE_API_URL', 'http://valence:8181'))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VALENCE_API_VERSION'))
        args = self.parse()
        self.assertEqual('http://valence:8181', args.valence_api_url)
        self.assertEqual('1', getattr(args, plugin.API_VERSION_OPTION))
        args = self.parse('--valence-api-url', 'http://other:8181',
                          '--valence-api-version', '1.0')
        self.assertEqual('http://other:8181', args.valence_api_url)
        self.assertEqual('1.0', getattr(args, plugin.API_VERSION_OPTION))

    def test_the_url_option_overrides_the_catalog(self):
        valence = plugin.make_client(FakeClientManager(
            {'valence_api_url': 'http://valence:8181/v1'}))
        self.assertIsInstance(valence, client.Client)
        self.assertEqual('http://valence:8181', valence.endpoint)
        self.assertEqual(client.API_VERSION, valence.api_version)

    def test_a_clouds_yaml_endpoint_override_is_taken(self):
        valence = plugin.make_client(FakeClientManager(
            {'composition_endpoint_override': 'http://valence:8181'},
            version='1.0'))
        self.assertEqual('http://valence:8181', valence.endpoint)
        self.assertEqual('1.0', valence.api_version)

    def test_without_any_endpoint_the_error_says_what_to_give(self):
        valence = plugin.make_client(FakeClientManager({}))
        e = self.assertRaises(client.ValenceClientError, lambda:
                              valence.endpoint)
        self.assertIn('--valence-api-url', str(e))
