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

"""rpc_overhead: what the RPC hop to the conductor adds to an API request.

The request is ``PATCH /v1/pod_managers/{uuid}`` with a new description:
the API validates it, and a conductor writes the change and sends its
notification. It is served three ways, in one run, on one database:

* ``direct`` (the reference): the API calls the conductor manager of its
  own process as a plain Python call, with no RPC at all;
* ``local``: through the ``local`` RPC transport of the all-in-one service
  (the RPC API, the serializer both ways, the same process);
* ``oslo``: through oslo.messaging over RabbitMQ to a ``valence-conductor``
  process.

The API application is called in-process (no HTTP server), so only the RPC
hop differs. Targets: the local transport adds under 0.5 ms and the
RabbitMQ path under 5 ms to the median.

    python benchmarks/rpc_overhead.py [--quick]

prints one JSON document.
"""

import argparse
import json
import sys
import tempfile
import time

import webob

from valence import cmd  # noqa: F401 (the oslo.service backend)
from valence import conf
from valence import objects
from valence.api import app
from valence.common import context
from valence.common import crypto
from valence.common import rpc
from valence.conductor import manager
from valence.conductor import rpcapi
from valence.db import migration
from valence.tests.functional import base as functional

import report

TARGETS_MS = {'local': 0.5, 'oslo': 5.0}


class PassThrough:
    """A serializer that hands over the very objects: no copy, no RPC."""

    def serialize_entity(self, ctxt, entity):
        return entity

    deserialize_entity = serialize_entity

    def serialize_context(self, ctxt):
        return ctxt

    deserialize_context = serialize_context


class DirectConductorAPI(rpcapi.ConductorAPI):
    """The RPC API calling this process's conductor manager directly."""

    def __init__(self):
        super().__init__()
        self.client = rpc.LocalClient(None, PassThrough())


def request(application, method, path, body=None):
    req = webob.Request.blank(path, method=method)
    if body is not None:
        req.body = json.dumps(body).encode()
        req.content_type = 'application/json'
    response = req.get_response(application)
    if response.status_int >= 400:
        raise RuntimeError('%s %s: %s' % (method, path, response.text))
    return response


def timings(application, path, count):
    """Milliseconds of ``count`` PATCH requests, after a warm-up."""
    samples = []
    for i in range(count + count // 10):
        body = {'description': 'patch %d' % i}
        start = time.perf_counter()
        request(application, 'PATCH', path, body)
        if i >= count // 10:
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def interleaved(apps, path, count, rounds):
    """Samples per app, measured in alternating blocks to share drift."""
    samples = {name: [] for name in apps}
    for _ in range(rounds):
        for name, application in apps.items():
            samples[name] += timings(application, path, count // rounds)
    return samples


def cases(samples, reference, names):
    found = []
    ref_median = report.median(samples[reference])
    ref_p99 = report.percentile(samples[reference], 0.99)
    for name in names:
        median = report.median(samples[name])
        p99 = report.percentile(samples[name], 0.99)
        added = median - ref_median
        found.append({
            'case': '%s_median' % name,
            'metric': 'median latency of PATCH /v1/pod_managers/{uuid} '
                      'over the %s transport vs no RPC' % name,
            'unit': 'ms', 'value': round(median, 3),
            'reference': round(ref_median, 3),
            'ratio': round(median / ref_median, 3),
            'added': round(added, 3),
            'target': 'added <= %s ms' % TARGETS_MS[name],
            'met': added <= TARGETS_MS[name]})
        found.append({
            'case': '%s_p99' % name,
            'metric': '99th percentile latency over the %s transport vs '
                      'no RPC' % name,
            'unit': 'ms', 'value': round(p99, 3),
            'reference': round(ref_p99, 3),
            'ratio': round(p99 / ref_p99, 3),
            'added': round(p99 - ref_p99, 3),
            'target': None, 'met': None})
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='fewer requests; finishes within a minute')
    args = parser.parse_args(argv)
    count, rounds = (600, 3) if args.quick else (3000, 5)

    workdir = tempfile.mkdtemp(prefix='valence-bench-')
    db_url = 'sqlite:///%s/valence.sqlite' % workdir
    CONF = conf.CONF
    rpc.register_opts(CONF)
    CONF([], project='valence', default_config_files=[])
    CONF.set_override('connection', db_url, group='database')
    CONF.set_override('state_path', workdir)
    CONF.set_override('rpc_transport', 'local')
    CONF.set_override('retries', 0, group='podmanager')
    CONF.set_override('fernet_keys', [crypto.generate_key()],
                      group='secrets')
    migration.upgrade()

    # The direct and local cases: a conductor manager in this process.
    rpc.init(CONF)
    ctx = context.get_admin_context()
    conductor = manager.ConductorManager('bench')
    objects.Conductor.register(ctx, 'bench', conductor.drivers.names)
    rpc.set_local_endpoint(conductor, workers=4)
    local_app = app.setup_app()
    podm = request(local_app, 'POST', '/v1/pod_managers', {
        'name': 'bench', 'url': 'http://127.0.0.1:9',
        'authentication': [{'type': 'basic', 'auth_items': {
            'username': 'u', 'password': 'p'}}]}).json
    path = '/v1/pod_managers/%s' % podm['uuid']
    direct_app = app.setup_app(rpcapi=DirectConductorAPI())
    samples = interleaved({'direct': direct_app, 'local': local_app}, path,
                          count, rounds)
    results = cases(samples, 'direct', ['local'])

    # The oslo case: a valence-conductor process over RabbitMQ.
    reason = functional.rabbit_unavailable()
    if reason:
        print('RabbitMQ case not run: %s' % reason, file=sys.stderr)
    else:
        vhost = functional.RabbitVhost()
        vhost.setUp()
        services = functional.ValenceServices('split', db_url,
                                              transport_url=vhost.url)
        try:
            services.setUp()
            # From now on only the conductor process serves the pod.
            for registered in objects.Conductor.list(ctx):
                if registered.hostname == 'bench':
                    registered.unregister()
            rpc.cleanup()
            CONF.set_override('rpc_transport', 'oslo')
            CONF.set_override('transport_url', vhost.url)
            rpc.init(CONF)
            rpc.set_local_endpoint(conductor, workers=4)
            oslo_app = app.setup_app()
            direct_app = app.setup_app(rpcapi=DirectConductorAPI())
            samples = interleaved({'direct': direct_app, 'oslo': oslo_app},
                                  path, count, rounds)
            results += cases(samples, 'direct', ['oslo'])
        finally:
            rpc.cleanup()
            services.cleanUp()
            vhost.cleanUp()
    report.print_document('rpc_overhead', results)
    return 0


if __name__ == '__main__':
    sys.exit(main())
