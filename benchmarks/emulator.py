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

"""Does the emulator's serving cost grow with its inventory?

Requests per second of one client (keep-alive, one request at a time)
against RSD pods of different sizes, each started here as a real
valence-emulator process and stopped after:

``get_resource``
    GET of one system, picked at random, at 100k resources against 1k.
``expand_page_100``
    GET of 100 expanded systems (``$expand=.&$top=100``, from the middle
    of the collection), at 100k resources against 1k.
``expand_10000_members``
    GET of the whole 10,000-member Systems collection with ``$expand=.``
    at 100k resources, against a pod that holds just those 10,000 systems
    (no smaller inventory has a 10,000-member collection).

``ratio`` is the reference's rate over the measured rate: how many times
dearer a request is at 100k. The target is a ratio of at most 1.2.

    python benchmarks/emulator.py [--quick]

prints one JSON document.
"""

import argparse
import random
import sys
import time

import requests

from valence.tests.fixtures import emulator

import report

TARGET = 1.2
# (systems, devices) of each pod.
PODS = {'1k': (100, 900), '10k-systems-only': (10000, 0),
        '100k': (10000, 90000)}


def rate(session, urls, seconds, rounds):
    """Best requests per second over ``rounds`` runs of ``seconds``."""
    for url in urls[:5]:
        session.get(url, timeout=60).raise_for_status()
    best = 0.0
    for _ in range(rounds):
        count = 0
        start = time.perf_counter()
        while True:
            resp = session.get(urls[count % len(urls)], timeout=60)
            resp.raise_for_status()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, count / elapsed)
    return best


def case(name, metric, value, reference):
    ratio = reference / value if value else float('inf')
    return {'case': name, 'metric': metric, 'unit': 'requests/s',
            'value': round(value, 2), 'reference': round(reference, 2),
            'ratio': round(ratio, 3), 'target': '<= %s' % TARGET,
            'met': ratio <= TARGET}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='shorter runs; finishes within a minute')
    args = parser.parse_args(argv)
    seconds, rounds = (1.5, 2) if args.quick else (5.0, 3)
    rng = random.Random(0)
    rates = {}
    for name, (systems, devices) in PODS.items():
        fixture = emulator.EmulatorFixture('rsd', systems=systems,
                                           devices=devices)
        fixture.setUp()
        try:
            session = requests.Session()
            session.auth = fixture.auth
            base = fixture.url + '/redfish/v1/Systems'
            one = [base + '/%d' % rng.randint(1, systems)
                   for _ in range(200)]
            middle = max(0, systems // 2 - 50)
            page = [base + '?$expand=.&$top=100&$skip=%d' % middle]
            whole = [base + '?$expand=.']
            if name != '10k-systems-only':
                rates[name, 'one'] = rate(session, one, seconds, rounds)
                rates[name, 'page'] = rate(session, page, seconds, rounds)
            if systems == 10000:
                rates[name, 'whole'] = rate(session, whole, seconds, rounds)
            session.close()
        finally:
            fixture.cleanUp()
    report.print_document('emulator', [
        case('get_resource', 'GET one system at 100k vs 1k resources',
             rates['100k', 'one'], rates['1k', 'one']),
        case('expand_page_100',
             'GET 100 expanded systems at 100k vs 1k resources',
             rates['100k', 'page'], rates['1k', 'page']),
        case('expand_10000_members',
             'GET 10,000 expanded systems at 100k vs 10k resources',
             rates['100k', 'whole'], rates['10k-systems-only', 'whole']),
    ])
    return 0


if __name__ == '__main__':
    sys.exit(main())
