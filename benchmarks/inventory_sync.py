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


"""inventory_sync: what a sync costs against the reads it needs.

For emulated pods of 1k, 10k and 100k resources, each personality in turn,
it times, in one run and with one HTTP session:

* the first sync of the pod (read through the driver, every row written),
* a second sync with nothing changed (which must write no row),
* the bare GETs the driver made, replayed with the same session (each
  answer read and decoded as JSON): the reference;

and, at the largest size, ``GET /v1/devices?limit=1000`` through the API
application, against the database query alone.

Targets: a sync costs at most 1.5x the bare reads; sync time grows
linearly (100k within 110x of 1k); a no-change sync writes nothing; a
page of 1000 devices answers under 100 ms at the median.

    python benchmarks/inventory_sync.py [--quick] [--personality rsd]

prints one JSON document. ``--quick`` stops at 10k resources.
"""

import argparse
import statistics
import tempfile
import time

from oslo_utils import uuidutils
import webob

from valence import cmd  # noqa: F401 (the oslo.service backend)
from valence import conf
from valence import objects
from valence.api import app
from valence.common import context
from valence.common import crypto
from valence.common import rpc
from valence.conductor import drivers
from valence.conductor import inventory
from valence.db import migration
from valence.tests.fixtures import emulator

import report

DRIVERS = {'rsd': 'redfishv1', 'dmtf': 'redfishv2', 'expether': 'expether'}
SIZES = {'1k': '1k', '10k': '10k', '100k': '100k'}


def setup_database():
    workdir = tempfile.mkdtemp(prefix='valence-bench-')
    CONF = conf.CONF
    rpc.register_opts(CONF)
    CONF([], project='valence', default_config_files=[])
    CONF.set_override('connection', 'sqlite:///%s/valence.sqlite' % workdir,
                      group='database')
    CONF.set_override('state_path', workdir)
    CONF.set_override('rpc_transport', 'local')
    CONF.set_override('fernet_keys', [crypto.generate_key()],
                      group='secrets')
    migration.upgrade()
    rpc.init(CONF)


def register(ctx, personality, pod):
    url = pod.url + ('/eem' if personality == 'expether' else '')
    podm = objects.PodManager(
        ctx, uuid=uuidutils.generate_uuid(), name=url, url=url,
        driver=DRIVERS[personality], auth_type='basic',
        username=pod.username, password=pod.password, verify_tls=True,
        status='online')
    podm.create()
    return podm


class Recorder:
    """Records the GETs a requests session makes."""

    def __init__(self, session):
        self.urls = []
        session.hooks['response'].append(self._record)

    def _record(self, response, *args, **kwargs):
        if response.request.method == 'GET':
            self.urls.append(response.request.url)


def bare_reads(session, urls):
    start = time.perf_counter()
    for url in urls:
        response = session.get(url, timeout=600)
        response.raise_for_status()
        response.json()
    return time.perf_counter() - start


def measure_pod(ctx, personality, size, cache):
    pod = emulator.EmulatorFixture(personality, profile=size, timeout=600)
    pod.setUp()
    try:
        podm = register(ctx, personality, pod)
        driver = cache.get(podm)
        driver.get_status()
        recorder = Recorder(driver.session)
        start = time.perf_counter()
        counts = inventory.sync(ctx, podm, driver)
        first = time.perf_counter() - start
        urls = list(recorder.urls)
        start = time.perf_counter()
        again = inventory.sync(ctx, podm, driver)
        second = time.perf_counter() - start
        bare = min(bare_reads(driver.session, urls) for _ in range(2))
        return {'first': first, 'second': second, 'bare': bare,
                'counts': counts, 'again': again, 'gets': len(urls),
                'podm': podm}
    finally:
        pod.cleanUp()


def page_latency(ctx, podm):
    application = app.setup_app()
    path = '/v1/devices?limit=1000&podm_id=%s' % podm.uuid
    api, db = [], []
    for _ in range(20):
        start = time.perf_counter()
        response = webob.Request.blank(path).get_response(application)
        api.append((time.perf_counter() - start) * 1000)
        assert response.status_int == 200, response.text
        start = time.perf_counter()
        objects.Device.list(ctx, filters={'podm_uuid': podm.uuid},
                            limit=1000)
        db.append((time.perf_counter() - start) * 1000)
    return statistics.median(api), statistics.median(db)


def case(name, metric, unit, value, reference, target, met):
    return {'case': name, 'metric': metric, 'unit': unit,
            'value': round(value, 4), 'reference': round(reference, 4),
            'ratio': round(value / reference, 3) if reference else None,
            'target': target, 'met': met}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='stop at 10k resources')
    parser.add_argument('--personality', action='append',
                        choices=sorted(DRIVERS),
                        help='pod personalities to measure (default: all)')
    args = parser.parse_args(argv)
    sizes = ['1k', '10k'] if args.quick else ['1k', '10k', '100k']
    setup_database()
    ctx = context.get_admin_context()
    cache = drivers.DriverCache()
    cases = []
    for personality in args.personality or ['rsd', 'dmtf', 'expether']:
        results = {}
        for size in sizes:
            result = results[size] = measure_pod(ctx, personality, size,
                                                 cache)
            for key, label in (('first', 'first sync'),
                               ('second', 'unchanged sync')):
                ratio = result[key] / result['bare']
                cases.append(case(
                    '%s_%s_%s_sync' % (personality, size, key),
                    '%s of a %s %s pod (%d GETs) vs the bare GETs'
                    % (label, size, personality, result['gets']), 's',
                    result[key], result['bare'], 'ratio <= 1.5',
                    ratio <= 1.5))
            written = sum(result['again'].values())
            cases.append(case(
                '%s_%s_unchanged_writes' % (personality, size),
                'rows written by a sync with nothing changed, vs rows of '
                'the pod', 'rows', written, sum(result['counts'].values()),
                '0 rows', written == 0))
        last = sizes[-1]
        growth = results[last]['first'] / results['1k']['first']
        limit = {'10k': 11, '100k': 110}[last]
        cases.append(case(
            '%s_sync_growth' % personality,
            'first sync at %s vs 1k resources' % last, 's',
            results[last]['first'], results['1k']['first'],
            'ratio <= %d' % limit, growth <= limit))
        if personality == 'rsd':
            api_ms, db_ms = page_latency(ctx, results[last]['podm'])
            cases.append(case(
                'devices_page_%s' % last,
                'median of GET /v1/devices?limit=1000 at %s resources vs '
                'the database query alone' % last, 'ms', api_ms, db_ms,
                '< 100 ms', api_ms < 100))
    report.print_document('inventory_sync', cases)
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
