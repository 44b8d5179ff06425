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


"""Many conductors, and what happens when a conductor, the message broker
or the database fails: real processes over RabbitMQ and MariaDB, against
emulator pods.

The broker and the database are shared by everything on the machine, so
they are not stopped: the services reach them through a TCP proxy of the
test, which cuts every connection (and closes new ones at once) for the
length of an outage, as a stopped server or a blocked port would.
"""

import collections
import concurrent.futures
import signal
import threading
import time
import unittest

import requests
import testtools
from testtools import content

from valence.tests.fixtures import database
from valence.tests.fixtures import emulator
from valence.tests.fixtures import tcp_proxy
from valence.tests.functional import base
from valence.tests.functional import test_auth

DRIVERS = {'rsd': 'redfishv1', 'dmtf': 'redfishv2'}
STABLE_NODE_STATES = ('available', 'compose failed', 'cleanup_needed')
STABLE_DEVICE_STATES = ('free', 'allocated', 'unavailable')
PASSWORD = 'scale-out-pod-password'
HEARTBEAT_TIMEOUT = 10  # base.ValenceServices' [conductor] setting
# How long a conductor waits for an answer in these tests; the API's
# longest request is that plus the broker retries (about 6 s).
RPC_RESPONSE_TIMEOUT = 10
REQUEST_BOUND = RPC_RESPONSE_TIMEOUT + 15


def wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError('%s: not within %ss' % (what, timeout))
        time.sleep(0.2)


class Cluster(base.ServicesAPIMixin, test_auth.ClassFixturesMixin):
    """Conductors, an API and emulator pods shared by a test class."""

    CONDUCTORS = 3
    PODS = ('rsd', 'dmtf') * 15
    OPTIONS = {}
    THROUGH_PROXIES = False

    @classmethod
    def set_up_class_fixtures(cls):
        reason = base.rabbit_unavailable() or database.server_unavailable(
            'mysql')
        if reason:
            if database.in_ci():
                raise AssertionError(reason)
            raise unittest.SkipTest(reason)
        vhost = cls.class_fixture(base.RabbitVhost())
        db = cls.class_fixture(database.ServerDatabase('mysql'))
        transport_url, database_url = vhost.url, db.url
        if cls.THROUGH_PROXIES:
            cls.broker = cls.class_fixture(tcp_proxy.TCPProxy(
                base.RABBIT_HOST, base.RABBIT_PORT))
            transport_url = transport_url.replace(
                '%s:%d/' % (base.RABBIT_HOST, base.RABBIT_PORT),
                '127.0.0.1:%d/' % cls.broker.port)
            server = db.url.split('@', 1)[1].split('/', 1)[0]
            host, port = server.rsplit(':', 1)
            cls.database = cls.class_fixture(tcp_proxy.TCPProxy(host,
                                                                int(port)))
            database_url = db.url.replace('@%s/' % server, '@127.0.0.1:%d/'
                                          % cls.database.port)
        cls.notifications = cls.class_fixture(
            base.NotificationCollector(vhost.url))
        cls.pods = cls.class_fixture(emulator.EmulatorFixture(
            pods=list(cls.PODS), seed=11, systems=3, devices=12,
            password=PASSWORD))
        options = {'DEFAULT': {'rpc_response_timeout': RPC_RESPONSE_TIMEOUT},
                   'conductor': {'recovery_interval': 2,
                                 'power_sync_interval': 0}}
        for section, values in cls.OPTIONS.items():
            options.setdefault(section, {}).update(values)
        cls.services = cls.class_fixture(base.ValenceServices(
            'split', database_url, transport_url=transport_url,
            options=options, conductors=cls.CONDUCTORS))
        cls.podms = [cls.register(index) for index in range(len(cls.PODS))]

    @classmethod
    def register(cls, index):
        personality = cls.PODS[index]
        response = cls.services.api('POST', '/v1/pod_managers', json={
            'name': 'pod-%02d' % index, 'url': cls.pods.urls[index],
            'driver': DRIVERS[personality],
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': 'admin', 'password': PASSWORD}}]})
        assert response.status_code == 201, response.text
        return response.json()

    def setUp(self):
        super().setUp()
        self.addOnException(self.attach_service_errors)

    def attach_service_errors(self, exc_info):
        lines = [line for line in self.services.logs().splitlines()
                 if ' ERROR ' in line or ' WARNING ' in line]
        self.addDetail('service errors', content.text_content(
            '\n'.join(lines[-400:])))

    def conductors(self):
        return {c['hostname']: c for c in self.api(
            'GET', '/v1/conductors?detail=true', 200).json()['conductors']}

    def owners(self):
        """{pod manager uuid: hostname of the live conductor serving it}"""
        return {podm['uuid']: host
                for host, conductor in self.conductors().items()
                for podm in conductor.get('pod_managers', [])}

    def wait_for_ring(self, hosts):
        """Until exactly ``hosts`` are alive and serve every pod."""
        def settled():
            conductors = self.conductors()
            alive = {h for h, c in conductors.items() if c['alive']}
            served = sum(c['pod_manager_count']
                         for c in conductors.values())
            return alive == set(hosts) and served == len(self.podms)
        wait(settled, 60, 'conductors %s serving every pod' % sorted(hosts))
        # The API reads the ring again each second ([conductor]
        # hash_ring_reset_interval): one that comes back is in it by now.
        time.sleep(1.5)
        wait(settled, 60, 'conductors %s serving every pod' % sorted(hosts))

    def node(self, uuid):
        return self.api('GET', '/v1/nodes/%s' % uuid, 200).json()

    def settled_node(self, uuid, timeout=120):
        return wait(lambda: (lambda n: n if n['state'] in STABLE_NODE_STATES
                             else None)(self.node(uuid)),
                    timeout, 'node %s in a stable state' % uuid)

    def compose(self, podm, name):
        return self.api('POST', '/v1/nodes', 202, json={
            'name': name, 'podm_id': podm['uuid'],
            'properties': {}}).json()['uuid']

    def free_device(self, podm):
        for kind in ('GPU', 'NVMe', 'NIC'):
            devices = self.api('GET', '/v1/devices?podm_id=%s&type=%s&state='
                               'free&limit=1' % (podm['uuid'], kind),
                               200).json()['devices']
            if devices:
                return devices[0]
        self.fail('no free device on %s' % podm['name'])

    def assert_pod_agrees(self, index):
        """The pod holds exactly what the database says, for the
        available nodes, and for no one else."""
        podm = self.podms[index]
        allocations = self.pods.allocations(pod=index)
        nodes = self.api('GET', '/v1/nodes?podm_id=%s&detail=true'
                         % podm['uuid'], 200).json()['nodes']
        for node in nodes:
            self.assertIn(node['state'], STABLE_NODE_STATES, node)
        owners = [n['resource_uri'] for n in nodes
                  if n['state'] == 'available']
        for resource, owner in allocations.items():
            self.assertTrue(any(owner.endswith(uri) for uri in owners),
                            '%s holds %s for no available node (%s)'
                            % (podm['name'], resource, owner))
        for uri in owners:
            self.assertTrue(any(o.endswith(uri)
                                for o in allocations.values()),
                            '%s holds nothing for node %s'
                            % (podm['name'], uri))
        by_uuid = {n['uuid']: n for n in nodes}
        devices = self.api('GET', '/v1/devices?podm_id=%s' % podm['uuid'],
                           200).json()['devices']
        for device in devices:
            self.assertIn(device['state'], STABLE_DEVICE_STATES, device)
            held_by = self.holders(allocations, device)
            if device['state'] == 'allocated' and device['node_id']:
                node = by_uuid[device['node_id']]
                self.assertEqual('available', node['state'], device)
                if held_by:
                    self.assertEqual(1, len(held_by), held_by)
                    self.assertTrue(held_by[0].endswith(
                        node['resource_uri']), (device, held_by))
            elif device['state'] == 'free':
                self.assertEqual([], held_by,
                                 'free device %s held on the pod' % device)

    @staticmethod
    def holders(allocations, device):
        behind = (device.get('properties') or {}).get('entity_uri')
        return [owner for resource, owner in allocations.items()
                if resource.endswith(device['resource_uri'])
                or resource == behind]


class TestThreeConductors(Cluster, testtools.TestCase):
    """Three conductors, one API, 30 pods."""

    SYNC_INTERVAL = 6
    OPTIONS = {'conductor': {'sync_interval': SYNC_INTERVAL,
                             'sync_jitter': 0.1}}
    HOSTS = ('conductor-0', 'conductor-1', 'conductor-2')

    def setUp(self):
        super().setUp()
        for index in range(len(self.PODS)):
            self.pods.set_latency(0, pod=index)
        self.wait_for_ring(self.HOSTS)

    def syncs(self, since):
        """{pod manager uuid: [(received_at, publisher)]} since then."""
        found = collections.defaultdict(list)
        for event in list(self.notifications.events):
            if (event['event_type'] == 'valence.inventory.sync.end'
                    and event['received_at'] >= since):
                data = event['payload']['valence_object.data']
                found[data['podm_uuid']].append(
                    (event['received_at'], event['publisher_id']))
        return found

    def test_pods_are_spread_and_each_is_synced_once_per_period(self):
        counts = {h: c['pod_manager_count']
                  for h, c in self.conductors().items()}
        fair = len(self.podms) / len(self.HOSTS)
        self.assertLessEqual(max(counts.values()), 2 * fair, counts)
        owners = self.owners()
        # A pass that began before the ring last changed ends first.
        time.sleep(self.SYNC_INTERVAL)
        start = time.monotonic()
        periods = 4
        time.sleep(periods * self.SYNC_INTERVAL)
        syncs = self.syncs(start)
        period = self.SYNC_INTERVAL
        for podm in self.podms:
            seen = syncs[podm['uuid']]
            self.assertGreaterEqual(len(seen), periods - 1,
                                    (podm['name'], seen))
            # Only by the conductor that serves it...
            self.assertEqual({'valence-conductor.%s'
                              % owners[podm['uuid']]},
                             {publisher for _, publisher in seen})
            # ...once a period: never twice in a row, never skipped.
            times = [at for at, _ in seen]
            for earlier, later in zip(times, times[1:]):
                self.assertGreater(later - earlier, 0.5 * period,
                                   (podm['name'], times))
                self.assertLess(later - earlier, 2 * period,
                                (podm['name'], times))

    def test_killed_conductor_is_taken_over_mid_compose_and_attach(self):
        victim = 'conductor-1'
        survivors = {'conductor-0', 'conductor-2'}
        owners = self.owners()
        served = [i for i, p in enumerate(self.podms)
                  if owners[p['uuid']] == victim]
        self.assertTrue(served, owners)
        # A node on each of its pods to attach devices to, then work in
        # flight on all of them: composes and attaches, slowed by the pods.
        ready = {i: self.compose(self.podms[i], 'ready-%d' % i)
                 for i in served}
        for uuid in ready.values():
            self.assertEqual('available', self.settled_node(uuid)['state'])
        for index in served:
            self.pods.set_latency(300, pod=index)
        composing = [self.compose(self.podms[i], 'new-%d' % i)
                     for i in served]
        attaching = []
        for index in served:
            device = self.free_device(self.podms[index])
            self.api('POST', '/v1/nodes/%s/devices' % ready[index], 202,
                     json={'resource_id': device['uuid']})
            attaching.append(ready[index])
        in_flight = ('composing', 'allocated', 'assembling', 'attaching')
        wait(lambda: any(self.node(u)['state'] in in_flight
                         for u in composing + attaching), 30,
             'work in flight')
        self.services.stop(victim, sig=signal.SIGKILL)
        killed_at = time.monotonic()
        for index in served:
            self.pods.set_latency(0, pod=index)

        # Within a heartbeat timeout and one sync period (and the ring's
        # second), survivors serve its pods and have synced each of them.
        bound = HEARTBEAT_TIMEOUT + self.SYNC_INTERVAL * 1.1 + 5
        survivor_publishers = {'valence-conductor.%s' % h for h in survivors}

        def taken_over():
            owners = self.owners()
            if any(owners.get(self.podms[i]['uuid']) not in survivors
                   for i in served):
                return False
            syncs = self.syncs(killed_at)
            return all(any(publisher in survivor_publishers
                           for _, publisher in syncs[self.podms[i]['uuid']])
                       for i in served)
        wait(taken_over, bound + 30, 'take-over')
        self.assertLess(time.monotonic() - killed_at, bound)
        self.assertFalse(self.conductors()[victim]['alive'])

        # Every node and device ends stable, and the pods agree.
        for uuid in composing + attaching:
            self.settled_node(uuid, timeout=60)
        for index in served:
            self.assert_pod_agrees(index)
        actions = self.api('GET', '/v1/nodes/%s/actions' % composing[0],
                           200).json()['actions']
        self.assertTrue(any(a['action'] in ('compose', 'recover')
                            for a in actions), actions)

        # Back again: it takes its share of the pods again.
        self.services.start('valence-conductor', host=victim)
        self.services.wait_for_conductor(victim)
        self.wait_for_ring(self.HOSTS)
        self.assertEqual(set(served), {
            i for i, p in enumerate(self.podms)
            if self.owners()[p['uuid']] == victim})


class LoadRecord:
    """Steady API requests from a few threads, each one timed."""

    def __init__(self, services, podms):
        self.services = services
        self.podms = podms
        self.results = []  # (started_at, kind, status or error, seconds)
        self._stop = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(4)
        self._futures = []

    def _ask(self, count):
        """A DB read, a call and a cast to the conductor serving a pod
        manager, in turn."""
        podm = self.podms[count % len(self.podms)]
        kind = ('read', 'call', 'cast')[count % 3]
        if kind == 'read':
            return kind, self.services.api('GET', '/v1/pod_managers',
                                           timeout=REQUEST_BOUND + 15)
        if kind == 'call':
            # A new description each time, or there is nothing to send.
            return kind, self.services.api(
                'PATCH', '/v1/pod_managers/%s' % podm['uuid'],
                json={'description': 'load at %f' % time.time()},
                timeout=REQUEST_BOUND + 15)
        return kind, self.services.api(
            'POST', '/v1/devices/sync', json={'podm_id': podm['uuid']},
            timeout=REQUEST_BOUND + 15)

    def _run(self, worker):
        count = worker
        while not self._stop.is_set():
            started = time.monotonic()
            kind = ('read', 'call', 'cast')[count % 3]
            try:
                kind, response = self._ask(count)
                outcome = response.status_code
            except requests.RequestException as e:
                outcome = type(e).__name__
            self.results.append((started, kind, outcome,
                                 time.monotonic() - started))
            count += 1
            time.sleep(0.2)

    def start(self):
        self._futures = [self._pool.submit(self._run, w) for w in range(4)]

    def stop(self):
        self._stop.set()
        for future in self._futures:
            future.result()
        self._pool.shutdown()

    def between(self, start, end):
        """The requests that started and ended within [start, end]."""
        return [r for r in self.results
                if start <= r[0] and r[0] + r[3] <= end]


class TestOutages(Cluster, testtools.TestCase):
    """Two conductors and the API reach RabbitMQ and MariaDB through
    proxies that the tests cut and restore, under a steady load."""

    CONDUCTORS = 2
    PODS = ('rsd', 'dmtf')
    THROUGH_PROXIES = True
    OUTAGE = 15
    RECOVERY = 30

    def setUp(self):
        super().setUp()
        self.wait_for_ring(['conductor-0', 'conductor-1'])
        self.load = LoadRecord(self.services, self.podms)
        self.load.start()
        self.addCleanup(self.load.stop)
        time.sleep(2)

    def assert_no_5xx_but_503_and_no_hang(self):
        for started, kind, outcome, seconds in self.load.results:
            self.assertIsInstance(outcome, int,
                                  (kind, outcome, seconds))
            self.assertTrue(outcome < 500 or outcome == 503,
                            (kind, outcome, seconds))
            self.assertLess(seconds, REQUEST_BOUND, (kind, outcome))

    def wait_for_full_service(self, since, what):
        """Every kind of request answers 2xx again; how long it took."""
        def served():
            recent = self.load.between(time.monotonic() - 3,
                                       time.monotonic())
            good = {kind for _, kind, outcome, _ in recent
                    if outcome in (200, 202)}
            bad = [r for r in recent if r[2] not in (200, 202)]
            return good == {'read', 'call', 'cast'} and not bad
        wait(served, self.RECOVERY + 10, 'full service after the %s' % what)
        return time.monotonic() - since

    def test_broker_outage_answers_503_then_recovers_by_itself(self):
        self.broker.cut()
        cut_at = time.monotonic()
        time.sleep(self.OUTAGE)
        self.broker.restore()
        restored_at = time.monotonic()
        took = self.wait_for_full_service(restored_at, 'broker outage')
        self.load.stop()
        self.assert_no_5xx_but_503_and_no_hang()
        during = self.load.between(cut_at + 1, restored_at)
        # Reads come from the database and keep working...
        reads = [r for r in during if r[1] == 'read']
        self.assertTrue(reads)
        self.assertEqual({200}, {r[2] for r in reads})
        # ...what needs a conductor says the broker is away.
        calls = [r for r in during if r[1] in ('call', 'cast')]
        self.assertTrue(calls)
        self.assertEqual({503}, {r[2] for r in calls})
        response = self.api('GET', '/v1/pod_managers', 200)
        self.assertTrue(response.json()['pod_managers'])
        self.assertLess(took, self.RECOVERY)

    def test_database_outage_answers_503_then_recovers_by_itself(self):
        # Work in flight when the database goes: a compose and an attach.
        podm = self.podms[0]
        node = self.compose(podm, 'before-outage')
        self.assertEqual('available', self.settled_node(node)['state'])
        self.pods.set_latency(400, pod=0)
        self.addCleanup(self.pods.set_latency, 0, pod=0)
        device = self.free_device(podm)
        self.api('POST', '/v1/nodes/%s/devices' % node, 202,
                 json={'resource_id': device['uuid']})
        composing = self.compose(podm, 'during-outage')
        time.sleep(0.5)
        self.database.cut()
        cut_at = time.monotonic()
        time.sleep(self.OUTAGE)
        self.database.restore()
        restored_at = time.monotonic()
        self.pods.set_latency(0, pod=0)
        took = self.wait_for_full_service(restored_at, 'database outage')
        self.load.stop()
        self.assert_no_5xx_but_503_and_no_hang()
        during = self.load.between(cut_at + 1, restored_at)
        self.assertTrue(during)
        self.assertEqual({503}, {r[2] for r in during})
        self.assertLess(took, self.RECOVERY)
        # Heartbeats resumed; the work in flight was finished or undone
        # by its own conductor, and nothing stays locked or half-written.
        self.wait_for_ring(['conductor-0', 'conductor-1'])
        for uuid in (node, composing):
            settled = self.settled_node(uuid, timeout=60)
            wait(lambda: self.node(uuid)['reservation'] is None, 30,
                 'node %s unlocked' % uuid)
            self.assertIn(settled['state'], ('available', 'compose failed'))
        self.assert_pod_agrees(0)
