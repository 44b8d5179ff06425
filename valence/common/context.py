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


from oslo_context import context

# The roles of a Keystone administrator: admin implies member, which
# implies reader, and tokens carry the implied roles too.
ADMIN_ROLES = ('admin', 'member', 'reader')
READER_ROLES = ('reader',)


class RequestContext(context.RequestContext):
    """The security context and request identity of one API request."""

    def to_policy_values(self):
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values


def get_system_context(user_name=None, reader_only=False, request_id=None,
                       overwrite=True):
    """A caller acting on the whole system rather than in a project.

    Used where no token says who the caller is: every caller with
    ``auth_strategy = noauth``, the users of ``http_basic``, and the
    service's own work. Such a context matches the system administrator
    (or, with ``reader_only``, the system reader) persona of the policy.
    """
    return RequestContext(
        user_id=user_name, user_name=user_name, is_admin=not reader_only,
        roles=list(READER_ROLES if reader_only else ADMIN_ROLES),
        system_scope='all', request_id=request_id, overwrite=overwrite)


def get_admin_context():
    """A context for work a service does on its own behalf."""
    return get_system_context(overwrite=False)
