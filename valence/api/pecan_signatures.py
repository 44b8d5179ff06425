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

"""Read each controller signature once, not on every request.

Pecan's REST routing asks for the signature of the controller methods on
its way (``get_one``, ``get``, ``post``...) a dozen times per request, and
``pecan.compat.getargspec`` builds a new namedtuple class every time: a
third of the Python time of a small API request. A function's signature
does not change, so it is read once and kept. Only the function Pecan's
``pecan.util.getargspec`` calls for a plain signature is replaced; what it
returns is the same.
"""

import collections
import functools
import inspect

from pecan import util as pecan_util

ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


@functools.lru_cache(maxsize=None)
def _signature_of(function):
    args, varargs, keywords, defaults = inspect.getfullargspec(function)[:4]
    return ArgSpec(args=args, varargs=varargs, keywords=keywords,
                   defaults=defaults)


def argspec(callable_):
    """The signature of a function or method (with ``self``), as Pecan's."""
    # A bound method has the signature of its function, self included;
    # keying on the function keeps one entry per controller method rather
    # than one per controller instance.
    function = getattr(callable_, '__func__', callable_)
    try:
        return _signature_of(function)
    except TypeError:
        # Not hashable: read it every time, as Pecan does.
        return _signature_of.__wrapped__(function)


def install():
    pecan_util._getargspec = argspec
