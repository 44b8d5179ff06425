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


import re

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from valence.common import context as valence_context
from valence.common import exception
from valence.common import policy
from valence.tests import base
from valence.tests.fixtures import policy_matrix

PROJECT_MEMBER = valence_context.RequestContext(
    roles=['member', 'reader'], project_id='project-a')


def _operations():
    return [rule for rule in policy.list_rules()
            if isinstance(rule, oslo_policy.DocumentedRuleDefault)]


def _shape(path):
    """A path with its {placeholders} blanked, to compare paths."""
    return re.sub(r'\{[^}]*\}', '{}', path)


class TestRules(base.TestCase):

    def test_every_operation_rule_says_its_scope_and_operation(self):
        for rule in _operations():
            self.assertTrue(rule.name.startswith('valence:'), rule.name)
            self.assertTrue(rule.scope_types, rule.name)
            self.assertTrue(rule.operations, rule.name)
            self.assertTrue(rule.description, rule.name)

    def test_rule_names_are_unique(self):
        names = [rule.name for rule in policy.list_rules()]
        self.assertEqual(sorted(set(names)), sorted(names))

    def test_every_operation_is_in_the_policy_matrix(self):
        in_matrix = {(cell.method, _shape(cell.path))
                     for cell in policy_matrix.load()}
        for rule in _operations():
            for operation in rule.operations:
                self.assertIn(
                    (operation['method'], _shape(operation['path'])),
                    in_matrix, '%s: add its endpoint to %s' % (
                        rule.name, 'valence/tests/unit/api/'
                        'policy_matrix.yaml'))

    def test_old_defaults_are_not_used(self):
        policy.get_enforcer()
        self.assertTrue(cfg.CONF.oslo_policy.enforce_new_defaults)


class TestAuthorize(base.TestCase):

    def test_a_token_of_the_wrong_scope_is_forbidden(self):
        admin = valence_context.RequestContext(
            roles=['admin', 'member', 'reader'], project_id='project-a')
        error = self.assertRaises(exception.Forbidden, policy.authorize,
                                  'valence:pod_manager:list', admin)
        self.assertIn('valence:pod_manager:list', str(error))

    def test_an_unknown_rule_is_forbidden(self):
        self.assertRaises(exception.Forbidden, policy.authorize,
                          'valence:nothing:here',
                          valence_context.get_admin_context())
        self.assertFalse(policy.check('valence:nothing:here',
                                      valence_context.get_admin_context()))

    def test_the_service_and_noauth_context_is_a_system_admin(self):
        context = valence_context.get_admin_context()
        for rule in _operations():
            policy.authorize(rule.name, context)

    def test_a_system_reader_reads_but_does_not_change(self):
        reader = valence_context.get_system_context(reader_only=True)
        policy.authorize('valence:pod_manager:get', reader)
        self.assertFalse(policy.check('valence:pod_manager:delete', reader))
        self.assertFalse(policy.check('valence:pod_manager:get',
                                      PROJECT_MEMBER))
