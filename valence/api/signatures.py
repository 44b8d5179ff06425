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

"""Read each function's signature once, not on every request.

Three libraries on the path of every API request read a signature with
``inspect`` each time they call something:

* Pecan's REST routing, for the controller methods on its way (``get_one``,
  ``get``, ``post``...), a dozen times per request, through
  ``pecan.util._getargspec``, building a new namedtuple class each time;
* oslo.policy, for every node of a rule it evaluates (whether the check
  takes the rule's name), through ``inspect`` in ``oslo_policy._checks``:
  three quarters of the time of a policy check, of which a request makes
  two or three;
* oslo.middleware, for the response hook of each of its middlewares,
  through ``getfullargspec`` in ``oslo_middleware.base``.

Pecan's reads were a third of the Python time of a small API request, and
oslo.policy's and oslo.middleware's a quarter of what was left. A
function's signature does not change, so it is read once and kept; each
library gets the same answer as before, from a cache.
"""

import collections
import functools
import inspect

from oslo_middleware import base as middleware_base
from oslo_policy import _checks as policy_checks
from pecan import util as pecan_util

ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


@functools.lru_cache(maxsize=None)
def _signature_of(function):
    return inspect.getfullargspec(function)


def getfullargspec(callable_):
    """``inspect.getfullargspec``, read once per function."""
    # A bound method has the signature of its function, self included;
    # keying on the function keeps one entry per method rather than one
    # per instance.
    function = getattr(callable_, '__func__', callable_)
    try:
        return _signature_of(function)
    except TypeError:
        # Not hashable: read it every time, as the libraries do.
        return inspect.getfullargspec(callable_)


def argspec(callable_):
    """The signature of a function or method (with ``self``), as Pecan's."""
    args, varargs, keywords, defaults = getfullargspec(callable_)[:4]
    return ArgSpec(args=args, varargs=varargs, keywords=keywords,
                   defaults=defaults)


class _Inspect:
    """The ``inspect`` module, with signatures read once."""

    getfullargspec = staticmethod(getfullargspec)

    def __getattr__(self, name):
        return getattr(inspect, name)


def install():
    pecan_util._getargspec = argspec
    policy_checks.inspect = _Inspect()
    middleware_base.getfullargspec = getfullargspec
