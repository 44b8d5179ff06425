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

"""What Valence registers in Ironic, per pod manager driver."""

import testtools

from valence.common import exception
from valence.provision import base
from valence.provision import mapping

UUID = '3f0c8a2e-8f8e-4c55-9d7b-1f6a2b9c0d11'


def describe(pod_driver='redfishv1', **kwargs):
    options = kwargs.pop('options', {})
    args = dict(uuid=UUID, name='node-1', pod_driver=pod_driver,
                pod_url='https://podm.example:8443/redfish/v1/',
                username='admin', password='secret', verify_tls=True,
                system_uri='/redfish/v1/Systems/7', cpus=16,
                memory_mib=65536, local_gb=100, cpu_arch='x86_64',
                mac_addresses=['02:00:00:00:00:01'],
                options=base.RegisterOptions(**options))
    args.update(kwargs)
    return base.NodeDescription(**args)


class TestRedfishAddress(testtools.TestCase):

    def test_service_root_is_dropped(self):
        self.assertEqual('https://podm:8443',
                         mapping.redfish_address('https://podm:8443/'
                                                 'redfish/v1/'))

    def test_plain_url_is_kept(self):
        self.assertEqual('http://10.0.0.1:8080',
                         mapping.redfish_address('http://10.0.0.1:8080'))


class TestNodeName(testtools.TestCase):

    def test_valid_name_is_kept(self):
        self.assertEqual('node-1.rack_2~a',
                         mapping.node_name('node-1.rack_2~a'))

    def test_runs_of_other_characters_become_one_dash(self):
        self.assertEqual('rack-1-node-1', mapping.node_name('rack 1/node #1'))

    def test_name_of_nothing_valid_is_none(self):
        self.assertIsNone(mapping.node_name(' / '))
        self.assertIsNone(mapping.node_name(None))

    def test_uuid_like_name_is_prefixed(self):
        self.assertEqual('node-' + UUID, mapping.node_name(UUID))

    def test_long_name_is_cut_to_255(self):
        self.assertEqual(255, len(mapping.node_name('n' * 300)))


class TestRedfishNode(testtools.TestCase):

    def test_redfish_pods_register_redfish_nodes(self):
        for pod_driver in ('redfishv1', 'redfishv2'):
            fields = mapping.node_fields(describe(pod_driver))
            self.assertEqual('redfish', fields['driver'])

    def test_driver_info_reaches_the_composed_system(self):
        info = mapping.node_fields(describe())['driver_info']
        self.assertEqual({
            'redfish_address': 'https://podm.example:8443',
            'redfish_system_id': '/redfish/v1/Systems/7',
            'redfish_username': 'admin',
            'redfish_password': 'secret',
            'redfish_verify_ca': True,
        }, info)

    def test_verify_tls_false_is_sent_as_false(self):
        info = mapping.node_fields(describe(verify_tls=False))['driver_info']
        self.assertIs(False, info['redfish_verify_ca'])

    def test_pod_auth_type_becomes_redfish_auth_type(self):
        info = mapping.node_fields(
            describe(pod_auth_type='session'))['driver_info']
        self.assertEqual('session', info['redfish_auth_type'])

    def test_operator_driver_info_wins(self):
        info = mapping.node_fields(describe(options={
            'driver_info': {'redfish_verify_ca': '/etc/ca.pem',
                            'redfish_username': 'ops'}}))['driver_info']
        self.assertEqual('/etc/ca.pem', info['redfish_verify_ca'])
        self.assertEqual('ops', info['redfish_username'])
        self.assertEqual('secret', info['redfish_password'])

    def test_properties_come_from_the_composition(self):
        self.assertEqual(
            {'cpus': 16, 'memory_mb': 65536, 'local_gb': 100,
             'cpu_arch': 'x86_64'},
            mapping.node_fields(describe())['properties'])

    def test_unknown_properties_are_left_out(self):
        self.assertEqual({}, mapping.properties(describe(
            cpus=0, memory_mib=0, local_gb=0, cpu_arch=None)))

    def test_operator_properties_are_merged(self):
        props = mapping.properties(describe(options={
            'properties': {'local_gb': 50, 'capabilities': 'boot_mode:uefi'}}))
        self.assertEqual(50, props['local_gb'])
        self.assertEqual('boot_mode:uefi', props['capabilities'])
        self.assertEqual(16, props['cpus'])

    def test_extra_ties_the_node_to_valence(self):
        self.assertEqual({'valence_node_uuid': UUID},
                         mapping.node_fields(describe())['extra'])

    def test_resource_class_only_when_given(self):
        self.assertNotIn('resource_class', mapping.node_fields(describe()))
        fields = mapping.node_fields(describe(options={
            'resource_class': 'baremetal-gpu'}))
        self.assertEqual('baremetal-gpu', fields['resource_class'])

    def test_operator_name_and_driver_win(self):
        fields = mapping.node_fields(describe(options={
            'name': 'compute-7', 'driver': 'idrac'}))
        self.assertEqual('compute-7', fields['name'])
        self.assertEqual('idrac', fields['driver'])

    def test_operator_name_ironic_would_refuse_is_refused(self):
        for name in ('rack 1', 'a/b', UUID, 'x' * 256, ''):
            error = self.assertRaises(
                exception.InvalidParameterValue, mapping.node_fields,
                describe(options={'name': name}))
            self.assertIn("'name'", str(error))

    def test_operator_name_of_unreserved_characters_is_kept(self):
        fields = mapping.node_fields(describe(options={'name': '-a.b_c~1'}))
        self.assertEqual('-a.b_c~1', fields['name'])


class TestExpEtherNode(testtools.TestCase):

    def test_without_driver_info_every_ipmi_key_is_named(self):
        error = self.assertRaises(exception.MissingDriverInfo,
                                  mapping.node_fields, describe('expether'))
        self.assertEqual(400, error.code)
        self.assertIn('ipmi_address, ipmi_username, ipmi_password',
                      str(error))

    def test_only_the_missing_keys_are_named(self):
        error = self.assertRaises(
            exception.MissingDriverInfo, mapping.node_fields,
            describe('expether', options={'driver_info': {
                'ipmi_address': '10.1.1.1', 'ipmi_username': 'u',
                'ipmi_password': ''}}))
        self.assertIn('needs driver_info with ipmi_password:', str(error))

    def test_ipmi_node_with_the_operators_driver_info(self):
        info = {'ipmi_address': '10.1.1.1', 'ipmi_username': 'u',
                'ipmi_password': 'p'}
        fields = mapping.node_fields(describe('expether', options={
            'driver_info': info}))
        self.assertEqual('ipmi', fields['driver'])
        self.assertEqual(info, fields['driver_info'])

    def test_other_hardware_type_needs_no_ipmi_keys(self):
        fields = mapping.node_fields(describe('expether', options={
            'driver': 'fake-hardware'}))
        self.assertEqual({}, fields['driver_info'])


class TestUnknownPodDriver(testtools.TestCase):

    def test_without_a_driver_it_is_refused(self):
        error = self.assertRaises(exception.InvalidParameterValue,
                                  mapping.node_fields, describe('vendorx'))
        self.assertIn('vendorx', str(error))

    def test_with_a_driver_the_operators_driver_info_is_used(self):
        fields = mapping.node_fields(describe('vendorx', options={
            'driver': 'redfish', 'driver_info': {'redfish_address': 'x'}}))
        self.assertEqual({'redfish_address': 'x'}, fields['driver_info'])


class TestMacAddresses(testtools.TestCase):

    def test_lower_case_once_in_order(self):
        self.assertEqual(
            ['02:00:00:00:00:0b', '02:00:00:00:00:0a'],
            mapping.mac_addresses(describe(mac_addresses=[
                '02:00:00:00:00:0B', '02:00:00:00:00:0a',
                '02:00:00:00:00:0b', ''])))


class TestNodePatch(testtools.TestCase):

    def current(self):
        return {'driver': 'redfish', 'name': 'node-1',
                'resource_class': None,
                'driver_info': {'redfish_address': 'https://podm.example:8443',
                                'redfish_password': '******',
                                'ipmi_terminal_port': 9000},
                'properties': {'cpus': 16},
                'extra': {'valence_node_uuid': UUID, 'owner_note': 'x'}}

    def test_nothing_changed_but_the_masked_password(self):
        wanted = {'driver': 'redfish', 'name': 'node-1',
                  'driver_info': {'redfish_address':
                                  'https://podm.example:8443',
                                  'redfish_password': 'secret'},
                  'properties': {'cpus': 16},
                  'extra': {'valence_node_uuid': UUID}}
        self.assertEqual([{'op': 'add', 'path': '/driver_info/'
                           'redfish_password', 'value': 'secret'}],
                         mapping.node_patch(self.current(), wanted))

    def test_changed_fields_and_keys_are_sent(self):
        wanted = {'driver': 'idrac', 'name': 'node-2',
                  'resource_class': 'gpu',
                  'driver_info': {}, 'properties': {'cpus': 32, 'a/b~': 1},
                  'extra': {'valence_node_uuid': UUID}}
        self.assertEqual([
            {'op': 'replace', 'path': '/driver', 'value': 'idrac'},
            {'op': 'replace', 'path': '/name', 'value': 'node-2'},
            {'op': 'replace', 'path': '/resource_class', 'value': 'gpu'},
            {'op': 'add', 'path': '/properties/cpus', 'value': 32},
            {'op': 'add', 'path': '/properties/a~1b~0', 'value': 1},
        ], mapping.node_patch(self.current(), wanted))

    def test_no_name_wanted_keeps_the_current_one(self):
        self.assertEqual([], mapping.node_patch(
            self.current(), {'name': None, 'extra': {}}))
