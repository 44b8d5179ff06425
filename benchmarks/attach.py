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


"""attach: what Valence adds to attaching and detaching a pooled device.

Against one emulated DMTF pod, in one run, it times the round trip of
attaching a device to a composed node and detaching it again:

* through the API: ``POST /v1/nodes/{uuid}/devices``, polling the node
  (every 2 ms) until it is ``available`` again, then ``DELETE
  /v1/nodes/{uuid}/devices/{device}`` likewise, on the all-in-one service,
  by a client that keeps its connection open as keystoneauth sessions do;
* the reference: the driver's own ``attach_device`` and ``detach_device``
  on another node of the same pod (the pod calls Valence makes, nothing
  else).

Target: Valence adds at most 15% or 20 ms to the median.

    python benchmarks/attach.py [--quick]

prints one JSON document.
"""

import argparse
import time

import requests

from valence import cmd  # noqa: F401 (the oslo.service backend)
from valence.podmanagers.redfishv2 import driver as dmtf_driver

import allinone
import report


class Client:
    """Calls the API over one kept-open connection."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()

    def __call__(self, method, path, **kwargs):
        return self.session.request(method, self.url + path, timeout=60,
                                    **kwargs)


def wait_available(api, node_uuid):
    while True:
        node = api('GET', '/v1/nodes/%s' % node_uuid).json()
        if node['state'] == 'available':
            assert not node['last_error'], node['last_error']
            return
        time.sleep(0.002)


def api_round_trip(api, node_uuid, device_uuid):
    start = time.perf_counter()
    answer = api('POST', '/v1/nodes/%s/devices' % node_uuid,
                 json={'resource_id': device_uuid})
    assert answer.status_code == 202, answer.text
    wait_available(api, node_uuid)
    answer = api('DELETE', '/v1/nodes/%s/devices/%s'
                 % (node_uuid, device_uuid))
    assert answer.status_code == 202, answer.text
    wait_available(api, node_uuid)
    return time.perf_counter() - start


def direct_round_trip(driver, node_uri, device_uri):
    start = time.perf_counter()
    driver.attach_device(node_uri, device_uri)
    driver.detach_device(node_uri, device_uri)
    return time.perf_counter() - start


def compose(api, name):
    node = api('POST', '/v1/nodes', json={'name': name, 'properties': {}})
    assert node.status_code == 202, node.text
    wait_available(api, node.json()['uuid'])
    return api('GET', '/v1/nodes/%s' % node.json()['uuid']).json()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='fewer samples; finishes within a minute')
    args = parser.parse_args(argv)
    samples = 15 if args.quick else 60

    with allinone.service_with_pod('dmtf', systems=4,
                                   devices=8) as (services, pod):
        api = Client(services.url)
        api_node = compose(api, 'api')
        direct_node = compose(api, 'direct')
        free = api('GET', '/v1/devices?state=free&type=GPU'
                   '&limit=2').json()['devices']
        api_device, direct_device = free[0], free[1]
        driver = allinone.driver(pod, dmtf_driver.RedfishV2Driver)
        api_round_trip(api, api_node['uuid'], api_device['uuid'])
        direct_round_trip(driver, direct_node['resource_uri'],
                          direct_device['resource_uri'])
        api_times, direct_times = [], []
        for _ in range(samples):
            api_times.append(api_round_trip(api, api_node['uuid'],
                                            api_device['uuid']))
            direct_times.append(direct_round_trip(
                driver, direct_node['resource_uri'],
                direct_device['resource_uri']))
        driver.close()
    report.print_document('attach', [report.added_latency_case(
        'attach_detach_round_trip',
        'median attach and detach of a device through the API '
        "vs the driver's own calls", api_times, direct_times)])
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
