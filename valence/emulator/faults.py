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

"""Latency and faults on demand: the bad days of a pod manager.

A pod's faults are one JSON-able document, set from the command line at
start-up and changed at run time through ``/_emulator/faults``. Its keys:

``latency_ms``, ``jitter_ms``
    every matching request waits ``latency_ms`` plus a random share of
    ``jitter_ms`` before it is served.
``error_rate``, ``error_status``, ``retry_after``
    that share of matching requests (0.0 to 1.0) answers ``error_status``
    (500 by default) with the personality's error body; a 503 carries
    ``Retry-After: retry_after``.
``drop_rate``
    that share of matching requests gets no answer: the connection closes.
``hang_rate``, ``hang_seconds``
    that share of matching requests waits ``hang_seconds`` and then drops
    the connection, so clients see their own time-out.
``malformed_rate``, ``truncated_rate``
    that share of matching answers carries a body that is not JSON, or JSON
    cut off half way (with a Content-Length that fits the cut body).
``path_prefix``, ``methods``
    the rate-based faults and the latency above apply only to requests whose
    path starts with ``path_prefix`` and, when ``methods`` is not empty,
    whose method is in it.
``fail``
    named failure points of the personalities, ``{"assemble": true}`` for
    always or ``{"assemble": 2}`` for the next two times; RSD knows
    ``assemble``, ``allocate``, ``attach`` and ``detach``; the DMTF
    personality ``add_resource_block``, ``remove_resource_block`` and
    ``compose``; ExpEther ``attach`` and ``detach``.
``vanish_rate``
    that share of attach requests finds the device gone: it vanishes from
    the inventory just before the attach, as if pulled from the rack
    between the client's inventory read and its attach.

Decisions draw from a random generator seeded with the pod's seed, so a
run with one client is reproducible.
"""

import copy
import random
import threading

DEFAULTS = {
    'latency_ms': 0,
    'jitter_ms': 0,
    'error_rate': 0.0,
    'error_status': 500,
    'retry_after': 1,
    'drop_rate': 0.0,
    'hang_rate': 0.0,
    'hang_seconds': 30.0,
    'malformed_rate': 0.0,
    'truncated_rate': 0.0,
    'path_prefix': '',
    'methods': [],
    'fail': {},
    'vanish_rate': 0.0,
}

_RATES = ('error_rate', 'drop_rate', 'hang_rate', 'malformed_rate',
          'truncated_rate', 'vanish_rate')
_NON_NEGATIVE = ('latency_ms', 'jitter_ms', 'retry_after', 'hang_seconds')


def validate(changes):
    """Check a (partial) faults document; raise ValueError when it is bad."""
    if not isinstance(changes, dict):
        raise ValueError('faults must be a JSON object')
    for key, value in changes.items():
        if key not in DEFAULTS:
            raise ValueError('unknown fault %r' % key)
        if key in _RATES:
            if not _is_number(value) or not 0.0 <= value <= 1.0:
                raise ValueError('%s must be a number from 0 to 1' % key)
        elif key in _NON_NEGATIVE:
            if not _is_number(value) or value < 0:
                raise ValueError('%s must be a number >= 0' % key)
        elif key == 'error_status':
            if not isinstance(value, int) or not 400 <= value <= 599:
                raise ValueError('error_status must be an HTTP error code')
        elif key == 'path_prefix':
            if not isinstance(value, str):
                raise ValueError('path_prefix must be a string')
        elif key == 'methods':
            if (not isinstance(value, list)
                    or not all(isinstance(m, str) for m in value)):
                raise ValueError('methods must be a list of strings')
        elif key == 'fail':
            _validate_fail(value)


def _validate_fail(value):
    if not isinstance(value, dict):
        raise ValueError('fail must map failure points to true or a count')
    for point, times in value.items():
        if times is True or times is False:
            continue
        if not isinstance(times, int) or times < 0:
            raise ValueError('fail.%s must be true, false or a count'
                             % point)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Faults:
    """The faults of one pod, safe to read and change from many threads."""

    def __init__(self, seed=0, initial=None):
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._doc = copy.deepcopy(DEFAULTS)
        if initial:
            self.update(initial)

    def as_dict(self):
        with self._lock:
            return copy.deepcopy(self._doc)

    def update(self, changes):
        """Merge ``changes`` in (``fail`` entries merge one by one)."""
        validate(changes)
        with self._lock:
            for key, value in changes.items():
                if key == 'fail':
                    fail = self._doc['fail']
                    for point, times in value.items():
                        if times is False or times == 0:
                            fail.pop(point, None)
                        else:
                            fail[point] = times
                else:
                    self._doc[key] = copy.deepcopy(value)

    def replace(self, doc):
        validate(doc)
        with self._lock:
            self._doc = copy.deepcopy(DEFAULTS)
        self.update(doc)

    def clear(self):
        with self._lock:
            self._doc = copy.deepcopy(DEFAULTS)

    def applies(self, method, path):
        doc = self._doc
        if not path.startswith(doc['path_prefix']):
            return False
        return not doc['methods'] or method in doc['methods']

    def delay(self):
        """Seconds this request waits before it is served."""
        with self._lock:
            latency = self._doc['latency_ms']
            jitter = self._doc['jitter_ms']
            if jitter:
                latency += self._random.uniform(0, jitter)
        return latency / 1000.0

    def request_fault(self):
        """``'drop'``, ``'hang'``, ``'error'`` or None for this request."""
        with self._lock:
            for kind in ('drop', 'hang', 'error'):
                if self._chance(self._doc[kind + '_rate']):
                    return kind
        return None

    def body_fault(self):
        """``'malformed'``, ``'truncated'`` or None for this answer."""
        with self._lock:
            for kind in ('malformed', 'truncated'):
                if self._chance(self._doc[kind + '_rate']):
                    return kind
        return None

    def error(self):
        """``(status, retry_after)`` of an injected error."""
        with self._lock:
            return self._doc['error_status'], self._doc['retry_after']

    def hang_seconds(self):
        with self._lock:
            return self._doc['hang_seconds']

    def take_failure(self, point):
        """True when failure point ``point`` must fail now (consumes one)."""
        with self._lock:
            times = self._doc['fail'].get(point)
            if times is None:
                return False
            if times is not True:
                if times <= 1:
                    del self._doc['fail'][point]
                else:
                    self._doc['fail'][point] = times - 1
            return True

    def vanish_now(self):
        """True when the device of this attach must vanish first."""
        with self._lock:
            return self._chance(self._doc['vanish_rate'])

    def _chance(self, rate):
        # A rate of 1 must hold every time, whatever the generator says.
        if rate <= 0:
            return False
        return rate >= 1 or self._random.random() < rate
