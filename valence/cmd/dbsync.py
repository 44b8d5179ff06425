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

"""valence-dbsync: create and migrate the Valence database schema."""

import sys

from valence import conf
from valence.common import service as valence_service
from valence.db import migration


def _upgrade():
    migration.upgrade(conf.CONF.command.revision)
    print('Database schema is at revision %s.' % migration.version())


def _version():
    print(migration.version() or 'The database has no schema yet.')


def _create_schema():
    try:
        migration.create_schema()
    except RuntimeError as e:
        sys.exit(str(e))
    print('Database schema created at revision %s.' % migration.version())


def _add_commands(subparsers):
    upgrade = subparsers.add_parser(
        'upgrade', help='Bring the schema up to the newest (or a given) '
                        'revision.')
    upgrade.add_argument('--revision', default='head',
                         help='Revision to upgrade to (default: head).')
    upgrade.set_defaults(func=_upgrade)
    version = subparsers.add_parser(
        'version', help='Print the revision the schema is at.')
    version.set_defaults(func=_version)
    create = subparsers.add_parser(
        'create_schema', help='Create the newest schema in an empty '
                              'database directly, without migrating.')
    create.set_defaults(func=_create_schema)


def main():
    valence_service.run_subcommand(sys.argv, _add_commands,
                                   'What to do with the database.')
