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

"""The ``openstack valence`` commands, run as a user runs them.

The real ``openstack`` command runs as a subprocess against the
all-in-one ``valence`` on SQLite and emulator pods: without
authentication (``--os-auth-type none --valence-api-url``), through
Keystone (``--os-cloud`` and a clouds.yaml) and with HTTP basic
authentication.
"""

import json
import os
import subprocess
import time

import bcrypt
import fixtures
import requests
import testtools
import yaml

from valence.tests.fixtures import emulator
from valence.tests.fixtures import ironic as ironic_fixture
from valence.tests.fixtures import keystone
from valence.tests.functional import base
from valence.tests.functional import test_auth

PASSWORD = 'cli-tests-pod-password'
POD_URLS = {'rsd': '', 'dmtf': '', 'expether': '/eem'}
DRIVERS = {'rsd': 'redfishv1', 'dmtf': 'redfishv2', 'expether': 'expether'}
GPU_FLAVOR = ('--processor', 'total_cores=8', '--memory',
              'capacity_mib=16384', '--properties',
              '{"devices": [{"type": "GPU", "count": 1}]}')


def environment(**values):
    """The caller's environment without its OpenStack settings (OS_*,
    VALENCE_API_URL), which would change what the commands do."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('OS_') and k != 'VALENCE_API_URL'}
    env.update(values)
    return env


class CLIMixin:
    """Runs ``openstack`` with the options of ``self.auth_args``."""

    auth_args = ()
    env = None

    def openstack(self, *args, status=0):
        """The finished command; ``status`` is the exit code expected."""
        command = [base.bin_path('openstack')] + list(self.auth_args) + [
            'valence'] + list(args)
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=600, env=self.env or environment(),
                                stdin=subprocess.DEVNULL)
        self.assertEqual(status, result.returncode, '%s\nstdout: %s\n'
                         'stderr: %s' % (' '.join(args), result.stdout,
                                         result.stderr))
        self.assertNotIn('Traceback', result.stderr)
        return result

    def json(self, *args):
        return json.loads(self.openstack(*(args + ('-f', 'json'))).stdout)

    def value(self, *args):
        """The lines of ``-f value``."""
        return self.openstack(*(args + ('-f', 'value'))).stdout.splitlines()


class StandaloneTestCase(CLIMixin, testtools.TestCase):
    """Valence without authentication and emulator pods of each kind."""

    OPTIONS = {}

    def options(self):
        return self.OPTIONS

    def setUp(self):
        super().setUp()
        self.pods = self.useFixture(emulator.EmulatorFixture(
            pods=list(POD_URLS), seed=11, systems=4, devices=12,
            password=PASSWORD))
        tempdir = self.useFixture(fixtures.TempDir()).path
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            options=self.options()))
        self.auth_args = ('--os-auth-type', 'none', '--valence-api-url',
                          self.services.url)

    def register(self, personality):
        index = list(POD_URLS).index(personality)
        return self.json(
            'podmanager', 'create', personality,
            self.pods.urls[index] + POD_URLS[personality],
            '--driver', DRIVERS[personality], '--username', 'admin',
            '--password', PASSWORD)

    def wait_for_inventory(self, timeout=60):
        """Until every pod manager's inventory has been read."""
        deadline = time.monotonic() + timeout
        while True:
            podms = self.json('podmanager', 'list', '--long')
            if all(p['last_sync_at'] for p in podms):
                return podms
            if time.monotonic() > deadline:
                self.fail('inventory not read: %s' % podms)
            time.sleep(0.5)


class TestStory(StandaloneTestCase):

    def test_register_sync_compose_power_boot_attach_and_delete(self):
        # Register the pods: their passwords are never shown.
        created = self.openstack(
            'podmanager', 'create', 'rsd', self.pods.urls[0], '--driver',
            'redfishv1', '--username', 'admin', '--password', PASSWORD,
            '--description', 'the RSD pod', '-f', 'json')
        self.assertNotIn(PASSWORD, created.stdout + created.stderr)
        podm = json.loads(created.stdout)
        self.assertEqual(('rsd', 'online', 'admin', 'the RSD pod'),
                         (podm['name'], podm['status'], podm['username'],
                          podm['description']))
        self.assertNotIn('authentication', podm)
        for personality in ('dmtf', 'expether'):
            self.assertEqual('online', self.register(personality)['status'])

        # Read the pods again and look at what they hold.
        synced = self.json('device', 'sync')
        self.assertEqual(['rsd', 'dmtf', 'expether'],
                         [p['name'] for p in synced])
        self.wait_for_inventory()
        devices = self.json('device', 'list', '--podm', 'rsd')
        self.assertTrue(devices)
        self.assertEqual({podm['uuid']}, {d['podm_id'] for d in devices})
        self.assertEqual({'uuid', 'name', 'type', 'state', 'node_id',
                          'podm_id'}, set(devices[0]))
        device = self.json('device', 'show', devices[0]['uuid'])
        self.assertEqual(devices[0]['uuid'], device['uuid'])
        self.assertIn('properties', device)
        systems = self.json('system', 'list', '--podm', 'dmtf')
        self.assertTrue(systems)
        self.assertEqual({'free'}, {s['state'] for s in systems})
        self.assertTrue(self.json('rack', 'list', '--podm', 'rsd'))
        self.assertTrue(self.json('storage', 'list', '--podm', 'rsd'))

        # A flavor, and a node composed of it, waiting for the end.
        flavor = self.json('flavor', 'create', 'gpu-node', *GPU_FLAVOR)
        self.assertEqual({'processor': {'total_cores': 8},
                          'memory': {'capacity_mib': 16384},
                          'devices': [{'type': 'GPU', 'count': 1}]},
                         flavor['properties'])
        composed = self.openstack('node', 'compose', 'web-1', '--flavor',
                                  'gpu-node', '--podm', 'rsd', '--wait',
                                  '-f', 'json')
        node = json.loads(composed.stdout)
        self.assertEqual('available', node['state'], node['last_error'])
        self.assertEqual(flavor['uuid'], node['flavor_id'])
        self.assertIn('node web-1: available', composed.stderr)

        # Power and boot override, as the pod sees them.
        self.openstack('node', 'power', 'web-1', 'on')
        self.assertEqual(['on'], self.value('node', 'show', 'web-1', '-c',
                                            'power_state'))
        self.openstack('node', 'boot', 'web-1', 'pxe')
        node = self.json('node', 'show', 'web-1', '--refresh')
        self.assertEqual(('Once', 'Pxe'), (node['composed']['boot']['enabled'],
                                           node['composed']['boot']['target']))

        # A drive, attached and detached while the node lives.
        drive = self.value('device', 'list', '--podm', 'rsd', '--type',
                           'NVMe', '--state', 'free', '--limit', '1', '-c',
                           'uuid')[0]
        attached = self.openstack('node', 'attach', 'web-1', drive,
                                  '--wait', '-f', 'json')
        self.assertEqual('available', json.loads(attached.stdout)['state'])
        self.assertIn('device %s: allocated' % drive, attached.stderr)
        self.assertIn(drive, self.value('node', 'device', 'list', 'web-1',
                                        '-c', 'uuid'))
        self.openstack('node', 'detach', 'web-1', drive, '--wait')
        self.assertEqual(['free'], self.value('device', 'show', drive, '-c',
                                              'state'))
        self.assertEqual(
            [('compose', 'success'), ('attach', 'success'),
             ('detach', 'success')],
            [(a['action'], a['result'])
             for a in self.json('node', 'action', 'list', 'web-1')
             if a['step'] in (None, drive)])

        # Decompose, waiting until the node has gone.
        deleted = self.openstack('node', 'delete', 'web-1', '--wait')
        self.assertIn('node web-1: deleted', deleted.stderr)
        self.assertEqual([], self.json('node', 'list'))
        self.assertEqual({}, self.pods.allocations(pod=0))


class TestOutputAndErrors(StandaloneTestCase):
    """Output options and failures, against the RSD pod."""

    # Pages smaller than the lists: the client follows the next links.
    OPTIONS = {'api': {'max_limit': 5}}

    def setUp(self):
        super().setUp()
        self.register('rsd')
        self.wait_for_inventory()

    def test_columns_and_formats(self):
        self.assertEqual(['rsd online'], self.value(
            'podmanager', 'list', '-c', 'name', '-c', 'status'))
        csv = self.openstack('podmanager', 'list', '-f', 'csv', '-c', 'name',
                             '-c', 'driver').stdout.splitlines()
        self.assertEqual(['"name","driver"', '"rsd","redfishv1"'], csv)
        shown = yaml.safe_load(self.openstack(
            'podmanager', 'show', 'rsd', '-f', 'yaml').stdout)
        self.assertEqual('admin', shown['username'])
        self.assertNotIn('links', shown)

    def test_conductors_and_the_pods_they_serve(self):
        conductors = self.json('conductor', 'list', '--alive')
        self.assertEqual([('aio', True, 1)],
                         [(c['hostname'], c['alive'], c['pod_manager_count'])
                          for c in conductors])
        shown = self.json('conductor', 'show', 'aio')
        self.assertEqual(['rsd'], [p['name'] for p in shown['pod_managers']])
        self.assertEqual([], self.json('conductor', 'list', '--dead'))

    def test_long_lists_show_every_field(self):
        summary = self.json('system', 'list')
        long = self.json('system', 'list', '--long')
        self.assertEqual(len(summary), len(long))
        self.assertLess(set(summary[0]), set(long[0]))
        self.assertIn('mac_addresses', long[0])

    def test_limit_marker_and_every_page(self):
        every = self.value('device', 'list', '-c', 'uuid')
        # More than one page of the API's: every page was read.
        self.assertGreater(len(every), 5)
        self.assertEqual(len(every), len(set(every)))
        self.assertEqual(every[:7], self.value('device', 'list', '--limit',
                                               '7', '-c', 'uuid'))
        self.assertEqual(every[3:6], self.value(
            'device', 'list', '--marker', every[2], '--limit', '3', '-c',
            'uuid'))
        by_name = self.value('device', 'list', '--sort', 'name:desc', '-c',
                             'name')
        self.assertEqual(sorted(by_name, reverse=True), by_name)

    def test_a_bad_request_prints_the_apis_message(self):
        result = self.openstack(
            'flavor', 'create', 'bad', '--properties',
            '{"memory": {"capacity_mib": -1}}', status=1)
        self.assertRegex(result.stderr,
                         r"Invalid input for field 'properties\.memory\."
                         r"capacity_mib': .*\(HTTP 400, request req-[0-9a-f-]+"
                         r"\)")
        result = self.openstack('node', 'show', 'nothing', status=1)
        self.assertIn('Node nothing could not be found. (HTTP 404',
                      result.stderr)
        result = self.openstack('node', 'compose', 'x', '--properties',
                                'not json', status=2)
        self.assertIn('not valid JSON', result.stderr)

    def test_an_unreachable_api_is_said_so(self):
        self.auth_args = ('--os-auth-type', 'none', '--valence-api-url',
                          'http://127.0.0.1:%d' % base.free_port())
        result = self.openstack('node', 'list', status=1)
        self.assertIn('Unable to establish connection', result.stderr)

    def test_a_failed_compose_ends_the_wait_with_the_nodes_error(self):
        self.pods.fail('assemble', times=1, pod=0)
        result = self.openstack('node', 'compose', 'doomed', '--processor',
                                'total_cores=4', '--wait', status=1)
        self.assertIn('node doomed: compose failed', result.stderr)
        self.assertRegex(result.stderr,
                         r'Compose of node [0-9a-f-]+ failed: .*Assembl')
        self.assertEqual(['compose failed'], self.value(
            'node', 'show', 'doomed', '-c', 'state'))
        # A failed node is deleted like any other.
        self.openstack('node', 'delete', 'doomed', '--wait')


class TestIronic(StandaloneTestCase):
    """Register and unregister in a real Ironic (noauth, all-in-one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ironic = ironic_fixture.class_fixture()

    @classmethod
    def tearDownClass(cls):
        cls.ironic.cleanUp()
        super().tearDownClass()

    def options(self):
        return {'ironic': self.ironic.valence_options()}

    def test_register_provide_and_unregister(self):
        client = self.ironic.client()
        self.addCleanup(ironic_fixture.delete_nodes, client)
        self.register('rsd')
        self.wait_for_inventory()
        self.openstack('node', 'compose', 'web-1', '--processor',
                       'total_cores=4', '--wait')
        registered = self.openstack('node', 'register', 'web-1', '--name',
                                    'valence-web-1', '--provide', '--wait',
                                    '-f', 'json')
        node = json.loads(registered.stdout)
        self.assertIn('node web-1: registering', registered.stderr)
        self.assertTrue(node['ironic_node_uuid'])
        ironic_node = client.node.get(node['ironic_node_uuid'])
        self.assertEqual(('valence-web-1', 'available'),
                         (ironic_node.name, ironic_node.provision_state))

        unregistered = self.openstack('node', 'unregister', 'web-1',
                                      '--wait', '-f', 'json')
        self.assertIsNone(json.loads(unregistered.stdout)[
            'ironic_node_uuid'])
        self.assertEqual([], client.node.list())

    def test_a_refused_registration_says_why(self):
        self.register('expether')
        self.wait_for_inventory()
        self.openstack('node', 'compose', 'eesv-1', '--wait')
        # ExpEther servers need the operator's IPMI details.
        result = self.openstack('node', 'register', 'eesv-1', '--wait',
                                status=1)
        self.assertIn('driver_info', result.stderr)


class TestKeystone(test_auth.ClassFixturesMixin, CLIMixin,
                   testtools.TestCase):
    """Through Keystone: a clouds.yaml, a token, the catalog's endpoint."""

    @classmethod
    def set_up_class_fixtures(cls):
        cls.keystone = cls.class_fixture(keystone.KeystoneFixture())
        tempdir = cls.class_fixture(fixtures.TempDir()).path
        cls.services = cls.class_fixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            options={'DEFAULT': {'auth_strategy': 'keystone'},
                     'keystone_authtoken':
                         cls.keystone.authtoken_options()}))
        cls._add_to_catalog()
        clouds = {'clouds': {}}
        for cloud, persona in (('admin', 'system_admin'),
                               ('member', 'project_member'),
                               ('wrong', 'project_member')):
            user, password, project, _role = keystone.PERSONAS[persona]
            auth = {'auth_url': cls.keystone.url, 'username': user,
                    'password': password if cloud != 'wrong' else 'nope',
                    'user_domain_id': 'default'}
            if project:
                auth.update(project_name=project,
                            project_domain_id='default')
            else:
                auth['system_scope'] = 'all'
            clouds['clouds'][cloud] = {'auth': auth,
                                       'region_name': 'RegionOne',
                                       'identity_api_version': 3}
        path = os.path.join(tempdir, 'clouds.yaml')
        with open(path, 'w') as f:
            yaml.safe_dump(clouds, f)
        cls.env = environment(OS_CLIENT_CONFIG_FILE=path)

    @classmethod
    def _add_to_catalog(cls):
        headers = {'X-Auth-Token': cls.keystone.token('system_admin')}
        url = cls.keystone.url
        service = requests.post(url + '/services', headers=headers, timeout=60,
                                json={'service': {'type': 'composition',
                                                  'name': 'valence'}})
        service.raise_for_status()
        requests.post(url + '/endpoints', headers=headers, timeout=60, json={
            'endpoint': {'service_id': service.json()['service']['id'],
                         'interface': 'public', 'region_id': 'RegionOne',
                         'url': cls.services.url}}).raise_for_status()

    def test_the_endpoint_comes_from_the_catalog(self):
        self.auth_args = ('--os-cloud', 'admin')
        podm = self.json('podmanager', 'create', 'closed',
                         'http://127.0.0.1:%d' % base.free_port(),
                         '--username', 'admin', '--password', 'pw')
        self.addCleanup(self.openstack, 'podmanager', 'delete', 'closed')
        self.assertEqual('offline', podm['status'])
        self.assertEqual(['closed'], self.value('podmanager', 'list', '-c',
                                                'name'))

    def test_a_project_member_sees_flavors_but_may_not_add_pods(self):
        self.auth_args = ('--os-cloud', 'member')
        self.assertEqual([], self.json('flavor', 'list'))
        result = self.openstack('podmanager', 'list', status=1)
        self.assertIn('HTTP 403', result.stderr)

    def test_a_wrong_password_is_said_so(self):
        self.auth_args = ('--os-cloud', 'wrong')
        result = self.openstack('node', 'list', status=1)
        self.assertIn('HTTP 401', result.stderr)


class TestHTTPBasic(CLIMixin, testtools.TestCase):
    """keystoneauth's http_basic plugin and --valence-api-url."""

    def setUp(self):
        super().setUp()
        tempdir = self.useFixture(fixtures.TempDir()).path
        user_file = os.path.join(tempdir, 'htpasswd')
        hashed = bcrypt.hashpw(b'op-pw', bcrypt.gensalt(4)).decode()
        with open(user_file, 'w') as f:
            f.write('operator:%s\n' % hashed)
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            options={'DEFAULT': {'auth_strategy': 'http_basic',
                                 'http_basic_auth_user_file': user_file}}))

    def use(self, password):
        self.auth_args = ('--os-auth-type', 'http_basic', '--os-username',
                          'operator', '--os-password', password,
                          '--valence-api-url', self.services.url)

    def test_users_of_the_htpasswd_file_get_in(self):
        self.use('op-pw')
        self.assertEqual([], self.json('podmanager', 'list'))
        self.use('wrong')
        result = self.openstack('podmanager', 'list', status=1)
        self.assertIn('HTTP 401', result.stderr)
