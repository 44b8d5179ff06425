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

"""Real Valence processes for functional tests.

``ValenceServices`` writes a configuration, prepares the database with
``valence-dbsync`` and starts ``valence-conductor`` and ``valence-api`` (or
the all-in-one ``valence``) as processes, each logging to its own file;
``RabbitVhost`` gives a test its own RabbitMQ virtual host and
``NotificationCollector`` listens there for versioned notifications.
"""

import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import fixtures
from oslo_config import cfg
import oslo_messaging as messaging
import requests
import sqlalchemy as sa

from valence.common import crypto
from valence.tests.fixtures import database

RABBIT_HOST = os.environ.get('VALENCE_TEST_RABBIT_HOST', '127.0.0.1')
RABBIT_PORT = int(os.environ.get('VALENCE_TEST_RABBIT_PORT', '5672'))
RABBIT_USER = os.environ.get('VALENCE_TEST_RABBIT_USER', 'guest')
RABBIT_PASSWORD = os.environ.get('VALENCE_TEST_RABBIT_PASSWORD', 'guest')
NOTIFICATION_TOPIC = 'valence_versioned_notifications'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def bin_path(command):
    """A console script of the environment the tests run in."""
    return os.path.join(os.path.dirname(sys.executable), command)


def wait_for_http(url, check_alive, what, timeout=60):
    """Wait until ``url`` answers 200; ``check_alive()`` raises if the
    process that should answer has died."""
    deadline = time.monotonic() + timeout
    while True:
        check_alive()
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError('%s did not answer at %s' % (what, url))
        time.sleep(0.1)


def rabbit_unavailable():
    """None if RabbitMQ can be used for a new vhost, else why not."""
    try:
        socket.create_connection((RABBIT_HOST, RABBIT_PORT), 2).close()
    except OSError as e:
        return ('RabbitMQ at %s:%s unreachable (%s); install rabbitmq-server'
                % (RABBIT_HOST, RABBIT_PORT, e))
    if shutil.which('rabbitmqctl') is None:
        return 'rabbitmqctl not found; install rabbitmq-server'
    return None


def require_rabbit(testcase):
    reason = rabbit_unavailable()
    if reason:
        if database.in_ci():
            testcase.fail(reason)
        testcase.skipTest(reason)


def require_database(testcase, backend):
    if backend != 'sqlite':
        database.require_server(testcase, backend)


class RabbitVhost(fixtures.Fixture):
    """A RabbitMQ virtual host of its own, deleted at cleanup."""

    def _setUp(self):
        self.name = 'valence-test-%s' % uuid.uuid4().hex[:12]
        self._ctl('add_vhost', self.name)
        self.addCleanup(self._ctl, 'delete_vhost', self.name)
        self._ctl('set_permissions', '-p', self.name, RABBIT_USER,
                  '.*', '.*', '.*')
        self.url = 'rabbit://%s:%s@%s:%d/%s' % (
            RABBIT_USER, RABBIT_PASSWORD, RABBIT_HOST, RABBIT_PORT, self.name)

    @staticmethod
    def _ctl(*args):
        subprocess.run(['rabbitmqctl', '-q'] + list(args), check=True,
                       capture_output=True, timeout=60)


class NotificationCollector(fixtures.Fixture):
    """Listens for Valence's versioned notifications on a transport."""

    def __init__(self, transport_url):
        super().__init__()
        self.transport_url = transport_url

    def _setUp(self):
        self.events = []
        self._changed = threading.Condition()
        conf = cfg.ConfigOpts()
        conf([], project='valence-test', default_config_files=[])
        transport = messaging.get_notification_transport(
            conf, url=self.transport_url)
        self.addCleanup(transport.cleanup)
        self._listener = messaging.get_notification_listener(
            transport, [messaging.Target(topic=NOTIFICATION_TOPIC)],
            [self], executor='threading')
        self._listener.start()
        self.addCleanup(self._stop)

    def _stop(self):
        self._listener.stop()
        self._listener.wait()

    def _record(self, priority, publisher_id, event_type, payload):
        with self._changed:
            self.events.append({'priority': priority,
                                'publisher_id': publisher_id,
                                'event_type': event_type,
                                'payload': payload,
                                'received_at': time.monotonic()})
            self._changed.notify_all()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record('info', publisher_id, event_type, payload)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record('error', publisher_id, event_type, payload)

    def wait_for(self, event_type, timeout=30, **data):
        """The first event of this type whose payload data match."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events:
                    payload = event['payload'].get('valence_object.data', {})
                    if event['event_type'] == event_type and all(
                            payload.get(k) == v for k, v in data.items()):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        'No %s notification with %s within %ss; got: %s'
                        % (event_type, data, timeout,
                           [e['event_type'] for e in self.events]))
                self._changed.wait(left)


class ValenceServices(fixtures.Fixture):
    """Valence running as real processes.

    :param mode: 'split' (valence-conductor and valence-api) or
        'all-in-one' (valence).
    :param database_url: the database to use; it is migrated with
        ``valence-dbsync upgrade`` before anything starts.
    :param transport_url: the RabbitMQ vhost for RPC and notifications
        (split mode, or all-in-one with notifications).
    :param options: more configuration, ``{section: {option: value}}``.
    """

    def __init__(self, mode, database_url, transport_url=None, options=None,
                 conductors=1):
        super().__init__()
        self.mode = mode
        self.database_url = database_url
        self.transport_url = transport_url
        self.options = options or {}
        self.conductor_count = conductors
        self.processes = {}

    def _setUp(self):
        self.tempdir = tempfile.mkdtemp(prefix='valence-functional-')
        self.addCleanup(shutil.rmtree, self.tempdir, True)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.engine = sa.create_engine(self.database_url,
                                       poolclass=sa.NullPool)
        self.addCleanup(self.engine.dispose)
        self.addCleanup(self.stop_all)
        if self.mode != 'all-in-one':
            # Conductors must share their keys; the all-in-one makes its
            # own on first start, as it does with no configuration at all.
            self.key_file = os.path.join(self.tempdir, 'fernet_keys')
            with open(os.open(self.key_file, os.O_WRONLY | os.O_CREAT,
                              0o600), 'w') as f:
                f.write(crypto.generate_key() + '\n')
        self.run_command('valence-dbsync', self.write_config('dbsync'),
                         'upgrade')
        if self.mode == 'all-in-one':
            self.start('valence', host='aio')
            self.wait_for_conductor('aio')
        else:
            for index in range(self.conductor_count):
                host = 'conductor-%d' % index
                self.start('valence-conductor', host=host)
                self.wait_for_conductor(host)
            self.start('valence-api', host='api')
        self.wait_for_api()

    def write_config(self, name, host='test'):
        config = configparser.ConfigParser(interpolation=None)
        config.read_dict({
            'DEFAULT': {'host': host,
                        'state_path': os.path.join(self.tempdir, name),
                        'rpc_transport': ('local' if self.mode == 'all-in-one'
                                          else 'oslo'),
                        'debug': 'true'},
            'database': {'connection': self.database_url},
            'api': {'host_ip': '127.0.0.1', 'port': str(self.port)},
            'conductor': {'heartbeat_interval': '1',
                          'heartbeat_timeout': '10',
                          'hash_ring_reset_interval': '1'},
            'podmanager': {'retries': '1', 'retry_interval': '0.2',
                           'connect_timeout': '2', 'request_timeout': '10'},
        })
        if self.mode != 'all-in-one':
            config['secrets'] = {'fernet_key_file': self.key_file}
        if self.transport_url:
            config['DEFAULT']['transport_url'] = self.transport_url
            config['oslo_messaging_notifications'] = {
                'driver': 'messagingv2'}
        for section, values in self.options.items():
            if section != 'DEFAULT' and not config.has_section(section):
                config.add_section(section)
            for key, value in values.items():
                config[section][key] = str(value)
        path = os.path.join(self.tempdir, '%s.conf' % name)
        with open(path, 'w') as f:
            config.write(f)
        return path

    def log_path(self, name):
        return os.path.join(self.tempdir, '%s.log' % name)

    def run_command(self, command, config_path, *args):
        result = subprocess.run(
            [bin_path(command), '--config-file', config_path] + list(args),
            capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise AssertionError('%s failed:\n%s%s' % (
                command, result.stdout, result.stderr))
        return result.stdout

    def start(self, command, host):
        """Start one service process under the name ``host``."""
        config = self.write_config(host, host=host)
        with open(self.log_path(host), 'ab') as log:
            self.processes[host] = subprocess.Popen(
                [bin_path(command), '--config-file', config,
                 '--log-file', self.log_path(host)],
                stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        return self.processes[host]

    def stop(self, host, sig=signal.SIGTERM, timeout=30):
        """Stop a service (SIGTERM by default); returns its exit code.

        SIGKILL goes to the whole process group: the service's worker
        process dies with it, as when a machine loses power.
        """
        process = self.processes.pop(host)
        if process.poll() is None:
            if sig == signal.SIGKILL:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        return process.returncode

    def stop_all(self):
        for host in list(self.processes):
            self.stop(host)

    def logs(self):
        """Everything the services logged, concatenated."""
        text = ''
        for name in os.listdir(self.tempdir):
            if name.endswith('.log'):
                with open(os.path.join(self.tempdir, name), errors='replace'
                          ) as f:
                    text += f.read()
        return text

    def _check_running(self):
        for host, process in self.processes.items():
            if process.poll() is not None:
                with open(self.log_path(host), errors='replace') as f:
                    raise AssertionError('%s exited with %s:\n%s' % (
                        host, process.returncode, f.read()[-5000:]))

    def conductor_hosts(self):
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(
                sa.text('SELECT hostname FROM conductors'))}

    def wait_for_conductor(self, host, timeout=60):
        deadline = time.monotonic() + timeout
        while host not in self.conductor_hosts():
            self._check_running()
            if time.monotonic() > deadline:
                raise AssertionError('conductor %s did not register' % host)
            time.sleep(0.1)

    def wait_for_api(self, timeout=60):
        wait_for_http(self.url, self._check_running, 'the API', timeout)

    def api(self, method, path, **kwargs):
        timeout = kwargs.pop('timeout', 60)
        return requests.request(method, self.url + path, timeout=timeout,
                                **kwargs)


class ServicesAPIMixin:
    """``self.api``: a request to the API of ``self.services``, whose
    status is checked when ``status`` is given."""

    def api(self, method, path, status=None, **kwargs):
        response = self.services.api(method, path, **kwargs)
        if status is not None:
            self.assertEqual(status, response.status_code, response.text)
        return response


def split_services(testcase, **kwargs):
    """valence-conductor and valence-api over a RabbitMQ vhost and a new
    MariaDB database of ``testcase``, with a notification listener there.

    :param kwargs: more arguments of ValenceServices.
    :returns: (services, notifications)
    """
    require_rabbit(testcase)
    require_database(testcase, 'mysql')
    vhost = testcase.useFixture(RabbitVhost())
    db = testcase.useFixture(database.ServerDatabase('mysql'))
    notifications = testcase.useFixture(NotificationCollector(vhost.url))
    services = testcase.useFixture(ValenceServices(
        'split', db.url, transport_url=vhost.url, **kwargs))
    return services, notifications
