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

"""Policy in code: one documented rule per API operation.

Personas
--------
Keystone's default roles imply each other (admin implies member, member
implies reader), so ``role:reader`` also matches members and admins. The
check strings below name the personas every rule is built from:

* ``SYSTEM_ADMIN``, ``SYSTEM_READER``: a system-scoped token; they
  administer (or watch) the hardware: pod managers, inventory, sync, and
  every project's nodes and flavors.
* ``PROJECT_ADMIN``, ``PROJECT_MEMBER``, ``PROJECT_READER``: a
  project-scoped token, on resources whose ``project_id`` (the policy
  target) is the token's project.
* ``ADMIN_OR_OWNER``: change a project's resource: a system admin, or a
  member of the project that owns it. ``READER_OR_OWNER``: read it.

Adding an endpoint
------------------
Add one ``operation(...)`` line to the list of its resource (one list per
resource, all joined in ``list_rules``), with the persona and the scope:
``SYSTEM`` for administration, ``SYSTEM_OR_PROJECT`` for resources that
projects own; pass ``{'project_id': ...}`` as the target of owned
resources (see ``valence.api.ownership``).
"""

import time

from oslo_config import cfg
from oslo_policy import policy

from valence.common import exception

SYSTEM_ADMIN = 'role:admin and system_scope:all'
SYSTEM_READER = 'role:reader and system_scope:all'
PROJECT_ADMIN = 'role:admin and project_id:%(project_id)s'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'
ADMIN_OR_OWNER = '(%s) or (%s)' % (SYSTEM_ADMIN, PROJECT_MEMBER)
READER_OR_OWNER = '(%s) or (%s)' % (SYSTEM_READER, PROJECT_READER)

# Token scopes a rule accepts; any other answers 403.
SYSTEM = ['system']
SYSTEM_OR_PROJECT = ['system', 'project']

# Whether a caller sees every project's resources (valence.api.ownership).
ALL_PROJECTS = 'valence:all_projects'


def operation(name, check_str, description, method, path, scope=SYSTEM):
    """The rule of one API operation (``method`` on ``path``)."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path}], scope_types=scope)


base_rules = [
    policy.RuleDefault(
        'is_admin', SYSTEM_ADMIN, scope_types=SYSTEM,
        description='A system administrator. Kept for custom policy '
                    'files; the rules below spell their personas out.'),
    policy.RuleDefault(
        ALL_PROJECTS, SYSTEM_READER, scope_types=SYSTEM,
        description='See the resources of every project (composed nodes, '
                    'private flavors) and filter their lists by project. '
                    'Others see their own project\'s only, and another '
                    'project\'s resource is "not found" to them.'),
]

POD_MANAGERS = '/v1/pod_managers'
POD_MANAGER = '/v1/pod_managers/{podm_ident}'

pod_manager_rules = [
    operation('valence:pod_manager:list', SYSTEM_READER,
              'List pod managers.', 'GET', POD_MANAGERS),
    operation('valence:pod_manager:get', SYSTEM_READER,
              'Show a pod manager.', 'GET', POD_MANAGER),
    operation('valence:pod_manager:create', SYSTEM_ADMIN,
              'Register a pod manager.', 'POST', POD_MANAGERS),
    operation('valence:pod_manager:update', SYSTEM_ADMIN,
              'Change a pod manager.', 'PATCH', POD_MANAGER),
    operation('valence:pod_manager:delete', SYSTEM_ADMIN,
              'Remove a pod manager.', 'DELETE', POD_MANAGER),
]

FLAVORS = '/v1/flavors'
FLAVOR = '/v1/flavors/{flavor_ident}'
# Any reader, of the system or of a project, reads the flavors they see:
# the public ones and their project's (valence.api.ownership hides the
# others). Public flavors have no project, so only system administrators
# pass ADMIN_OR_OWNER on them.
FLAVOR_READER = 'role:reader'

flavor_rules = [
    operation('valence:flavor:list', FLAVOR_READER,
              'List the flavors the caller sees.', 'GET', FLAVORS,
              SYSTEM_OR_PROJECT),
    operation('valence:flavor:get', FLAVOR_READER,
              'Show a flavor the caller sees.', 'GET', FLAVOR,
              SYSTEM_OR_PROJECT),
    operation('valence:flavor:create', ADMIN_OR_OWNER,
              'Create a flavor: a public one (system administrators), or '
              'one private to the project of the token.', 'POST', FLAVORS,
              SYSTEM_OR_PROJECT),
    operation('valence:flavor:update', ADMIN_OR_OWNER,
              'Change a flavor.', 'PATCH', FLAVOR, SYSTEM_OR_PROJECT),
    operation('valence:flavor:delete', ADMIN_OR_OWNER,
              'Delete a flavor.', 'DELETE', FLAVOR, SYSTEM_OR_PROJECT),
]


def _inventory_rules(resource, path):
    return [
        operation('valence:%s:list' % resource, SYSTEM_READER,
                  'List %s.' % path.rsplit('/', 1)[-1], 'GET', path),
        operation('valence:%s:get' % resource, SYSTEM_READER,
                  'Show one of %s.' % path.rsplit('/', 1)[-1], 'GET',
                  path + '/{uuid}'),
    ]


inventory_rules = (
    _inventory_rules('system', '/v1/systems') +
    _inventory_rules('storage', '/v1/storages') +
    _inventory_rules('rack', '/v1/racks') +
    _inventory_rules('device', '/v1/devices') + [
        operation('valence:device:sync', SYSTEM_ADMIN,
                  'Read the inventory of the pods again.', 'POST',
                  '/v1/devices/sync'),
    ])

NODES = '/v1/nodes'
NODE = '/v1/nodes/{node_ident}'

node_rules = [
    operation('valence:node:list', READER_OR_OWNER,
              'List composed nodes.', 'GET', NODES, SYSTEM_OR_PROJECT),
    operation('valence:node:get', READER_OR_OWNER,
              'Show a composed node and what happened to it.', 'GET', NODE,
              SYSTEM_OR_PROJECT),
    operation('valence:node:create', ADMIN_OR_OWNER,
              'Compose a node.', 'POST', NODES, SYSTEM_OR_PROJECT),
    operation('valence:node:delete', ADMIN_OR_OWNER,
              'Decompose and remove a node.', 'DELETE', NODE,
              SYSTEM_OR_PROJECT),
    operation('valence:node:set_power', ADMIN_OR_OWNER,
              'Reset a node (power it on, off, restart it).', 'POST',
              NODE + '/action', SYSTEM_OR_PROJECT),
    operation('valence:node:set_boot', ADMIN_OR_OWNER,
              "Set a node's boot override.", 'POST', NODE + '/action',
              SYSTEM_OR_PROJECT),
    operation('valence:node:attach', ADMIN_OR_OWNER,
              'Attach a pooled device to a node.', 'POST',
              NODE + '/devices', SYSTEM_OR_PROJECT),
    operation('valence:node:detach', ADMIN_OR_OWNER,
              'Detach a pooled device from a node.', 'DELETE',
              NODE + '/devices/{device_uuid}', SYSTEM_OR_PROJECT),
    operation('valence:node:register', ADMIN_OR_OWNER,
              'Register a node in Ironic, or update its registration.',
              'POST', NODE + '/register', SYSTEM_OR_PROJECT),
    operation('valence:node:unregister', ADMIN_OR_OWNER,
              'Remove a node from Ironic.', 'POST', NODE + '/unregister',
              SYSTEM_OR_PROJECT),
    operation('valence:node:manage', SYSTEM_ADMIN,
              'Import a node a pod composed outside Valence.', 'POST',
              NODES + '/manage'),
]

CONDUCTORS = '/v1/conductors'

conductor_rules = [
    operation('valence:conductor:list', SYSTEM_READER,
              'List conductors, whether they are alive and how many pod '
              'managers each serves.', 'GET', CONDUCTORS),
    operation('valence:conductor:get', SYSTEM_READER,
              'Show a conductor and the pod managers it serves.', 'GET',
              CONDUCTORS + '/{hostname}'),
]

_ENFORCER = None

# Seconds between two looks for a changed policy file or policy directory.
FILE_CHECK_INTERVAL = 1.0


class Enforcer(policy.Enforcer):
    """oslo.policy's enforcer, looking at the policy files once a second.

    oslo.policy searches the configuration directories for the policy file
    and for each policy directory, and reads their modification times,
    before every check; an API request makes two or three checks, and the
    search cost more than the checks themselves. A changed policy file
    therefore applies within a second rather than at once.
    """

    _next_file_check = 0.0

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if force_reload or not self.rules or now >= self._next_file_check:
            self._next_file_check = now + FILE_CHECK_INTERVAL
            super().load_rules(force_reload)

    def clear(self):
        super().clear()
        self._next_file_check = 0.0


def list_rules():
    return (base_rules + pod_manager_rules + flavor_rules +
            inventory_rules + node_rules + conductor_rules)


def get_enforcer():
    """The enforcer of this process (also the oslopolicy entry point)."""
    global _ENFORCER
    if _ENFORCER is None:
        # oslo.policy (4.0 and later) checks the token scope against each
        # rule's scope_types and has no deprecated defaults to fall back
        # on, as [oslo_policy] enforce_new_defaults is true.
        _ENFORCER = Enforcer(cfg.CONF)
        _ENFORCER.register_defaults(list_rules())
    return _ENFORCER


def reset():
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def _target(target):
    # oslo.policy compares text: a target project_id of None would match
    # the None project_id of a system-scoped token ("None" == "None"), so
    # that a system member would pass PROJECT_MEMBER on an unowned
    # resource. An absent key matches nothing.
    return {k: v for k, v in (target or {}).items() if v is not None}


def authorize(rule, context, target=None):
    """Raise Forbidden unless ``context`` may do ``rule`` on ``target``."""
    target = _target(target)
    try:
        get_enforcer().authorize(rule, target, context,
                                 do_raise=True, exc=exception.Forbidden,
                                 action=rule)
    except (policy.PolicyNotRegistered, policy.InvalidScope):
        # A token of the wrong scope is refused like a missing role.
        raise exception.Forbidden(action=rule)


def check(rule, context, target=None):
    """Whether ``context`` may do ``rule`` on ``target`` (never raises)."""
    try:
        return bool(get_enforcer().authorize(rule, _target(target), context))
    except policy.PolicyNotRegistered:
        return False
