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

"""Reading EEM device details into inventory records."""

import testtools

from valence.common import exception
from valence.podmanagers import base
from valence.podmanagers.expether import inventory


def server(dev_id='0x8c0000000001', group='4094', **extra):
    detail = {'id': dev_id, 'status': 'eesv', 'type': '40g',
              'group_id': group, 'mac_address': '8c:00:00:00:00:01',
              'power_status': 'on', 'host_model': 'Express5800/R120h-1M',
              'max_eeio_count': '16',
              'notification_status0': ['up', 'up']}
    detail.update(extra)
    return detail


def io_device(dev_id='0x8c0000000101', group='4093', code='0x010802',
              **extra):
    detail = {'id': dev_id, 'status': 'eeio', 'type': '40g',
              'group_id': group, 'pcie_class_code': code,
              'pcie_vendor_id': '0x8086', 'pcie_device_id': '0x0a54',
              'model': 'Intel SSD DC P4510 2TB', 'serial_number': 'S1',
              'mac_address': '8c:00:00:00:01:01',
              'notification_status0': ['up', 'up']}
    detail.update(extra)
    return detail


class TestDeviceType(testtools.TestCase):

    def test_nvme_controller_is_nvme(self):
        self.assertEqual(base.NVME, inventory.device_type('0x010802'))

    def test_other_nvm_controller_interfaces_are_nvme(self):
        self.assertEqual(base.NVME, inventory.device_type('0x010803'))

    def test_sata_controller_is_ssd(self):
        self.assertEqual(base.SSD, inventory.device_type('0x010601'))

    def test_ethernet_controller_is_nic(self):
        self.assertEqual(base.NIC, inventory.device_type('0x020000'))

    def test_vga_controller_is_gpu(self):
        self.assertEqual(base.GPU, inventory.device_type('0x030000'))

    def test_3d_controller_is_gpu(self):
        self.assertEqual(base.GPU, inventory.device_type('0x030200'))

    def test_processing_accelerator_is_fpga(self):
        self.assertEqual(base.FPGA, inventory.device_type('0x120000'))

    def test_usb_controller_is_other(self):
        self.assertEqual(base.OTHER, inventory.device_type('0x0c0330'))

    def test_code_without_prefix_is_read_as_hex(self):
        self.assertEqual(base.NVME, inventory.device_type('010802'))

    def test_integer_code_is_decoded(self):
        self.assertEqual(base.NVME, inventory.device_type(0x010802))

    def test_garbage_code_is_other(self):
        self.assertEqual(base.OTHER, inventory.device_type('nvme'))


class TestSmallHelpers(testtools.TestCase):

    def test_known_vendor_id_gives_its_name(self):
        self.assertEqual('NVIDIA', inventory.vendor_name('0x10de'))

    def test_unknown_vendor_id_is_kept(self):
        self.assertEqual('0xabcd', inventory.vendor_name('0xabcd'))

    def test_board_type_gives_link_speed(self):
        self.assertEqual(40000, inventory.link_speed_mbps('40g'))

    def test_unknown_board_type_has_no_speed(self):
        self.assertIsNone(inventory.link_speed_mbps('fast'))

    def test_device_id_is_read_from_its_uri(self):
        self.assertEqual('0x1', inventory.device_id('devices/0x1'))

    def test_device_id_is_read_from_an_eem_path(self):
        self.assertEqual('0x1', inventory.device_id('/eem/devices/0x1'))

    def test_uri_of_something_else_has_no_device_id(self):
        self.assertIsNone(inventory.device_id('groups/0x1'))

    def test_dot_segments_are_no_device_id(self):
        self.assertIsNone(inventory.device_id('devices/..'))

    def test_max_io_devices_is_read_from_a_string(self):
        self.assertEqual(16, inventory.max_io_devices(server()))

    def test_max_io_devices_is_unknown_when_missing(self):
        detail = server()
        del detail['max_eeio_count']
        self.assertIsNone(inventory.max_io_devices(detail))


class TestServers(testtools.TestCase):

    def test_server_in_default_group_is_free(self):
        system = inventory.parse_server(server())
        self.assertEqual((base.FREE, None), (system.state, system.node_uri))

    def test_server_in_own_group_is_its_own_node(self):
        system = inventory.parse_server(server(group='7'))
        self.assertEqual((base.ALLOCATED, 'devices/0x8c0000000001'),
                         (system.state, system.node_uri))

    def test_server_fields_come_from_the_detail(self):
        system = inventory.parse_server(server())
        self.assertEqual(
            ('devices/0x8c0000000001', 'Express5800/R120h-1M',
             ['8c:00:00:00:00:01'], base.POWER_ON),
            (system.uri, system.model, system.mac_addresses,
             system.power_state))

    def test_server_with_link_down_is_unavailable(self):
        system = inventory.parse_server(
            server(notification_status0=['down', 'down']))
        self.assertEqual(base.UNAVAILABLE, system.state)

    def test_owners_map_groups_to_their_server(self):
        _systems, owners = inventory.parse_servers(
            [server(group='7'), server('0x8c0000000002')])
        self.assertEqual({'7': 'devices/0x8c0000000001'}, owners)

    def test_numeric_group_id_is_accepted(self):
        system = inventory.parse_server(server(group=7))
        self.assertEqual(base.ALLOCATED, system.state)


class TestIODevices(testtools.TestCase):

    def test_device_in_free_group_is_free(self):
        device = inventory.parse_io_device(io_device(), {})
        self.assertEqual((base.FREE, None), (device.state, device.node_uri))

    def test_device_in_a_server_group_is_allocated_to_that_server(self):
        device = inventory.parse_io_device(io_device(group='7'),
                                           {'7': 'devices/0x1'})
        self.assertEqual((base.ALLOCATED, 'devices/0x1'),
                         (device.state, device.node_uri))

    def test_device_in_a_group_without_server_is_allocated_to_none(self):
        device = inventory.parse_io_device(io_device(group='7'), {})
        self.assertEqual((base.ALLOCATED, None),
                         (device.state, device.node_uri))

    def test_device_with_link_down_is_unavailable(self):
        device = inventory.parse_io_device(
            io_device(notification_status0=['down', 'up']), {})
        self.assertEqual(base.UNAVAILABLE, device.state)

    def test_attached_device_with_link_down_keeps_its_node(self):
        device = inventory.parse_io_device(
            io_device(group='7', notification_status0=['down']),
            {'7': 'devices/0x1'})
        self.assertEqual('devices/0x1', device.node_uri)

    def test_device_fields_come_from_the_detail(self):
        device = inventory.parse_io_device(io_device(), {})
        self.assertEqual(
            ('devices/0x8c0000000101', base.NVME, 'Intel',
             'Intel SSD DC P4510 2TB'),
            (device.uri, device.type, device.vendor, device.model))

    def test_device_properties_keep_pcie_ids_and_group(self):
        device = inventory.parse_io_device(io_device(), {})
        self.assertEqual(
            {'pcie_class_code': '0x010802', 'pcie_vendor_id': '0x8086',
             'pcie_device_id': '0x0a54', 'serial_number': 'S1',
             'mac_address': '8c:00:00:00:01:01', 'group_id': '4093'},
            device.properties)

    def test_device_without_class_code_is_other(self):
        detail = io_device(type='10g')
        del detail['pcie_class_code']
        self.assertEqual(base.OTHER,
                         inventory.parse_io_device(detail, {}).type)


class TestMalformedDetails(testtools.TestCase):

    def assertMalformed(self, text, function, *args):
        error = self.assertRaises(exception.PodManagerError, function, *args)
        self.assertIn(text, str(error))

    def test_missing_id_is_named(self):
        detail = io_device()
        del detail['id']
        self.assertMalformed("has no 'id'", inventory.parse_io_devices,
                             [detail], {})

    def test_wrong_kind_in_a_listing_is_named(self):
        self.assertMalformed("'0x8c0000000001': it is an eesv, not an eeio",
                             inventory.parse_io_devices, [server()], {})

    def test_bad_group_id_is_named(self):
        self.assertMalformed('group_id is not a group id: None',
                             inventory.parse_servers,
                             [server(group=None)])

    def test_non_string_property_is_named(self):
        self.assertMalformed("'pcie_class_code' is not a string: 66050",
                             inventory.parse_io_device,
                             io_device(code=66050), {})

    def test_non_object_entry_is_named(self):
        self.assertMalformed('it is not an object',
                             inventory.parse_servers, ['0x1'])

    def test_non_list_notification_status_is_named(self):
        self.assertMalformed('notification_status0 is not a list',
                             inventory.parse_io_device,
                             io_device(notification_status0='down'), {})


class TestPodNode(testtools.TestCase):

    def test_node_is_the_server_with_its_devices(self):
        node = inventory.pod_node(server(group='7'), ['devices/0x2'])
        self.assertEqual(
            ('devices/0x8c0000000001', 'assembled', 'devices/0x8c0000000001',
             ['devices/0x2'], [], {}),
            (node.uri, node.state, node.system_uri, node.device_uris,
             node.reset_types, node.boot))

    def test_node_nics_are_the_board_mac_at_link_speed(self):
        node = inventory.pod_node(server(group='7'), [])
        self.assertEqual([{'mac_address': '8c:00:00:00:00:01',
                           'speed_mbps': 40000}], node.nics)
