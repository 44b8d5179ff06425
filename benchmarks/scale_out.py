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


"""scale_out: what 2 and 3 conductors do against one.

Valence runs as valence-api and 1, 2 then 3 valence-conductor processes
over one RabbitMQ virtual host and one MariaDB database, against emulated
RSD pods that answer every request 20 ms late, so that the pods, not the
machine's cores, bound the work. Each conductor has a capacity of its own,
as in production: it syncs its pods one at a time, and composes with
``[conductor] workers_pool_size`` threads (2 here, so that a handful of
clients fill it). In one run it measures, for each number of conductors:

* sync throughput: pods synced per second by the periodic sync, each
  conductor syncing the pods the hash ring gives it back to back
  (``sync_interval`` of 1 second), counted from the
  ``valence.inventory.sync.end`` notifications;
* composes per second: clients composing through the API (``POST
  /v1/nodes`` pinned to their pod, polled until ``available``) then
  decomposing (until gone), the same 12 clients for every number of
  conductors, dealt evenly over the conductors.

Target: 3 conductors reach at least 2.5x the throughput of one, for both.

    python benchmarks/scale_out.py [--quick]

prints one JSON document. It needs RabbitMQ and MariaDB as the functional
tests do (see valence/tests/functional/base.py).
"""

import argparse
import concurrent.futures
import time

from valence import cmd  # noqa: F401 (the oslo.service backend)
from valence.common import crypto
from valence.tests.fixtures import database
from valence.tests.fixtures import emulator
from valence.tests.functional import base as functional

import report

LATENCY_MS = 20
WORKERS = 2
TARGET = 2.5


class Bench:
    """The broker, database and pods shared by every measurement."""

    def __init__(self, pods, clients, window):
        self.pod_count = pods
        self.clients = clients
        self.window = window
        self._fixtures = []
        self.podms = []
        # Stored pod passwords must open in every set of conductors.
        self.key = crypto.generate_key()

    def fixture(self, fixture):
        fixture.setUp()
        self._fixtures.append(fixture)
        return fixture

    def set_up(self):
        for reason in (functional.rabbit_unavailable(),
                       database.server_unavailable('mysql')):
            if reason:
                raise SystemExit(reason)
        self.vhost = self.fixture(functional.RabbitVhost())
        self.db = self.fixture(database.ServerDatabase('mysql'))
        self.notifications = self.fixture(
            functional.NotificationCollector(self.vhost.url))
        self.pods = self.fixture(emulator.EmulatorFixture(
            pods=['rsd'] * self.pod_count, seed=5, systems=4, devices=4,
            latency_ms=LATENCY_MS))

    def clean_up(self):
        while self._fixtures:
            self._fixtures.pop().cleanUp()

    def services(self, conductors, sync_interval):
        """valence-api and ``conductors`` conductors on the shared
        database (pods registered by the first ones stay registered)."""
        services = functional.ValenceServices(
            'split', self.db.url, transport_url=self.vhost.url,
            conductors=conductors, options={
                'DEFAULT': {'debug': 'false'},
                'secrets': {'fernet_keys': self.key},
                'conductor': {'sync_interval': sync_interval,
                              'sync_jitter': 0,
                              'workers_pool_size': WORKERS,
                              'power_sync_interval': 0}})
        services.setUp()
        return services

    def register_pods(self, services):
        for index, url in enumerate(self.pods.urls):
            response = services.api('POST', '/v1/pod_managers', json={
                'name': 'bench-%02d' % index, 'url': url,
                'driver': 'redfishv1',
                'authentication': [{'type': 'basic', 'auth_items': {
                    'username': self.pods.username,
                    'password': self.pods.password}}]})
            assert response.status_code == 201, response.text
        self.podms = [p['uuid'] for p in services.api(
            'GET', '/v1/pod_managers').json()['pod_managers']]
        deadline = time.monotonic() + 120
        while not all(p['last_sync_at'] for p in services.api(
                'GET', '/v1/pod_managers').json()['pod_managers']):
            assert time.monotonic() < deadline, 'pods not synced'
            time.sleep(0.2)

    def wait_for_ring(self, services, conductors):
        """Until the API sees every conductor alive and serving."""
        deadline = time.monotonic() + 60
        while True:
            listed = services.api('GET', '/v1/conductors').json()
            alive = [c for c in listed['conductors'] if c['alive']]
            if (len(alive) == conductors and
                    all(c['pod_manager_count'] for c in alive)):
                return
            assert time.monotonic() < deadline, listed
            time.sleep(0.2)

    def sync_rate(self, conductors):
        """Pods synced per second by the periodic sync."""
        services = self.services(conductors, sync_interval=1)
        try:
            if not self.podms:
                self.register_pods(services)
            self.wait_for_ring(services, conductors)
            # A pass begun on the ring of fewer conductors ends first.
            time.sleep(2)
            start = time.monotonic()
            time.sleep(self.window)
            end = time.monotonic()
            synced = [e for e in list(self.notifications.events)
                      if e['event_type'] == 'valence.inventory.sync.end'
                      and start <= e['received_at'] < end]
            return len(synced) / (end - start)
        finally:
            services.cleanUp()

    def compose_rate(self, conductors):
        """Composes (and decomposes) per second of the clients."""
        services = self.services(conductors, sync_interval=0)
        try:
            self.wait_for_ring(services, conductors)
            pods = client_pods(services, self.clients)
            compose_cycle(services, pods[0], 'warm')
            deadline = time.monotonic() + self.window
            with concurrent.futures.ThreadPoolExecutor(self.clients) as pool:
                counts = list(pool.map(
                    lambda client: self.client(services, client,
                                               pods[client], deadline),
                    range(self.clients)))
            return sum(c for c, _ in counts) / max(e for _, e in counts)
        finally:
            services.cleanUp()

    @staticmethod
    def client(services, client, podm, deadline):
        """Compose and decompose on the client's pod until the deadline;
        returns (cycles, seconds)."""
        start = time.monotonic()
        cycles = 0
        while time.monotonic() < deadline:
            compose_cycle(services, podm, 'c%d-%d' % (client, cycles))
            cycles += 1
        return cycles, time.monotonic() - start


def client_pods(services, clients):
    """A pod manager for each client: the clients are dealt over the
    conductors in turn, each to a pod its conductor serves, so that every
    conductor has the same number of clients whatever the balance of the
    hash ring (which the functional tests check)."""
    served = [[p['uuid'] for p in c['pod_managers']] for c in services.api(
        'GET', '/v1/conductors?detail=true').json()['conductors']
        if c['alive']]
    return [served[i % len(served)][i // len(served) % len(
        served[i % len(served)])] for i in range(clients)]


def compose_cycle(services, podm, name, poll=0.1):
    node = services.api('POST', '/v1/nodes', json={
        'name': name, 'podm_id': podm, 'properties': {}})
    assert node.status_code == 202, node.text
    path = '/v1/nodes/%s' % node.json()['uuid']
    while True:
        state = services.api('GET', path).json()['state']
        if state == 'available':
            break
        assert state not in ('compose failed', 'cleanup_needed'), state
        time.sleep(poll)
    deleted = services.api('DELETE', path)
    assert deleted.status_code == 202, deleted.text
    while services.api('GET', path).status_code != 404:
        time.sleep(poll)


def cases_for(name, metric, unit, rates):
    cases = []
    one = rates[1]
    for conductors in (2, 3):
        ratio = rates[conductors] / one
        cases.append({
            'case': '%s_%d_conductors' % (name, conductors),
            'metric': '%s with %d conductors vs 1' % (metric, conductors),
            'unit': unit, 'value': round(rates[conductors], 2),
            'reference': round(one, 2), 'ratio': round(ratio, 3),
            'target': ('ratio >= %.1f' % TARGET if conductors == 3
                       else None),
            'met': ratio >= TARGET if conductors == 3 else None})
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='shorter windows; finishes within two minutes')
    args = parser.parse_args(argv)
    bench = Bench(pods=24, clients=12, window=8 if args.quick else 20)
    try:
        bench.set_up()
        sync, composes = {}, {}
        for conductors in (1, 2, 3):
            sync[conductors] = bench.sync_rate(conductors)
            composes[conductors] = bench.compose_rate(conductors)
    finally:
        bench.clean_up()
    cases = cases_for('sync_throughput',
                      'pods synced per second by the periodic sync',
                      'pods/s', sync)
    cases += cases_for('compose_throughput',
                       'composes (and decomposes) per second of %d clients'
                       % bench.clients, 'composes/s', composes)
    report.print_document('scale_out', cases)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
