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


"""compose: what Valence adds to composing a node, end to end.

Against one emulated RSD pod, in one run, it times:

* composing through the API: ``POST /v1/nodes`` until ``GET`` shows the
  node ``available`` (polled every 5 ms; every 50 ms when 8 clients run
  at once), on the all-in-one service;
* the reference: the same composition made directly with the driver's
  ``compose`` (the Redfish calls Valence makes for it, nothing else);

then the composes per second of 8 clients through the API against 8
threads calling the driver directly. Every node is decomposed again
between samples (untimed). Target: Valence adds at most 15% or 20 ms to
the median.

    python benchmarks/compose.py [--quick]

prints one JSON document.
"""

import argparse
import concurrent.futures
import time

from valence import cmd  # noqa: F401 (the oslo.service backend)
from valence.podmanagers import base as driver_base
from valence.podmanagers.redfishv1 import driver as rsd_driver

import allinone
import report

PROPERTIES = {'processor': {'total_cores': 8},
              'memory': {'capacity_mib': 16384}}


def api_compose(services, name, poll=0.005):
    start = time.perf_counter()
    node = services.api('POST', '/v1/nodes', json={
        'name': name, 'properties': PROPERTIES})
    assert node.status_code == 202, node.text
    uuid = node.json()['uuid']
    while True:
        state = services.api('GET', '/v1/nodes/%s' % uuid).json()['state']
        if state == 'available':
            elapsed = time.perf_counter() - start
            break
        assert state not in ('compose failed', 'cleanup_needed'), state
        time.sleep(poll)
    deleted = services.api('DELETE', '/v1/nodes/%s' % uuid)
    assert deleted.status_code == 202, deleted.text
    while services.api('GET', '/v1/nodes/%s' % uuid).status_code != 404:
        time.sleep(poll)
    return elapsed


def direct_compose(driver, name):
    request = driver_base.ComposeRequest(
        name=name, processor=driver_base.ProcessorRequirement(cores=8),
        memory=driver_base.MemoryRequirement(capacity_mib=16384))
    start = time.perf_counter()
    node = driver.compose(request, lambda step, uri: None)
    elapsed = time.perf_counter() - start
    driver.delete_node(node.uri)
    return elapsed


def rate(func, clients, seconds):
    """Operations per second of ``clients`` threads running ``func``."""
    deadline = time.monotonic() + seconds
    done = []

    def loop(client):
        count = 0
        while time.monotonic() < deadline:
            func('c%d-%d' % (client, count))
            count += 1
        done.append(count)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(loop, range(clients)))
    return sum(done) / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='fewer samples; finishes within a minute')
    args = parser.parse_args(argv)
    samples, seconds = (8, 6) if args.quick else (30, 20)

    with allinone.service_with_pod('rsd', systems=16,
                                   devices=32) as (services, pod):
        driver = allinone.driver(pod, rsd_driver.RedfishV1Driver)
        # Warm both paths up, then alternate them sample by sample.
        api_compose(services, 'warm')
        direct_compose(driver, 'warm')
        api_times, direct_times = [], []
        for i in range(samples):
            api_times.append(api_compose(services, 'a%d' % i))
            direct_times.append(direct_compose(driver, 'd%d' % i))
        cases = [report.added_latency_case(
            'compose_latency',
            'median time from POST /v1/nodes to available vs '
            "the driver's own compose", api_times, direct_times)]
        # Eight clients polling every 5 ms would load the API more than the
        # composes do: they poll every 50 ms here.
        api_rate = rate(lambda name: api_compose(services, name, 0.05), 8,
                        seconds)
        direct_rate = rate(lambda name: direct_compose(driver, name), 8,
                           seconds)
        cases.append({
            'case': 'compose_throughput_8_clients',
            'metric': 'composes (and decomposes) per second with 8 clients '
                      'through the API vs 8 threads calling the driver',
            'unit': 'composes/s', 'value': round(api_rate, 2),
            'reference': round(direct_rate, 2),
            'ratio': round(api_rate / direct_rate, 3),
            'target': None, 'met': None})
        driver.close()
    report.print_document('compose', cases)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
