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

"""The DevStack plugin, run by bash as stack.sh would run it.

DevStack's functions are stubbed (devstack-stubs.sh): they record their
calls, and iniset writes real files. Each test runs the plugin's phases
and checks the configuration it wrote, the commands it ran or would have
run, and what it registered in Keystone.
"""

import configparser
import os
import pwd
import shlex
import shutil
import subprocess
import sys
import tempfile

from valence.tests import base
from valence.tests.fixtures import database

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..'))
STUBS = os.path.join(os.path.dirname(__file__), 'devstack-stubs.sh')
PLUGIN_FILES = ('devstack/plugin.sh', 'devstack/settings',
                'devstack/lib/valence')
STACK = ('stack install', 'stack post-config', 'stack extra')
API_URL = 'http://192.0.2.5/composition'

# stack.sh runs the plugin with errexit: a failing command stops it.
DRIVER = '''
set -o errexit
source "$STUBS"
source "$REPO_LINK/devstack/settings"
# What a local.conf disables after the plugin's settings enabled it.
for service in ${STUB_DISABLED:-}; do
    STUB_ENABLED=${STUB_ENABLED// $service/}
done
for phase in "$@"; do
    # shellcheck disable=SC2086
    source "$VALENCE_DEVSTACK_DIR/plugin.sh" $phase
done
'''

# The Valence commands the plugin runs itself (the others are only
# handed to run_process): they record their arguments.
FAKE_COMMAND = '''#!/bin/sh
printf '%%s ' "$(basename "$0")" "$@" >> "$STUB_LOG"
printf '\\n' >> "$STUB_LOG"
%s
'''


class DevStackPluginTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix='valence-devstack-')
        self.addCleanup(shutil.rmtree, self.tmp, True)
        dest = os.path.join(self.tmp, 'opt-stack')
        os.makedirs(dest)
        # DevStack clones the plugin to $DEST/valence.
        os.symlink(REPO, os.path.join(dest, 'valence'))
        self.conf_dir = os.path.join(self.tmp, 'etc-valence')
        self.data_dir = os.path.join(self.tmp, 'data')
        self.bin = os.path.join(self.tmp, 'bin')
        os.makedirs(self.bin)
        self.fake('valence-manage', 'echo fake-fernet-key=')
        self.fake('valence-dbsync')
        self.fake('uwsgi')
        self.log = os.path.join(self.tmp, 'calls.log')
        self.env = {
            'PATH': '%s:%s' % (self.bin, os.environ['PATH']),
            'STUBS': STUBS, 'STUB_LOG': self.log,
            'STUB_PYTHON': sys.executable, 'STUB_BIN': self.bin,
            'STUB_ENABLED': 'keystone mysql rabbit',
            'STUB_OPENSTACK_FAILURES': '0',
            'REPO_LINK': os.path.join(dest, 'valence'),
            'DEST': dest, 'DATA_DIR': self.data_dir,
            'STACK_USER': self._user(), 'SERVICE_HOST': '192.0.2.5',
            'SERVICE_PROTOCOL': 'http', 'SERVICE_PASSWORD': 'svc-secret',
            'SERVICE_PROJECT_NAME': 'service',
            'SERVICE_DOMAIN_NAME': 'Default', 'REGION_NAME': 'RegionOne',
            'KEYSTONE_SERVICE_URI': 'http://192.0.2.5/identity',
            'ENABLE_DEBUG_LOG_LEVEL': 'True', 'SERVICE_TIMEOUT': '60',
            'VALENCE_CONF_DIR': self.conf_dir,
        }

    @staticmethod
    def _user():
        return pwd.getpwuid(os.getuid()).pw_name

    def fake(self, name, body=''):
        path = os.path.join(self.bin, name)
        with open(path, 'w') as f:
            f.write(FAKE_COMMAND % body)
        os.chmod(path, 0o700)

    def run_plugin(self, *phases, check=True, **env):
        result = subprocess.run(
            ['bash', '-c', DRIVER, 'driver'] + list(phases),
            env=dict(self.env, **env), capture_output=True, text=True,
            timeout=120)
        if check:
            self.assertEqual(0, result.returncode,
                             result.stdout + result.stderr)
        return result

    def calls(self, name=None):
        with open(self.log) as f:
            calls = [shlex.split(line) for line in f if line.strip()]
        return [c for c in calls if name is None or c[0] == name]

    def valence_conf(self):
        config = configparser.RawConfigParser()
        config.read(os.path.join(self.conf_dir, 'valence.conf'))
        return config

    def processes(self):
        return {c[1]: c[2] for c in self.calls('run_process')}

    # -- the stack ----------------------------------------------------------

    def test_installs_from_the_plugin_clone(self):
        self.run_plugin('stack install')
        self.assertEqual([['setup_develop', self.env['REPO_LINK']]],
                         self.calls('setup_develop'))
        self.assertEqual(1, len(self.calls('install_apache_uwsgi')))

    def test_configuration_for_keystone_rabbitmq_and_mysql(self):
        self.run_plugin(*STACK)
        config = self.valence_conf()
        default = config['DEFAULT']
        self.assertEqual('oslo', default['rpc_transport'])
        self.assertEqual('keystone', default['auth_strategy'])
        self.assertEqual(os.path.join(self.data_dir, 'valence'),
                         default['state_path'])
        # Its own vhost, created first; the command's chatter is not in it.
        self.assertEqual('rabbit://stackrabbit:rabbit-secret@127.0.0.1:5672/'
                         'valence', default['transport_url'])
        self.assertEqual([['rpc_backend_add_vhost', 'valence']],
                         self.calls('rpc_backend_add_vhost'))
        self.assertEqual('messagingv2',
                         config['oslo_messaging_notifications']['driver'])
        self.assertEqual('mysql+pymysql://root:db-secret@127.0.0.1/valence'
                         '?charset=utf8', config['database']['connection'])
        self.assertEqual(API_URL, config['api']['public_endpoint'])
        self.assertEqual(('password', 'valence'),
                         (config['keystone_authtoken']['auth_type'],
                          config['keystone_authtoken']['username']))
        self.assertFalse(config.has_section('ironic'))

    def test_pod_passwords_are_encrypted_with_a_private_key_file(self):
        self.run_plugin(*STACK)
        key_file = self.valence_conf()['secrets']['fernet_key_file']
        self.assertEqual(os.path.join(self.conf_dir, 'fernet_keys'), key_file)
        with open(key_file) as f:
            self.assertEqual('fake-fernet-key=\n', f.read())
        self.assertEqual(0o600, os.stat(key_file).st_mode & 0o777)

    def test_shares_devstacks_vhost_when_asked(self):
        self.run_plugin(*STACK, VALENCE_RABBIT_VHOST='')
        self.assertEqual('rabbit://stackrabbit:rabbit-secret@127.0.0.1:5672/',
                         self.valence_conf()['DEFAULT']['transport_url'])
        self.assertEqual([], self.calls('rpc_backend_add_vhost'))

    def test_ironic_section_when_ironic_is_enabled(self):
        self.run_plugin(*STACK, STUB_ENABLED='keystone mysql rabbit ironic')
        config = self.valence_conf()
        ironic = {k: v for k, v in config.items('ironic')
                  if k not in config.defaults()}
        self.assertEqual({'auth_type': 'password',
                          'auth_url': 'http://192.0.2.5/identity',
                          'username': 'valence', 'password': 'svc-secret',
                          'project_name': 'service',
                          'user_domain_name': 'Default',
                          'project_domain_name': 'Default',
                          'region_name': 'RegionOne'}, ironic)
        self.assertIn(['get_or_add_user_project_role', 'service', 'valence',
                       'service'], self.calls())

    def test_registers_the_composition_service_and_its_user(self):
        self.run_plugin(*STACK)
        self.assertEqual([['create_service_user', 'valence', 'admin']],
                         self.calls('create_service_user'))
        self.assertEqual([['get_or_create_service', 'valence', 'composition',
                           'Pooled, composable bare-metal hardware']],
                         self.calls('get_or_create_service'))
        self.assertEqual([['get_or_create_endpoint', 'composition',
                           'RegionOne', API_URL]],
                         self.calls('get_or_create_endpoint'))
        self.assertEqual([], self.calls('get_or_add_user_project_role'))

    def test_creates_the_database_then_migrates_it(self):
        self.run_plugin(*STACK)
        steps = [c for c in self.calls()
                 if c[0] in ('recreate_database', 'valence-dbsync')]
        conf = os.path.join(self.conf_dir, 'valence.conf')
        self.assertEqual([['recreate_database', 'valence'],
                          ['valence-dbsync', '--config-file', conf,
                           'upgrade']], steps)

    def test_api_under_uwsgi_and_a_conductor(self):
        self.run_plugin(*STACK)
        uwsgi_conf = os.path.join(self.conf_dir, 'valence-api-uwsgi.ini')
        self.assertEqual([['write_uwsgi_config', uwsgi_conf,
                           'valence.wsgi.api:application', '/composition',
                           '', 'valence-api']],
                         self.calls('write_uwsgi_config'))
        uwsgi = configparser.RawConfigParser()
        uwsgi.read(uwsgi_conf)
        self.assertEqual('VALENCE_CONFIG_FILES=%s' % os.path.join(
            self.conf_dir, 'valence.conf'), uwsgi['uwsgi']['env'])
        conf = os.path.join(self.conf_dir, 'valence.conf')
        processes = self.processes()
        self.assertEqual('%s/uwsgi --procname-prefix valence-api --ini %s'
                         % (self.bin, uwsgi_conf), processes['valence-api'])
        self.assertEqual('%s/valence-conductor --config-file %s'
                         % (self.bin, conf), processes['valence-conductor'])
        self.assertIn(['wait_for_service', '60', API_URL], self.calls())

    def test_emulated_pods_of_each_personality_are_registered(self):
        self.run_plugin(*STACK)
        emulator = shlex.split(self.processes()['valence-emulator'])
        self.assertEqual('%s/valence-emulator' % self.bin, emulator[0])
        self.assertEqual(['rsd:8440', 'dmtf:8441', 'expether:8442'],
                         [emulator[i + 1] for i, arg in enumerate(emulator)
                          if arg == '--pod'])
        self.assertEqual(
            [('emulated-rsd', 'http://127.0.0.1:8440', 'redfishv1'),
             ('emulated-dmtf', 'http://127.0.0.1:8441', 'redfishv2'),
             ('emulated-expether', 'http://127.0.0.1:8442/eem', 'expether')],
            [(c[6], c[7], c[9]) for c in self.calls('openstack')])
        create = self.calls('openstack')[0]
        self.assertEqual(['openstack', '--os-cloud', 'devstack-system-admin',
                          'valence', 'podmanager', 'create'], create[:6])
        self.assertEqual(['--username', 'admin', '--password', 'svc-secret'],
                         create[10:14])

    def test_real_pod_managers_replace_the_emulator(self):
        self.run_plugin(*STACK, VALENCE_POD_MANAGERS=(
            'rack-1,redfishv1,https://podm-1.example.com:8443,admin,pw-1 '
            'rack-2,redfishv2,https://ocs.example.com,root,pw-2'))
        self.assertNotIn('valence-emulator', self.processes())
        self.assertEqual(
            [['rack-1', 'https://podm-1.example.com:8443', '--driver',
              'redfishv1', '--username', 'admin', '--password', 'pw-1'],
             ['rack-2', 'https://ocs.example.com', '--driver', 'redfishv2',
              '--username', 'root', '--password', 'pw-2']],
            [c[6:14] for c in self.calls('openstack')])

    def test_registration_waits_for_a_conductor(self):
        self.run_plugin(*STACK, STUB_OPENSTACK_FAILURES='2')
        names = [c[6] for c in self.calls('openstack')]
        self.assertEqual(['emulated-rsd'] * 3 + ['emulated-dmtf',
                                                 'emulated-expether'], names)
        self.assertEqual([['sleep', '2']] * 2, self.calls('sleep'))

    def test_registration_gives_up_in_the_end(self):
        result = self.run_plugin(*STACK, check=False,
                                 STUB_OPENSTACK_FAILURES='100',
                                 VALENCE_REGISTER_ATTEMPTS='3')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('Could not register the pod manager emulated-rsd',
                      result.stderr)
        self.assertEqual(3, len(self.calls('openstack')))

    def test_nothing_runs_when_valence_is_disabled(self):
        self.run_plugin(*STACK, STUB_DISABLED='valence-api valence-conductor '
                        'valence-emulator')
        self.assertEqual([], self.calls('run_process'))
        self.assertEqual([], self.calls('iniset'))

    # -- unstack and clean --------------------------------------------------

    def test_unstack_stops_every_service(self):
        self.run_plugin('unstack')
        self.assertEqual([['stop_process', 'valence-api'],
                          ['stop_process', 'valence-conductor'],
                          ['stop_process', 'valence-emulator']],
                         self.calls('stop_process'))

    def test_clean_removes_configuration_and_state(self):
        self.run_plugin(*STACK)
        self.run_plugin('unstack', 'clean')
        self.assertFalse(os.path.exists(self.conf_dir))
        self.assertFalse(os.path.exists(os.path.join(self.data_dir,
                                                     'valence')))
        self.assertEqual([['remove_uwsgi_config', os.path.join(
            self.conf_dir, 'valence-api-uwsgi.ini'), 'valence-api']],
            self.calls('remove_uwsgi_config'))


class DevStackPluginLintTest(base.TestCase):

    def test_plugin_parses(self):
        for path in PLUGIN_FILES + ('valence/tests/unit/devstack-stubs.sh',):
            result = subprocess.run(['bash', '-n', os.path.join(REPO, path)],
                                    capture_output=True, text=True)
            self.assertEqual(0, result.returncode, result.stderr)

    def test_plugin_is_shellcheck_clean(self):
        if shutil.which('shellcheck') is None:
            # tools/run-tests.sh installs it in CI.
            if database.in_ci():
                self.fail('shellcheck is not installed')
            self.skipTest('shellcheck is not installed (Debian package '
                          'shellcheck)')
        result = subprocess.run(
            ['shellcheck', '-x'] + list(PLUGIN_FILES) +
            ['valence/tests/unit/devstack-stubs.sh'],
            cwd=REPO, capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stdout)
