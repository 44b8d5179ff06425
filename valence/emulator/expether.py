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

"""The NEC ExpEther manager (EEM) REST API under ``/eem``.

ExpEther extends PCIe over Ethernet: a server's ExpEther board (EESV) and
I/O boxes (EEIO) holding one PCIe device each sit on the same Ethernet, and
whatever shares a group id forms one PCIe tree. Attaching a device to a
server is giving it the server's group id; group 4093 holds the free I/O
devices and 4094 is a server's default (private) group. A group holds at
most ``max_eeio_count`` I/O devices (16).

Decisions where the public descriptions are silent (also in the docs):
group ids are decimal strings; a PUT of ``{"group_id": null}`` gives the
lowest unused id from 1 to 4092; an I/O device already in another server's
group must be released (DELETE) before it joins a new one (409), so no
device ever serves two servers; errors carry ``code`` as the HTTP status
followed by two digits ("40400").
"""

from valence.emulator import personality
from valence.emulator import routing

FREE_GROUP = '4093'
SERVER_GROUP = '4094'
MAX_GROUP = 4092
MAX_EEIO = 16
PREFIX = '/eem'

#: (share, kind, pcie_class_code, vendor id, device id, model)
_IO_KINDS = (
    (35, 'nvme', '0x010802', '0x8086', '0x0a54', 'Intel SSD DC P4510 2TB'),
    (25, 'gpu', '0x030200', '0x10de', '0x1db4', 'NVIDIA Tesla V100'),
    (5, 'gpu', '0x030000', '0x1002', '0x6860', 'AMD Radeon Instinct MI25'),
    (25, 'nic', '0x020000', '0x15b3', '0x1017', 'Mellanox ConnectX-5'),
    (10, 'fpga', '0x120000', '0x8086', '0x09c4', 'Intel PAC Arria 10 GX'),
)
_BASE_TIME = 1500000000000


def _io_kind_table():
    table = []
    for share, *kind in _IO_KINDS:
        table.extend([tuple(kind)] * share)
    return table


class ExpEtherPersonality(personality.Personality):
    """An EEM with EESV servers and EEIO devices."""

    name = 'expether'
    default_systems = 4
    default_devices = 12

    # -- inventory ----------------------------------------------------------

    def build(self, rng, systems, devices):
        seed_part = rng.randrange(0x100) << 24
        kinds = _io_kind_table()
        self.devices = {}
        # Dicts used as ordered sets: listing keeps the generated order and
        # a vanishing device leaves in O(1).
        self.servers = {}
        self.io_devices = {}
        self.groups = {}
        self.vanished = set()
        for n in range(systems):
            dev_id = '0x%012x' % (0x8cdf9d000000 + seed_part + n)
            self.devices[dev_id] = {
                'id': dev_id, 'status': 'eesv', 'group_id': SERVER_GROUP,
                'serial': 'EESV%06d' % n,
                'host_serial': 'HOST%06d' % rng.randrange(10 ** 6),
                'host_model': rng.choice(('Express5800/R120h-1M',
                                          'Express5800/R120h-2M')),
                'time': _BASE_TIME + n,
            }
            self.servers[dev_id] = None
        for n in range(devices):
            dev_id = '0x%012x' % (0x8cdf9e000000 + seed_part + n)
            kind, code, vendor, device, model = rng.choice(kinds)
            self.devices[dev_id] = {
                'id': dev_id, 'status': 'eeio', 'group_id': FREE_GROUP,
                'kind': kind, 'class': code, 'vendor': vendor,
                'device': device, 'model': model, 'serial': 'EEIO%06d' % n,
                'time': _BASE_TIME + n,
            }
            self.io_devices[dev_id] = None
        for dev_id, record in self.devices.items():
            self.groups.setdefault(record['group_id'], set()).add(dev_id)

    def dump_state(self):
        default = {'eesv': SERVER_GROUP, 'eeio': FREE_GROUP}
        return {
            'groups': {i: r['group_id'] for i, r in self.devices.items()
                       if r['group_id'] != default[r['status']]},
            'vanished': sorted(self.vanished),
        }

    def load_state(self, state):
        for dev_id, group in state.get('groups', {}).items():
            if dev_id in self.devices:
                self._set_group(dev_id, group)
        for dev_id in state.get('vanished', []):
            self.vanish(PREFIX + '/devices/' + dev_id)

    def allocations(self):
        result = {}
        for group, members in self.groups.items():
            if group in (FREE_GROUP, SERVER_GROUP):
                continue
            owners = [m for m in members
                      if self.devices[m]['status'] == 'eesv']
            owner = (PREFIX + '/devices/' + owners[0]) if owners else \
                'group:' + group
            for member in members:
                if self.devices[member]['status'] == 'eeio':
                    result[PREFIX + '/devices/' + member] = owner
        return result

    def vanish(self, uri):
        prefix = PREFIX + '/devices/'
        record = None
        if uri.startswith(prefix):
            record = self.devices.pop(uri[len(prefix):], None)
        if record is None:
            return False
        self.groups[record['group_id']].discard(record['id'])
        listing = self.servers if record['status'] == 'eesv' else \
            self.io_devices
        del listing[record['id']]
        self.vanished.add(record['id'])
        return True

    # -- HTTP ---------------------------------------------------------------

    def error_body(self, error):
        return {'message': error.message, 'code': '%d00' % error.status}

    def add_routes(self, router):
        router.add('GET', PREFIX + '/api_version', self.get_api_version)
        router.add('GET', PREFIX + '/devices', self.list_devices)
        router.add('GET', PREFIX + '/devices/detail', self.list_details)
        router.add('GET', PREFIX + '/devices/{dev}', self.get_device)
        router.add('PUT', PREFIX + '/devices/{dev}/group_id', self.put_group)
        router.add('DELETE', PREFIX + '/devices/{dev}/group_id',
                   self.delete_group)

    def get_api_version(self, req):
        return {'api_version': '1.0', 'timestamp': self._timestamp()}

    def list_devices(self, req):
        return {'devices': [{'id': i} for i in self._select(req)],
                'timestamp': self._timestamp()}

    def list_details(self, req):
        return {'devices': [self._detail(i) for i in self._select(req)],
                'timestamp': self._timestamp()}

    def get_device(self, req, dev):
        return {'device': self._detail(self._known(dev)),
                'timestamp': self._timestamp()}

    def put_group(self, req, dev):
        body = req.json_object()
        if 'group_id' not in body:
            raise routing.HTTPError(400, 'group_id is required')
        wanted = body['group_id']
        record = self.devices.get(dev)
        if (record is not None and record['status'] == 'eeio'
                and self.pod.faults.vanish_now()):
            self.vanish(PREFIX + '/devices/' + dev)
        record = self.devices[self._known(dev)]
        if wanted is None:
            group = self._unused_group()
        else:
            group = self._valid_group(wanted)
        if record['status'] == 'eeio':
            self._check_join(record, group)
        self._set_group(dev, group)
        return {'group_id': group}

    def delete_group(self, req, dev):
        record = self.devices[self._known(dev)]
        if record['status'] == 'eeio':
            self._fail_point('detach')
            group = FREE_GROUP
        else:
            group = SERVER_GROUP
        self._set_group(dev, group)
        return {'group_id': group}

    # -- helpers ------------------------------------------------------------

    def _select(self, req):
        status = req.query.get('status')
        group = req.query.get('group_id')
        if status not in (None, 'eesv', 'eeio'):
            raise routing.HTTPError(400, 'status must be eesv or eeio')
        if group is not None:
            group = self._valid_group(group, reserved_ok=True)
            ids = sorted(self.groups.get(group, ()))
        elif status == 'eesv':
            return list(self.servers)
        elif status == 'eeio':
            return list(self.io_devices)
        else:
            ids = list(self.servers) + list(self.io_devices)
        if status is not None:
            ids = [i for i in ids if self.devices[i]['status'] == status]
        return ids

    def _known(self, dev):
        if dev not in self.devices:
            raise routing.HTTPError(404, 'device %s is not found' % dev)
        return dev

    def _valid_group(self, value, reserved_ok=False):
        text = str(value)
        if isinstance(value, bool) or not text.isdigit():
            raise routing.HTTPError(400, 'group_id %r is not a number'
                                    % (value,))
        number = int(text)
        top = 4094 if reserved_ok else MAX_GROUP
        if not 1 <= number <= top:
            raise routing.HTTPError(400, 'group_id %s is out of range 1-%d'
                                    % (text, top))
        return str(number)

    def _unused_group(self):
        for number in range(1, MAX_GROUP + 1):
            if not self.groups.get(str(number)):
                return str(number)
        raise routing.HTTPError(409, 'no unused group id is left')

    def _check_join(self, record, group):
        if record['group_id'] not in (FREE_GROUP, group):
            raise routing.HTTPError(
                409, 'device %s is in group %s; release it (DELETE its '
                'group_id) first' % (record['id'], record['group_id']))
        self._fail_point('attach')
        members = self.groups.get(group, ())
        io_count = sum(1 for m in members
                       if self.devices[m]['status'] == 'eeio')
        if record['group_id'] != group and io_count >= MAX_EEIO:
            raise routing.HTTPError(
                409, 'group %s already holds the maximum of %d I/O devices'
                % (group, MAX_EEIO))

    def _fail_point(self, point):
        if self.pod.faults.take_failure(point):
            raise routing.HTTPError(500, 'the EEM failed to %s the device'
                                    % point)

    def _set_group(self, dev_id, group):
        record = self.devices[dev_id]
        self.groups[record['group_id']].discard(dev_id)
        record['group_id'] = group
        record['time'] += 1000
        self.groups.setdefault(group, set()).add(dev_id)

    def _timestamp(self):
        return str(_BASE_TIME)

    def _detail(self, dev_id):
        r = self.devices[dev_id]
        mac = ':'.join(r['id'][2 + i:4 + i] for i in range(0, 12, 2))
        detail = {
            'id': r['id'], 'status': r['status'], 'type': '40g',
            'group_id': r['group_id'], 'mac_address': mac,
            'serial_number': r['serial'], 'uid_switch_status': 'off',
            'power_status': 'on', 'update_time': str(r['time']),
            'notification_status0': ['up', 'up'],
            'notification_status1': ['down', 'down'],
            'link_status0': 'up', 'link_status1': 'down',
            'ee_version': 'v1.0', 'pcie_link_width': 'x8',
        }
        if r['status'] == 'eesv':
            detail.update({
                'model': 'ExpEther 40G Board (EESV)',
                'max_eeio_count': str(MAX_EEIO),
                'host_serial_number': r['host_serial'],
                'host_model': r['host_model'],
                'eesv_type': 'na',
            })
        else:
            joined = r['group_id'] != FREE_GROUP
            detail.update({
                'model': r['model'],
                'pcie_class_code': r['class'],
                'pcie_vendor_id': r['vendor'],
                'pcie_device_id': r['device'],
                'eesv_connection_status': 'up' if joined else 'down',
                'path_status0': 'up' if joined else 'down',
                'path_status1': 'down',
            })
        return detail
