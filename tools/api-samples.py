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

"""Write the api-ref samples from real answers of a running Valence.

Start the all-in-one service and an emulator first (see README.rst), then::

    .venv/bin/python tools/api-samples.py http://127.0.0.1:8181 \\
        http://127.0.0.1:8443

Every request and answer body goes to api-ref/source/samples/, so the
samples show what the API really says.
"""

import json
import os
import sys
import time

import requests

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'api-ref', 'source', 'samples')


def write(name, document):
    with open(os.path.join(SAMPLES, name), 'w') as f:
        json.dump(document, f, indent=4, sort_keys=False)
        f.write('\n')


def call(api, method, path, name=None, body=None, status=200):
    response = requests.request(method, api + path, json=body, timeout=60)
    if response.status_code != status:
        sys.exit('%s %s answered %s: %s' % (method, path,
                                            response.status_code,
                                            response.text))
    if name and body is not None:
        write('%s-request.json' % name, body)
    if name and response.content:
        write('%s-response.json' % name, response.json())
    return response.json() if response.content else None


def main(api, pod_url):
    api = api.rstrip('/')
    call(api, 'GET', '/', 'versions')
    call(api, 'GET', '/v1', 'v1')
    create = {
        'name': 'rack-1', 'url': pod_url, 'driver': 'redfishv1',
        'description': 'Row 3, rack 1',
        'authentication': [{'type': 'basic', 'auth_items': {
            'username': 'admin', 'password': 'password'}}]}
    podm = call(api, 'POST', '/v1/pod_managers', 'pod-manager-create',
                create, status=201)
    path = '/v1/pod_managers/%s' % podm['uuid']
    inventory_samples(api, podm)
    flavor_samples(api)
    node_samples(api, podm, pod_url)
    conductor_samples(api)
    call(api, 'GET', '/v1/pod_managers', 'pod-managers-list')
    call(api, 'GET', path, 'pod-manager-show')
    call(api, 'PATCH', path, 'pod-manager-update',
         {'description': 'Row 3, rack 1, moved to power domain B'})
    call(api, 'DELETE', path, status=204)
    error = requests.get(api + path, timeout=60).json()
    write('error-response.json', error)


def conductor_samples(api):
    conductors = call(api, 'GET', '/v1/conductors', 'conductors-list')
    call(api, 'GET', '/v1/conductors?detail=true', 'conductors-list-detail')
    hostname = conductors['conductors'][0]['hostname']
    call(api, 'GET', '/v1/conductors/%s' % hostname, 'conductor-show')


def inventory_samples(api, podm):
    """The pod is synced when it is registered: wait for its devices."""
    deadline = time.monotonic() + 60
    while not call(api, 'GET', '/v1/devices?limit=1')['devices']:
        if time.monotonic() > deadline:
            sys.exit('the pod was not synced within a minute')
        time.sleep(0.5)
    for resource in ('systems', 'storages', 'racks', 'devices'):
        page = call(api, 'GET', '/v1/%s?limit=1' % resource,
                    '%s-list' % resource)
        call(api, 'GET', '/v1/%s/%s' % (resource, page[resource][0]['uuid']),
             '%s-show' % resource)
    call(api, 'POST', '/v1/devices/sync', 'devices-sync',
         {'podm_id': podm['uuid']}, status=202)


def flavor_samples(api):
    """Flavors: an extended body, then one of the original Valence."""
    create = {
        'name': 'gpu-large', 'description': 'Two GPUs for training',
        'properties': {
            'processor': {'model': 'Intel Xeon', 'total_cores': 16,
                          'arch': 'x86_64'},
            'memory': {'capacity_mib': 65536, 'type': 'DDR4'},
            'local_drives': [{'capacity_gib': 480, 'type': 'SSD',
                              'count': 2}],
            'remote_drives': [{'capacity_gib': 1024,
                               'protocol': 'NVMeOverFabrics', 'count': 1}],
            'nics': [{'speed_mbps': 25000, 'count': 2}],
            'devices': [{'type': 'GPU', 'vendor': 'NVIDIA',
                         'model': 'Tesla V100', 'count': 2}]}}
    flavor = call(api, 'POST', '/v1/flavors', 'flavor-create', create,
                  status=201)
    original = {
        'name': 'small', 'description': 'Four cores and a GPU',
        'properties': {
            'processor': {'model': 'Intel Xeon', 'total_cores': '4'},
            'memory': {'capacity_mib': '8192', 'type': 'DDR4'},
            'pci_device': {'type': ['GPU']}}}
    small = call(api, 'POST', '/v1/flavors', 'flavor-create-original',
                 original, status=201)
    path = '/v1/flavors/%s' % flavor['uuid']
    call(api, 'GET', '/v1/flavors', 'flavors-list')
    call(api, 'GET', path, 'flavor-show')
    # properties are replaced whole: the update sends all of them.
    call(api, 'PATCH', path, 'flavor-update',
         {'description': 'Two GPUs for training, more memory',
          'properties': dict(create['properties'], memory={
              'capacity_mib': 131072, 'type': 'DDR4'})})
    call(api, 'DELETE', path, status=204)
    call(api, 'DELETE', '/v1/flavors/%s' % small['uuid'], status=204)


def wait_for(api, path, state):
    """The node once it is in ``state`` (None: once it is gone)."""
    deadline = time.monotonic() + 120
    while True:
        response = requests.get(api + path, timeout=60)
        if state is None and response.status_code == 404:
            return None
        if response.status_code == 200 and response.json()['state'] == state:
            return response.json()
        if time.monotonic() > deadline:
            sys.exit('%s is not %s: %s' % (path, state, response.text))
        time.sleep(0.5)


def node_samples(api, podm, pod_url):
    """Nodes: compose one from a flavor, act on it, delete it; import a
    node composed on the pod directly."""
    call(api, 'POST', '/v1/flavors', body={
        'name': 'gpu-node', 'properties': {
            'processor': {'total_cores': 8}, 'memory': {'capacity_mib': 16384},
            'devices': [{'type': 'GPU', 'count': 1}]}}, status=201)
    node = call(api, 'POST', '/v1/nodes', 'node-compose',
                {'name': 'node-1', 'description': 'Training node',
                 'flavor_id': 'gpu-node'}, status=202)
    path = '/v1/nodes/%s' % node['uuid']
    wait_for(api, path, 'available')
    call(api, 'GET', path, 'node-show')
    call(api, 'GET', '/v1/nodes', 'nodes-list')
    call(api, 'POST', path + '/action', 'node-action-reset',
         {'Reset': {'Type': 'On'}}, status=204)
    call(api, 'POST', path + '/action', 'node-action-boot',
         {'Boot': {'Enabled': 'Once', 'Target': 'Pxe'}}, status=204)
    gpu = call(api, 'GET', '/v1/devices?type=GPU&state=free&limit=1'
               )['devices'][0]['uuid']
    call(api, 'POST', path + '/devices', 'node-device-attach',
         {'resource_id': gpu}, status=202)
    wait_for(api, path, 'available')
    call(api, 'GET', path + '/devices', 'node-devices-list')
    call(api, 'DELETE', path + '/devices/' + gpu, 'node-device-detach',
         status=202)
    wait_for(api, path, 'available')
    call(api, 'POST', path + '/action', 'node-action-attach',
         {'attach': {'resource_id': gpu}}, status=202)
    wait_for(api, path, 'available')
    call(api, 'POST', path + '/action', 'node-action-detach',
         {'detach': {'resource_id': gpu}}, status=202)
    wait_for(api, path, 'available')
    call(api, 'GET', path + '/actions', 'node-actions-list')
    call(api, 'DELETE', path, 'node-delete', status=202)
    wait_for(api, path, None)
    # A node composed on the pod itself, outside Valence, then imported.
    allocated = requests.post(
        pod_url + '/redfish/v1/Nodes/Actions/Allocate',
        json={'Name': 'composed-outside'}, auth=('admin', 'password'),
        timeout=60)
    index = allocated.headers['Location'].rstrip('/').rsplit('/', 1)[-1]
    imported = call(api, 'POST', '/v1/nodes/manage', 'node-manage',
                    {'node_index': index, 'podm_id': podm['uuid'],
                     'name': 'imported-1'}, status=201)
    call(api, 'DELETE', '/v1/nodes/%s' % imported['uuid'], status=202)
    wait_for(api, '/v1/nodes/%s' % imported['uuid'], None)
    call(api, 'DELETE', '/v1/flavors/gpu-node', status=204)


if __name__ == '__main__':
    main(*sys.argv[1:3])
