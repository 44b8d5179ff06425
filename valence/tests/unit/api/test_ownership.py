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


"""Which project's resources a caller sees (valence.api.ownership)."""

import os
import time

import fixtures

from valence.api import ownership
from valence.common import context as valence_context
from valence.common import exception
from valence.common import policy
from valence.tests import base

PROJECT_A = 'project-a'
PROJECT_B = 'project-b'


def system(*roles):
    return valence_context.RequestContext(roles=list(roles),
                                          system_scope='all')


def project(project_id, *roles):
    return valence_context.RequestContext(roles=list(roles),
                                          project_id=project_id)


SYSTEM_ADMIN = system('admin', 'member', 'reader')
SYSTEM_READER = system('reader')
SYSTEM_MEMBER = system('member', 'reader')
MEMBER_A = project(PROJECT_A, 'member', 'reader')
READER_A = project(PROJECT_A, 'reader')
MEMBER_B = project(PROJECT_B, 'member', 'reader')


class TestVisibility(base.TestCase):

    def test_system_readers_and_admins_see_every_project(self):
        for context in (SYSTEM_ADMIN, SYSTEM_READER):
            self.assertTrue(ownership.sees_all_projects(context))
            self.assertTrue(ownership.is_visible(context, PROJECT_A))
            self.assertTrue(ownership.is_visible(context, None))

    def test_projects_see_their_own_resources_only(self):
        self.assertFalse(ownership.sees_all_projects(MEMBER_A))
        self.assertTrue(ownership.is_visible(MEMBER_A, PROJECT_A))
        self.assertTrue(ownership.is_visible(READER_A, PROJECT_A))
        self.assertFalse(ownership.is_visible(MEMBER_B, PROJECT_A))

    def test_unowned_resources_are_public_only_when_said_so(self):
        self.assertFalse(ownership.is_visible(MEMBER_A, None))
        self.assertTrue(ownership.is_visible(MEMBER_A, None,
                                             public_if_unowned=True))

    def test_another_projects_resource_is_not_found(self):
        not_found = exception.NotFound()
        raised = self.assertRaises(exception.NotFound,
                                   ownership.ensure_visible, MEMBER_B,
                                   PROJECT_A, not_found)
        self.assertIs(not_found, raised)
        ownership.ensure_visible(MEMBER_A, PROJECT_A, not_found)

    def test_a_policy_file_decides_who_sees_every_project(self):
        self.config(policy_file=self.write_policy(
            '"valence:all_projects": "role:auditor and system_scope:all"'),
            group='oslo_policy')
        policy.reset()
        self.assertFalse(ownership.sees_all_projects(SYSTEM_READER))
        self.assertTrue(ownership.sees_all_projects(system('auditor')))

    def test_an_edited_policy_file_applies_without_a_restart(self):
        self.useFixture(fixtures.MonkeyPatch(
            'valence.common.policy.FILE_CHECK_INTERVAL', 0.05))
        path = self.write_policy(
            '"valence:all_projects": "role:auditor and system_scope:all"')
        self.config(policy_file=path, group='oslo_policy')
        policy.reset()
        self.assertTrue(ownership.sees_all_projects(system('auditor')))
        self.write_policy(
            '"valence:all_projects": "role:reader and system_scope:all"')
        later = time.time() + 5
        os.utime(path, (later, later))
        time.sleep(0.1)
        self.assertFalse(ownership.sees_all_projects(system('auditor')))
        self.assertTrue(ownership.sees_all_projects(SYSTEM_READER))

    def write_policy(self, line):
        path = '%s/policy.yaml' % self.state_path
        with open(path, 'w') as f:
            f.write(line + '\n')
        return path


class TestListProject(base.TestCase):

    def test_admins_list_every_project_or_filter_on_one(self):
        self.assertIsNone(ownership.list_project(SYSTEM_READER))
        self.assertEqual(PROJECT_B,
                         ownership.list_project(SYSTEM_READER, PROJECT_B))

    def test_projects_list_their_own(self):
        self.assertEqual(PROJECT_A, ownership.list_project(MEMBER_A))
        self.assertEqual(PROJECT_A,
                         ownership.list_project(MEMBER_A, PROJECT_A))

    def test_projects_may_not_list_another(self):
        self.assertRaises(exception.Forbidden, ownership.list_project,
                          MEMBER_A, PROJECT_B)

    def test_a_caller_without_project_lists_nothing(self):
        domain = valence_context.RequestContext(roles=['member'],
                                                domain_id='default')
        self.assertRaises(exception.Forbidden, ownership.list_project, domain)


class TestOwnerPolicy(base.TestCase):
    """The persona check strings on a resource owned by a project."""

    def setUp(self):
        super().setUp()
        policy.get_enforcer().register_defaults([
            policy.operation('test:owned:change', policy.ADMIN_OR_OWNER,
                             'Change a thing.', 'PATCH', '/things/{id}',
                             scope=policy.SYSTEM_OR_PROJECT),
            policy.operation('test:owned:read', policy.READER_OR_OWNER,
                             'Read a thing.', 'GET', '/things/{id}',
                             scope=policy.SYSTEM_OR_PROJECT),
        ])

    def allowed(self, rule, context, project_id):
        return policy.check(rule, context, ownership.target(project_id))

    def test_members_change_their_projects_resources(self):
        self.assertTrue(self.allowed('test:owned:change', MEMBER_A,
                                     PROJECT_A))
        self.assertFalse(self.allowed('test:owned:change', MEMBER_B,
                                      PROJECT_A))
        self.assertTrue(self.allowed('test:owned:change', SYSTEM_ADMIN,
                                     PROJECT_A))

    def test_readers_only_read(self):
        self.assertTrue(self.allowed('test:owned:read', READER_A, PROJECT_A))
        self.assertFalse(self.allowed('test:owned:change', READER_A,
                                      PROJECT_A))
        self.assertTrue(self.allowed('test:owned:read', SYSTEM_READER,
                                     PROJECT_A))
        self.assertFalse(self.allowed('test:owned:change', SYSTEM_READER,
                                      PROJECT_A))

    def test_an_unowned_resource_is_not_a_system_tokens_project(self):
        # A system token has no project: "None" must not match "None".
        self.assertFalse(self.allowed('test:owned:change', SYSTEM_MEMBER,
                                      None))
        self.assertTrue(self.allowed('test:owned:change', SYSTEM_ADMIN,
                                     None))
