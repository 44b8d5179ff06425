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

"""The kept signatures are the ones the libraries would read."""

import inspect

from oslo_middleware import base as middleware_base
from oslo_policy import _checks as policy_checks
from pecan import compat as pecan_compat
import webob

from valence.api import signatures
from valence.api.controllers.v1 import nodes
from valence.tests import base


def plain(a, b=2, *rest, **options):
    pass


class Callable:
    __hash__ = None

    def __call__(self, x):
        pass


class NamedRuleCheck(policy_checks.BaseCheck):
    """A check that takes the name of the rule being checked."""

    def __init__(self):
        self.seen = []

    def __str__(self):
        return 'named'

    def __call__(self, target, creds, enforcer, current_rule=None):
        self.seen.append(current_rule)
        return True


class LegacyCheck(policy_checks.BaseCheck):
    """A check written before oslo.policy passed the rule's name."""

    def __str__(self):
        return 'legacy'

    def __call__(self, target, creds, enforcer):
        return True


class TestArgspec(base.TestCase):

    def setUp(self):
        super().setUp()
        signatures.install()

    def assertSameAsPecan(self, callable_):
        self.assertEqual(tuple(pecan_compat.getargspec(callable_)),
                         tuple(signatures.argspec(callable_)))

    def test_functions_methods_and_controllers(self):
        controller = nodes.NodesController()
        for callable_ in (plain, controller.get_one, controller.post,
                          nodes.NodesController.get_one, Callable()):
            self.assertSameAsPecan(callable_)

    def test_one_entry_per_method_whatever_the_instance(self):
        signatures.argspec(nodes.NodesController().get_one)
        before = signatures._signature_of.cache_info()
        for _ in range(5):
            spec = signatures.argspec(nodes.NodesController().get_one)
        after = signatures._signature_of.cache_info()
        self.assertEqual(before.currsize, after.currsize)
        self.assertEqual(before.hits + 5, after.hits)
        self.assertEqual('self', spec.args[0])

    def test_same_as_inspect(self):
        checks = (NamedRuleCheck(), LegacyCheck(), policy_checks.TrueCheck(),
                  policy_checks.RoleCheck('role', 'admin'),
                  policy_checks.AndCheck([policy_checks.TrueCheck()]))
        for callable_ in [plain, Callable()] + [c.__call__ for c in checks]:
            self.assertEqual(inspect.getfullargspec(callable_),
                             signatures.getfullargspec(callable_))


class TestPolicyChecks(base.TestCase):

    def test_checks_get_the_rule_name_when_they_take_it(self):
        signatures.install()
        named = NamedRuleCheck()
        rule = policy_checks.AndCheck([named, LegacyCheck()])
        for _ in range(2):
            self.assertTrue(policy_checks._check(rule, {}, {}, None,
                                                 'valence:node:get'))
        self.assertEqual(['valence:node:get'] * 2, named.seen)


class TestMiddleware(base.TestCase):

    def test_response_hooks_get_the_request_when_they_take_it(self):
        signatures.install()
        seen = []

        class WithRequest(middleware_base.ConfigurableMiddleware):
            def process_response(self, response, request=None):
                seen.append(request.path)
                return response

        class WithoutRequest(middleware_base.ConfigurableMiddleware):
            def process_response(self, response):
                seen.append('no request')
                return response

        app = WithRequest(WithoutRequest(webob.Response('ok')))
        for _ in range(2):
            self.assertEqual(200,
                             webob.Request.blank('/v1').get_response(app)
                             .status_int)
        self.assertEqual(['no request', '/v1'] * 2, seen)
