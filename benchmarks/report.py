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

"""The JSON document every benchmark prints, and timing helpers."""

import json
import os
import platform
import statistics
import sys


def machine():
    return {'platform': platform.platform(),
            'python': platform.python_version(),
            'processor': platform.processor() or platform.machine(),
            'cpus': os.cpu_count()}


def print_document(name, cases):
    """Print the benchmark's result document on stdout."""
    json.dump({'benchmark': name, 'machine': machine(), 'cases': cases},
              sys.stdout, indent=2)
    sys.stdout.write('\n')


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(samples):
    return statistics.median(samples)


def added_latency_case(case, metric, seconds, reference_seconds):
    """A case comparing two medians (samples in seconds, shown in ms) with
    the target of the node operations: at most 15% or 20 ms added."""
    value = statistics.median(seconds) * 1000
    reference = statistics.median(reference_seconds) * 1000
    added = value - reference
    return {'case': case, 'metric': metric, 'unit': 'ms',
            'value': round(value, 1), 'reference': round(reference, 1),
            'ratio': round(value / reference, 3), 'added': round(added, 1),
            'target': 'added <= 15% or <= 20 ms',
            'met': added <= max(0.15 * reference, 20.0)}
