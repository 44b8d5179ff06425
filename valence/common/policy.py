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

"""Policy in code: one documented rule per API operation."""

from oslo_config import cfg
from oslo_policy import policy

from valence.common import exception

ADMIN = 'role:admin or is_admin:True'

base_rules = [
    policy.RuleDefault('is_admin', ADMIN,
                       description='Full access to everything.'),
]

POD_MANAGERS = '/v1/pod_managers'
POD_MANAGER = '/v1/pod_managers/{podm_ident}'

pod_manager_rules = [
    policy.DocumentedRuleDefault(
        'valence:pod_manager:list', 'rule:is_admin',
        'List pod managers.', [{'path': POD_MANAGERS, 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'valence:pod_manager:get', 'rule:is_admin',
        'Show a pod manager.', [{'path': POD_MANAGER, 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        'valence:pod_manager:create', 'rule:is_admin',
        'Register a pod manager.', [{'path': POD_MANAGERS, 'method': 'POST'}]),
    policy.DocumentedRuleDefault(
        'valence:pod_manager:update', 'rule:is_admin',
        'Change a pod manager.', [{'path': POD_MANAGER, 'method': 'PATCH'}]),
    policy.DocumentedRuleDefault(
        'valence:pod_manager:delete', 'rule:is_admin',
        'Remove a pod manager.', [{'path': POD_MANAGER, 'method': 'DELETE'}]),
]


def _inventory_rules(resource, path):
    return [
        policy.DocumentedRuleDefault(
            'valence:%s:list' % resource, 'rule:is_admin',
            'List %s.' % path.rsplit('/', 1)[-1],
            [{'path': path, 'method': 'GET'}]),
        policy.DocumentedRuleDefault(
            'valence:%s:get' % resource, 'rule:is_admin',
            'Show one of %s.' % path.rsplit('/', 1)[-1],
            [{'path': path + '/{uuid}', 'method': 'GET'}]),
    ]


inventory_rules = (
    _inventory_rules('system', '/v1/systems') +
    _inventory_rules('storage', '/v1/storages') +
    _inventory_rules('rack', '/v1/racks') +
    _inventory_rules('device', '/v1/devices') + [
        policy.DocumentedRuleDefault(
            'valence:device:sync', 'rule:is_admin',
            'Read the inventory of the pods again.',
            [{'path': '/v1/devices/sync', 'method': 'POST'}]),
    ])

_ENFORCER = None


def list_rules():
    return base_rules + pod_manager_rules + inventory_rules


def get_enforcer():
    """The enforcer of this process (also the oslopolicy entry point)."""
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(cfg.CONF)
        _ENFORCER.register_defaults(list_rules())
    return _ENFORCER


def reset():
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def authorize(rule, context, target=None):
    """Raise Forbidden unless ``context`` may do ``rule`` on ``target``."""
    target = target or {}
    try:
        get_enforcer().authorize(rule, target, context,
                                 do_raise=True, exc=exception.Forbidden,
                                 action=rule)
    except policy.PolicyNotRegistered:
        raise exception.Forbidden(action=rule)
