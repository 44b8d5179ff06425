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

"""Write the notification samples of the documentation from real events.

It needs RabbitMQ (``rabbitmqctl`` on this machine) and, for the Ironic
registration events, the Ironic that the functional tests install::

    .venv/bin/python tools/notification-samples.py

It starts an emulated RSD pod, the all-in-one Valence sending its
notifications to a RabbitMQ virtual host of its own, and
``valence-notification-listener`` there; drives every operation that
emits, good and bad (the emulator's failure points make the bad ones);
and writes the first event of each type to
doc/source/reference/samples/<event type>.json, as the listener printed
it.
"""

import contextlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time

import fixtures
import requests

from valence.tests.fixtures import emulator
from valence.tests.fixtures import ironic
from valence.tests.functional import base

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'doc', 'source', 'reference', 'samples')
PASSWORD = 'sample-pod-password'
GPU = {'processor': {'total_cores': 8}, 'memory': {'capacity_mib': 16384},
       'devices': [{'type': 'GPU', 'count': 1}]}


class Driver:
    """The requests that make Valence emit, with waits where it works in
    the background."""

    def __init__(self, services, pod):
        self.services = services
        self.pod = pod

    def api(self, method, path, status, body=None):
        """The answer's body; ``status`` None takes any error status."""
        response = self.services.api(method, path, json=body)
        if (response.status_code < 400 if status is None
                else response.status_code != status):
            sys.exit('%s %s answered %s: %s' % (method, path,
                                                 response.status_code,
                                                 response.text))
        return response.json() if response.content else None

    def wait(self, condition, what, timeout=120):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                sys.exit('%s did not happen within %ss' % (what, timeout))
            time.sleep(0.2)

    def node(self, uuid):
        return self.api('GET', '/v1/nodes/%s' % uuid, 200)

    def settled(self, uuid, *states):
        self.wait(lambda: self.node(uuid)['state'] in states,
                  'node %s %s' % (uuid, '/'.join(states)))
        return self.node(uuid)

    def compose(self, name):
        node = self.api('POST', '/v1/nodes', 202,
                        {'name': name, 'properties': GPU})
        return self.settled(node['uuid'], 'available', 'compose failed')

    def free_gpu(self):
        return self.api('GET', '/v1/devices?type=GPU&state=free&limit=1',
                        200)['devices'][0]['uuid']

    def devices_of(self, uuid):
        return [d['uuid'] for d in
                self.api('GET', '/v1/nodes/%s/devices' % uuid, 200)['devices']]

    def attach(self, uuid, device):
        self.api('POST', '/v1/nodes/%s/devices' % uuid, 202,
                 {'resource_id': device})
        return self.settled(uuid, 'available')

    def detach(self, uuid, device):
        self.api('DELETE', '/v1/nodes/%s/devices/%s' % (uuid, device), 202)
        return self.settled(uuid, 'available')

    def delete(self, uuid):
        self.api('DELETE', '/v1/nodes/%s' % uuid, 202)
        self.wait(lambda: self.services.api(
            'GET', '/v1/nodes/%s' % uuid).status_code == 404,
            'deleting node %s' % uuid)


def pod_managers(driver):
    podm = driver.api('POST', '/v1/pod_managers', 201, {
        'name': 'rack-1', 'url': driver.pod.url, 'driver': 'redfishv1',
        'description': 'Row 3, rack 1',
        'authentication': [{'type': 'basic', 'auth_items': {
            'username': 'admin', 'password': PASSWORD}}]})
    driver.wait(lambda: driver.api('GET', '/v1/pod_managers/rack-1',
                                   200)['last_sync_at'], 'the first sync')
    driver.api('PATCH', '/v1/pod_managers/rack-1', 200,
               {'description': 'Row 3, rack 1, power domain B'})
    # A pod that answers 500 to everything: the sync fails.
    driver.pod.set_faults({'error_rate': 1.0, 'error_status': 500})
    driver.api('POST', '/v1/devices/sync', 202, {'podm_id': podm['uuid']})
    driver.wait(lambda: driver.api('GET', '/v1/pod_managers/rack-1',
                                   200)['status'] != 'online',
                'the failed sync')
    driver.pod.clear_faults()
    driver.api('POST', '/v1/devices/sync', 202, {'podm_id': podm['uuid']})
    driver.wait(lambda: driver.api('GET', '/v1/pod_managers/rack-1',
                                   200)['status'] == 'online',
                'the pod back online')
    return podm


def nodes(driver, podm, proxy):
    node = driver.compose('node-1')['uuid']
    driver.api('POST', '/v1/nodes/%s/action' % node, 204,
               {'Reset': {'Type': 'On'}})
    gpu = driver.free_gpu()
    driver.attach(node, gpu)
    driver.detach(node, gpu)
    if proxy:
        registration(driver, node, proxy)
    failures(driver, node)
    driver.delete(node)

    # A node composed on the pod directly, then imported.
    http = driver.pod.session()
    location = http.post(driver.pod.url + '/redfish/v1/Nodes/Actions/Allocate',
                         json={'Name': 'outside'}, timeout=30
                         ).headers['Location']
    index = location.rstrip('/').rsplit('/', 1)[-1]
    imported = driver.api('POST', '/v1/nodes/manage', 201,
                          {'node_index': index, 'podm_id': podm['uuid']})
    driver.api('POST', '/v1/nodes/manage', None,
               {'node_index': '999999', 'podm_id': podm['uuid']})
    driver.delete(imported['uuid'])


def registration(driver, node, proxy):
    """Register and unregister; then Ironic refuses each once."""
    path = '/v1/nodes/%s/' % node
    driver.api('POST', path + 'register', 202, {'driver': 'fake-hardware'})
    driver.wait(lambda: driver.node(node)['ironic_node_uuid'],
                'the Ironic registration')
    driver.api('POST', path + 'unregister', 202, {})
    driver.wait(lambda: not driver.node(node)['ironic_node_uuid'],
                'the removal from Ironic')
    proxy.refuse = 'POST'
    driver.api('POST', path + 'register', 202, {'driver': 'fake-hardware'})
    driver.wait(lambda: driver.node(node)['last_error'],
                'the refused registration')
    proxy.refuse = None
    driver.api('POST', path + 'register', 202, {'driver': 'fake-hardware'})
    driver.wait(lambda: driver.node(node)['ironic_node_uuid'],
                'the second registration')
    proxy.refuse = 'DELETE'
    driver.api('POST', path + 'unregister', 202, {})
    driver.wait(lambda: driver.node(node)['last_error'],
                'the refused removal')
    proxy.refuse = None


class RefusingProxy(http.server.ThreadingHTTPServer):
    """Passes requests to Ironic, but answers 409 to the method in
    ``refuse``, as Ironic does to a node another operation holds: Ironic
    saying no, on cue."""

    def __init__(self, target):
        super().__init__(('127.0.0.1', 0), ProxyHandler)
        self.target = target
        self.refuse = None
        self.url = 'http://127.0.0.1:%d' % self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


class ProxyHandler(http.server.BaseHTTPRequestHandler):

    def _relay(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else None
        if self.command == self.server.refuse:
            status, headers = 409, {'Content-Type': 'application/json'}
            content = json.dumps({'error_message': json.dumps({
                'faultstring': self._refusal(body),
                'faultcode': 'Client', 'debuginfo': None})}).encode()
        else:
            answer = requests.request(
                self.command, self.server.target + self.path, data=body,
                headers={k: v for k, v in self.headers.items()
                         if k.lower() != 'host'}, timeout=60)
            status, headers = answer.status_code, answer.headers
            content = answer.content
        self.send_response(status)
        for name in ('Content-Type', 'Location', 'X-OpenStack-Ironic-API-'
                     'Version', 'X-OpenStack-Ironic-API-Minimum-Version',
                     'X-OpenStack-Ironic-API-Maximum-Version'):
            if name in headers:
                self.send_header(name, headers[name])
        self.send_header('Content-Length', str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _refusal(self, body):
        """What Ironic says when it refuses this request with a 409."""
        if self.command == 'POST':
            return 'A node with name %s already exists.' % json.loads(
                body or b'{}').get('name')
        return ('Node %s is locked by host ironic-1, please retry after '
                'the current operation is completed.'
                % self.path.rsplit('/', 1)[-1])

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _relay

    def log_message(self, *args):
        pass


def failures(driver, node):
    """The error events: the pod refuses at each step."""
    gpu = driver.free_gpu()
    driver.pod.fail('attach', 1)
    driver.attach(node, gpu)
    driver.attach(node, gpu)
    driver.pod.fail('detach', 1)
    driver.detach(node, gpu)
    driver.detach(node, gpu)
    refuse = {'error_rate': 1.0, 'error_status': 500,
              'path_prefix': '/redfish/v1/Nodes/'}
    driver.pod.set_faults(dict(refuse, methods=['POST']))
    driver.api('POST', '/v1/nodes/%s/action' % node, None,
               {'Reset': {'Type': 'ForceOff'}})
    driver.pod.set_faults(dict(refuse, methods=['DELETE']))
    driver.api('DELETE', '/v1/nodes/%s' % node, 202)
    driver.settled(node, 'available', 'cleanup_needed', 'compose failed')
    driver.pod.clear_faults()
    driver.pod.fail('assemble', 1)
    failed = driver.compose('node-2')
    driver.delete(failed['uuid'])


def read_events(path, wanted, timeout=30):
    """The listener's lines, once every ``wanted`` type is among them."""
    deadline = time.monotonic() + timeout
    while True:
        with open(path) as f:
            events = [json.loads(line) for line in f if line.strip()]
        missing = wanted - {e['event_type'] for e in events}
        if not missing or time.monotonic() > deadline:
            return events, missing
        time.sleep(0.5)


def write_samples(events):
    os.makedirs(SAMPLES, exist_ok=True)
    written = set()
    for event in events:
        if event['event_type'] in written:
            continue
        written.add(event['event_type'])
        with open(os.path.join(SAMPLES, event['event_type'] + '.json'),
                  'w') as f:
            json.dump(event, f, indent=2, sort_keys=True)
            f.write('\n')
    return sorted(written)


def expected(with_ironic):
    actions = ['compose', 'delete', 'manage', 'power_set', 'attach',
               'detach']
    if with_ironic:
        actions += ['register', 'unregister']
    types = {'valence.pod_manager.%s.end' % a
             for a in ('create', 'update', 'delete')}
    types |= {'valence.inventory.sync.%s' % p
              for p in ('start', 'end', 'error')}
    types |= {'valence.node.%s.%s' % (a, p) for a in actions
              for p in ('start', 'end', 'error')}
    return types


def main():
    reason = base.rabbit_unavailable()
    if reason:
        sys.exit(reason)
    with contextlib.ExitStack() as stack:
        vhost = stack.enter_context(base.RabbitVhost())
        pod = stack.enter_context(emulator.EmulatorFixture(
            'rsd', seed=7, systems=6, devices=24, password=PASSWORD))
        options = {'conductor': {'recovery_interval': 2}}
        proxy = None
        if not ironic.unavailable():
            server = stack.enter_context(ironic.IronicFixture())
            proxy = RefusingProxy(server.url)
            stack.callback(proxy.shutdown)
            options['ironic'] = dict(server.valence_options(),
                                     endpoint_override=proxy.url)
        else:
            print('No Ironic: the register and unregister samples are '
                  'left as they are.')
        tempdir = stack.enter_context(fixtures.TempDir()).path
        services = stack.enter_context(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            transport_url=vhost.url, options=options))
        out = os.path.join(tempdir, 'events.jsonl')
        with open(out, 'w') as f:
            listener = subprocess.Popen(
                [base.bin_path('valence-notification-listener'),
                 '--config-file', services.write_config('listener')],
                stdout=f)
        stack.callback(listener.wait)
        stack.callback(listener.terminate)
        driver = Driver(services, pod)
        podm = pod_managers(driver)
        nodes(driver, podm, proxy)
        driver.api('DELETE', '/v1/pod_managers/%s' % podm['uuid'], 204)
        events, missing = read_events(out, expected(bool(proxy)))
        for name in write_samples(events):
            print('wrote samples/%s.json' % name)
        if missing:
            sys.exit('No sample of: %s' % ', '.join(sorted(missing)))


if __name__ == '__main__':
    try:
        main()
    except requests.RequestException as e:
        sys.exit('Valence did not answer: %s' % e)
