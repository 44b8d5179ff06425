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

"""Every route of the API is in the API reference, and only those.

The routes are found by walking the Pecan controllers from the root, as
Pecan would route a request: the RestController methods, the custom
actions, the sub-controllers, and the controllers ``_lookup`` hands
requests to. Path parameters are compared by position only
(``/v1/nodes/{}``), whatever their names.
"""

import glob
import importlib
import inspect
import os
import pkgutil
import re

from pecan import rest

from valence.api.controllers import root
from valence.tests import base

API_REF = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..',
                       'api-ref', 'source')
PARAM = '{}'
# RestController methods: (HTTP method, whether the path ends with an id).
METHODS = {'get': ('GET', False), 'get_all': ('GET', False),
           'get_one': ('GET', True), 'post': ('POST', False),
           'put': ('PUT', True), 'patch': ('PATCH', True),
           'delete': ('DELETE', True)}


def controller_classes():
    """Every RestController class of the API package."""
    import valence.api.controllers as package
    classes = set()
    for info in pkgutil.walk_packages(package.__path__,
                                      package.__name__ + '.'):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (issubclass(value, rest.RestController)
                    and value.__module__.startswith('valence.')):
                classes.add(value)
    return classes


def _instance(cls):
    """An instance of a controller, made with a placeholder id if its
    constructor takes one."""
    try:
        return cls()
    except TypeError:
        return cls(PARAM)


def sub_controllers(controller):
    return {name: getattr(controller, name) for name in dir(controller)
            if not name.startswith('_')
            and isinstance(getattr(controller, name), rest.RestController)}


def lookup_names():
    """The path segments a ``_lookup`` may be asked about: every custom
    action and sub-controller name of every controller."""
    names = set()
    for cls in controller_classes():
        controller = _instance(cls)
        names.update(getattr(controller, '_custom_actions', {}))
        names.update(sub_controllers(controller))
    return names


def routes(controller, path='', seen=None):
    """{"METHOD /path"} of ``controller`` mounted at ``path``."""
    seen = set() if seen is None else seen
    if (type(controller), path) in seen:
        return set()
    seen.add((type(controller), path))
    found = set()
    for name, (method, with_id) in METHODS.items():
        if callable(getattr(controller, name, None)):
            found.add('%s %s' % (method, (path + '/' + PARAM if with_id
                                           else path) or '/'))
    for action, methods in getattr(controller, '_custom_actions',
                                   {}).items():
        found.update('%s %s/%s' % (m.upper(), path, action)
                     for m in methods)
    for name, sub in sub_controllers(controller).items():
        found |= routes(sub, '%s/%s' % (path, name), seen)
    if hasattr(controller, '_lookup'):
        for name in lookup_names():
            result = controller._lookup(PARAM, name)
            if result:
                found |= routes(result[0], '%s/%s' % (path, PARAM), seen)
    return found


def documented():
    """{"METHOD /path"} of every ``.. rest_method::`` of the api-ref."""
    found = set()
    for path in glob.glob(os.path.join(API_REF, '*.inc')):
        with open(path) as f:
            for line in f:
                match = re.match(r'\.\. rest_method:: +(\w+) +(\S+)', line)
                if match:
                    found.add('%s %s' % (match.group(1), re.sub(
                        r'\{[^}]*\}', PARAM, match.group(2))))
    return found


class TestApiReference(base.TestCase):

    def test_routes_are_found(self):
        # The walk itself: a route of each kind, or it proves nothing.
        found = routes(root.RootController())
        for route in ('GET /', 'GET /v1', 'GET /v1/pod_managers/{}',
                      'POST /v1/devices/sync', 'POST /v1/nodes/{}/action',
                      'DELETE /v1/nodes/{}/devices/{}'):
            self.assertIn(route, found)

    def test_every_route_is_in_the_api_reference(self):
        missing = routes(root.RootController()) - documented()
        self.assertEqual(set(), missing,
                         'Routes without a ".. rest_method::" in '
                         'api-ref/source/*.inc: %s'
                         % ', '.join(sorted(missing)))

    def test_the_api_reference_documents_only_routes(self):
        stale = documented() - routes(root.RootController())
        self.assertEqual(set(), stale,
                         'api-ref/source/*.inc documents routes the API '
                         'does not have: %s' % ', '.join(sorted(stale)))
