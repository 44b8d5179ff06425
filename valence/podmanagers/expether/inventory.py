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

"""EEM device details read into the driver interface's records.

An EEM lists two kinds of devices: servers (``status`` ``eesv``), which
become System records, and I/O devices (``eeio``), which become Device
records. Both are named by their EEM path, ``devices/<id>``. A device's
group id says what it belongs to: I/O devices in group 4093 are free,
servers in group 4094 are alone, and an I/O device in any other group is
attached to the server in that group. A composed node is a server in a
group of its own, and its URI is the server's.
"""

from valence.common import exception
from valence.podmanagers import base

SERVER = 'eesv'
IO_DEVICE = 'eeio'
# An I/O device's group when it is free.
FREE_GROUP = '4093'
# A server's group when it has no I/O device: its own, private one.
SERVER_GROUP = '4094'

# PCI vendor ids of makers of pooled devices, so that users can filter on
# a name; other vendors are shown by their id.
VENDORS = {
    0x1002: 'AMD',
    0x1077: 'QLogic',
    0x10de: 'NVIDIA',
    0x10ee: 'Xilinx',
    0x1172: 'Altera',
    0x1179: 'Toshiba',
    0x1344: 'Micron',
    0x1425: 'Chelsio',
    0x144d: 'Samsung',
    0x14e4: 'Broadcom',
    0x15b3: 'Mellanox',
    0x1924: 'Solarflare',
    0x1b96: 'Western Digital',
    0x1bb1: 'Seagate',
    0x1c5c: 'SK hynix',
    0x8086: 'Intel',
}


def device_uri(device_id):
    return 'devices/' + device_id


def device_id(uri):
    """The EEM id in a device URI (``devices/<id>``), or None."""
    if not isinstance(uri, str):
        return None
    parts = uri.rstrip('/').split('/')
    # "." and ".." would name another path than a device's.
    if len(parts) < 2 or parts[-2] != 'devices' or not parts[-1].strip('.'):
        return None
    return parts[-1]


def device_type(class_code):
    """The kind of device a PCIe class code (``0x010802``) describes.

    A class code is three bytes: base class, subclass, programming
    interface.
    """
    try:
        code = int(class_code, 16) if isinstance(class_code, str) \
            else int(class_code)
    except (TypeError, ValueError):
        return base.OTHER
    base_class = code >> 16
    subclass = (code >> 8) & 0xff
    if base_class == 0x01:
        # Mass storage: 0x0108 is a non-volatile memory (NVMe) controller;
        # SATA, SAS and RAID controllers front drives that are SSDs in a
        # pooled I/O box.
        return base.NVME if subclass == 0x08 else base.SSD
    if base_class == 0x02:
        return base.NIC
    if base_class == 0x03:
        # VGA (0x0300), XGA (0x0301), 3D (0x0302, compute GPUs) or other
        # display controllers.
        return base.GPU
    if base_class == 0x12:
        # Processing accelerators: in ExpEther I/O boxes these are FPGA
        # cards.
        return base.FPGA
    return base.OTHER


def vendor_name(vendor_id):
    """A vendor's name from its PCI id (``0x10de``), else the id itself."""
    try:
        return VENDORS.get(int(vendor_id, 16), vendor_id)
    except (TypeError, ValueError):
        return vendor_id


def link_speed_mbps(board_type):
    """The Ethernet speed of an ExpEther board type (``40g``), or None."""
    if isinstance(board_type, str) and board_type.lower().endswith('g'):
        digits = board_type[:-1]
        if digits.isdigit():
            return int(digits) * 1000
    return None


class Malformed(Exception):
    """A device detail the EEM should not have sent."""


# What an I/O device's detail says that users may want to see.
_IO_PROPERTIES = ('pcie_class_code', 'pcie_vendor_id', 'pcie_device_id',
                  'serial_number', 'mac_address')


def _text(detail, key, required=False):
    value = detail.get(key)
    if value is None:
        if required:
            raise Malformed("it has no '%s'" % key)
        return None
    if not isinstance(value, str):
        raise Malformed("its '%s' is not a string: %r" % (key, value))
    return value


def _group(detail):
    group = detail.get('group_id')
    # Group ids are decimal strings; a number is taken as one.
    if isinstance(group, int) and not isinstance(group, bool):
        return str(group)
    if not isinstance(group, str) or not group.isdigit():
        raise Malformed('its group_id is not a group id: %r' % (group,))
    return group


def _is_down(detail):
    """True when the device's ExpEther link reports it down."""
    status = detail.get('notification_status0')
    if status is None:
        return False
    if not isinstance(status, list):
        raise Malformed('its notification_status0 is not a list: %r'
                        % (status,))
    return bool(status) and status[0] == 'down'


def _power_state(detail):
    power = _text(detail, 'power_status')
    return {'on': base.POWER_ON, 'off': base.POWER_OFF}.get(power)


def _check_kind(detail, kind):
    dev_id = _text(detail, 'id', required=True)
    if not dev_id or '/' in dev_id:
        raise Malformed('its id %r is not a device id' % dev_id)
    status = _text(detail, 'status', required=True)
    if status != kind:
        raise Malformed('it is an %s, not an %s' % (status, kind))
    return dev_id


def server_group(detail):
    """The group of a server's detail (checked)."""
    return _read('server', detail, _group)


def max_io_devices(detail):
    """How many I/O devices the server's group may hold, or None."""
    value = detail.get('max_eeio_count')
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def parse_server(detail):
    """A System record from an EESV's detail."""
    return _read('server', detail, _server)


def parse_io_device(detail, owners):
    """A Device record from an EEIO's detail.

    :param owners: ``{group id: server URI}`` of the servers in a group of
        their own.
    """
    return _read('I/O device', detail, _io_device, owners)


def parse_servers(details):
    """System records of a server listing, and the group owners.

    :returns: ``(systems, {group id: server URI})``.
    """
    systems = []
    owners = {}
    for detail in details:
        system = _read('server', detail, _server)
        systems.append(system)
        if system.node_uri is not None:
            # Already checked to be a decimal string or a number.
            owners.setdefault(str(detail['group_id']), system.uri)
    return systems, owners


def parse_io_devices(details, owners):
    """Device records of an I/O device listing."""
    return [_read('I/O device', detail, _io_device, owners)
            for detail in details]


def _read(what, detail, parse, *args):
    """``parse(detail, *args)``, with a bad detail named in the error."""
    try:
        if not isinstance(detail, dict):
            raise Malformed('it is not an object')
        return parse(detail, *args)
    except Malformed as e:
        name = detail.get('id') if isinstance(detail, dict) else None
        raise exception.PodManagerError(
            reason='the EEM sent a malformed %s%s: %s'
            % (what, ' %r' % name if name else '', e))


def _server(detail):
    dev_id = _check_kind(detail, SERVER)
    uri = device_uri(dev_id)
    group = _group(detail)
    composed = group != SERVER_GROUP
    mac = _text(detail, 'mac_address')
    if _is_down(detail):
        state = base.UNAVAILABLE
    elif composed:
        state = base.ALLOCATED
    else:
        state = base.FREE
    return base.System(
        uri=uri, name=dev_id, state=state,
        node_uri=uri if composed else None,
        model=_text(detail, 'host_model'),
        mac_addresses=[mac] if mac else [],
        power_state=_power_state(detail))


def _io_device(detail, owners):
    dev_id = _check_kind(detail, IO_DEVICE)
    group = _group(detail)
    if _is_down(detail):
        state = base.UNAVAILABLE
    elif group == FREE_GROUP:
        state = base.FREE
    else:
        state = base.ALLOCATED
    properties = {key: detail[key] for key in _IO_PROPERTIES
                  if detail.get(key) is not None}
    for key, value in properties.items():
        if not isinstance(value, str):
            raise Malformed("its '%s' is not a string: %r" % (key, value))
    properties['group_id'] = group
    class_code = properties.get('pcie_class_code')
    vendor_id = properties.get('pcie_vendor_id')
    return base.Device(
        uri=device_uri(dev_id), name=dev_id,
        type=device_type(class_code) if class_code else base.OTHER,
        state=state,
        node_uri=None if group == FREE_GROUP else owners.get(group),
        vendor=vendor_name(vendor_id) if vendor_id else None,
        model=_text(detail, 'model'),
        properties=properties)


def pod_node(detail, device_uris):
    """The PodNode of a composed server, from its detail.

    The node is the server itself: there is no boot override or reset on
    an EEM, and the server's own CPUs and memory are not reported.
    """
    system = parse_server(detail)
    speed = link_speed_mbps(detail.get('type'))
    return base.PodNode(
        uri=system.uri, name=system.name, state='assembled',
        power_state=system.power_state, system_uri=system.uri,
        nics=[{'mac_address': mac, 'speed_mbps': speed}
              for mac in system.mac_addresses],
        device_uris=list(device_uris))
