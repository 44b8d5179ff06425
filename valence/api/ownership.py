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


"""Which project's resources a caller may see.

Composed nodes and private flavors belong to a project: their
``project_id`` is the project of the token that created them. A caller
who passes the ``valence:all_projects`` policy (system readers and admins
by default) sees every project's resources and may filter lists by
project; anyone else sees their own project's (and, for flavors, the
public ones, whose ``project_id`` is None). To them another project's
resource does not exist: the API answers 404, not 403, so that its
existence is not given away.

A controller of an owned resource does, for one resource::

    node = objects.Node.get(context, ident)
    ownership.ensure_visible(context, node.project_id,
                             exception.NodeNotFound(node=ident))
    policy.authorize('valence:node:delete', context,
                     ownership.target(node.project_id))

and for a list::

    project_id = ownership.list_project(context, requested_project_id)
    # None: every project; otherwise filter the list on this project.

The policy then decides what the caller may do with what they see: a
project reader sees their project's nodes but may not delete them (403).
"""

from valence.common import exception
from valence.common import policy


def sees_all_projects(context):
    """True if the caller may see the resources of every project."""
    return policy.check(policy.ALL_PROJECTS, context)


def is_visible(context, project_id, public_if_unowned=False):
    """Whether a resource owned by ``project_id`` exists for the caller.

    :param public_if_unowned: a resource without a project is public (a
        flavor); otherwise it is only seen by those who see all projects.
    """
    if project_id is None and public_if_unowned:
        return True
    if sees_all_projects(context):
        return True
    return project_id is not None and project_id == context.project_id


def ensure_visible(context, project_id, not_found, public_if_unowned=False):
    """Raise ``not_found`` (a NotFound) unless the caller may see it."""
    if not is_visible(context, project_id, public_if_unowned):
        raise not_found


def list_project(context, requested=None):
    """The project a list is filtered on, or None for every project.

    :param requested: the ``project_id`` the caller asked for, if any.
    :raises: Forbidden if a caller who sees only their own project asks
        for another one.
    """
    if sees_all_projects(context):
        return requested
    if context.project_id is None:
        # None would mean "every project": a caller without a project
        # (a domain-scoped token) sees nothing here.
        raise exception.Forbidden(
            message='Listing these resources needs a project-scoped or a '
                    'system-scoped token.')
    if requested is not None and requested != context.project_id:
        raise exception.Forbidden(
            message='Only administrators may list the resources of '
                    'another project.')
    return context.project_id


def target(project_id):
    """The policy target of a resource owned by ``project_id``."""
    return {'project_id': project_id}
