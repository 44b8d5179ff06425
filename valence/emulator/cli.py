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

"""The ``valence-emulator`` command line."""

import argparse
import signal
import sys
import threading

from valence.emulator import pod
from valence.emulator import server

#: Named inventory sizes: (systems, pooled devices).
PROFILES = {
    'tiny': (2, 4),
    'rack': (32, 96),
    '1k': (100, 900),
    '10k': (1000, 9000),
    '100k': (10000, 90000),
}

_EPILOG = """\
faults (also settable at run time through /_emulator/faults):
  rates are shares of requests from 0 to 1 and apply to the requests that
  match --fault-path and --fault-method (all requests by default). The
  control endpoint /_emulator is never subject to faults.

failure points for --fail:
  rsd       allocate, assemble, attach, detach
  dmtf      compose, add_resource_block, remove_resource_block
  expether  attach, detach

examples:
  valence-emulator --personality rsd --port 8000
  valence-emulator --pod rsd:8001 --pod expether:8002 --profile rack
  valence-emulator --personality expether --port 0 --ready-file /tmp/ready
  valence-emulator --port 8443 --tls --error-rate 0.1 --error-status 503
"""


def _pod_spec(text):
    personality, sep, port = text.partition(':')
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(
            'expected PERSONALITY:PORT, got %r' % text)
    return personality, int(port)


def _fail_spec(text):
    point, sep, times = text.partition(':')
    if not sep:
        return point, True
    if not times.isdigit():
        raise argparse.ArgumentTypeError(
            'expected POINT or POINT:COUNT, got %r' % text)
    return point, int(times)


def _rate(text):
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError('a rate is from 0 to 1')
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog='valence-emulator',
        description='Redfish and ExpEther pod managers to compose against: '
                    'RSD 2.x PODM, DMTF Composition Service and NEC ExpEther '
                    'EEM, with generated inventories, latency and faults.',
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--personality', default='rsd',
                        choices=sorted(pod.PERSONALITIES),
                        help='kind of pod to serve (default: rsd)')
    parser.add_argument('--port', type=int, default=8000,
                        help='port to listen on; 0 takes a free one '
                             '(default: 8000)')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default: 127.0.0.1)')
    parser.add_argument('--pod', action='append', type=_pod_spec,
                        metavar='PERSONALITY:PORT',
                        help='serve one more pod; repeat for several pods '
                             'in one process (replaces --personality and '
                             '--port; pod N uses seed SEED+N)')
    size = parser.add_argument_group('inventory')
    size.add_argument('--seed', type=int, default=0,
                      help='seed of the generated inventory (default: 0)')
    size.add_argument('--profile', choices=list(PROFILES),
                      help='named size: tiny (6 resources), rack (128), 1k, '
                           '10k, 100k')
    size.add_argument('--systems', type=int,
                      help='compute systems (ExpEther: servers)')
    size.add_argument('--devices', type=int,
                      help='pooled devices (GPUs, NVMe drives, NICs, FPGAs, '
                           'volumes; ExpEther: I/O devices)')
    size.add_argument('--state-file',
                      help='keep compositions in this JSON file across '
                           'restarts')
    access = parser.add_argument_group('access')
    access.add_argument('--username', default='admin',
                        help='user name for basic auth and sessions '
                             '(default: admin)')
    access.add_argument('--password', default='password',
                        help='password (default: password)')
    access.add_argument('--tls', action='store_true',
                        help='serve HTTPS with a self-signed certificate '
                             'made at start-up')
    access.add_argument('--cert-dir',
                        help='where --tls writes cert.pem and key.pem')
    access.add_argument('--threads', type=int, default=16,
                        help='worker threads per pod (default: 16)')
    access.add_argument('--ready-file',
                        help='write {"pods": [{"personality", "port", "url"}]'
                             '} as JSON here once every pod listens')
    bad = parser.add_argument_group('latency and faults')
    bad.add_argument('--latency-ms', type=float, default=0,
                     help='fixed delay added to every request')
    bad.add_argument('--jitter-ms', type=float, default=0,
                     help='random extra delay, up to this much')
    bad.add_argument('--error-rate', type=_rate, default=0.0,
                     help='share of requests answered with --error-status')
    bad.add_argument('--error-status', type=int, default=500,
                     help='status of injected errors (default: 500); 503 '
                          'carries Retry-After')
    bad.add_argument('--retry-after', type=int, default=1,
                     help='Retry-After seconds of injected 503s')
    bad.add_argument('--drop-rate', type=_rate, default=0.0,
                     help='share of requests whose connection closes with '
                          'no answer')
    bad.add_argument('--hang-rate', type=_rate, default=0.0,
                     help='share of requests that hang, then drop')
    bad.add_argument('--hang-seconds', type=float, default=30.0,
                     help='how long a hanging request hangs (default: 30)')
    bad.add_argument('--malformed-rate', type=_rate, default=0.0,
                     help='share of answers whose body is not JSON')
    bad.add_argument('--truncated-rate', type=_rate, default=0.0,
                     help='share of answers whose JSON is cut in half')
    bad.add_argument('--fault-path', default='',
                     help='apply latency and rate faults only to paths '
                          'starting with this')
    bad.add_argument('--fault-method', action='append', default=[],
                     help='apply them only to this method (repeatable)')
    bad.add_argument('--fail', action='append', type=_fail_spec, default=[],
                     metavar='POINT[:COUNT]',
                     help='make a failure point fail always, or COUNT times')
    bad.add_argument('--vanish-rate', type=_rate, default=0.0,
                     help='share of attach requests whose device vanishes '
                          'just before the attach')
    return parser


def faults_from_args(args):
    return {
        'latency_ms': args.latency_ms,
        'jitter_ms': args.jitter_ms,
        'error_rate': args.error_rate,
        'error_status': args.error_status,
        'retry_after': args.retry_after,
        'drop_rate': args.drop_rate,
        'hang_rate': args.hang_rate,
        'hang_seconds': args.hang_seconds,
        'malformed_rate': args.malformed_rate,
        'truncated_rate': args.truncated_rate,
        'path_prefix': args.fault_path,
        'methods': [m.upper() for m in args.fault_method],
        'fail': dict(args.fail),
        'vanish_rate': args.vanish_rate,
    }


def pod_options(args):
    """The PodOptions of every pod the command line asks for."""
    systems, devices = PROFILES.get(args.profile, (None, None))
    if args.systems is not None:
        systems = args.systems
    if args.devices is not None:
        devices = args.devices
    specs = args.pod or [(args.personality, args.port)]
    options = []
    for index, (personality, port) in enumerate(specs):
        if personality not in pod.PERSONALITIES:
            raise ValueError('unknown personality %r' % personality)
        options.append(pod.PodOptions(
            personality=personality, port=port, seed=args.seed + index,
            systems=systems, devices=devices, username=args.username,
            password=args.password, faults=faults_from_args(args)))
    return options


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        emulator = server.Emulator(
            pod_options(args), host=args.host, tls_enabled=args.tls,
            state_path=args.state_file, threads=args.threads,
            cert_dir=args.cert_dir)
        emulator.start()
    except (ValueError, OSError) as e:
        print('valence-emulator: %s' % e, file=sys.stderr)
        return 2
    for entry in emulator.urls():
        print('valence-emulator: %(personality)s pod at %(url)s' % entry,
              flush=True)
    if args.ready_file:
        emulator.write_ready_file(args.ready_file)

    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    while not done.wait(1):
        pass
    emulator.stop()
    return 0
