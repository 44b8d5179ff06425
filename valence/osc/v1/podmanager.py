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

"""openstack valence podmanager create|list|show|set|delete"""

from osc_lib import utils
from osc_lib.command import command

from valence.osc.v1 import common

COLUMNS = ('uuid', 'name', 'url', 'driver', 'status')
FIELDS = ('uuid', 'name', 'url', 'driver', 'description', 'username',
          'verify_tls', 'status', 'status_reason', 'last_sync_at',
          'created_at', 'updated_at')
FILTERS = (
    common.Filter('--name', 'name', 'Only the pod manager of this name'),
    common.Filter('--driver', 'driver', 'Only pod managers of this driver'),
    common.Filter('--status', 'status',
                  'Only pod managers in this status (online, offline, '
                  'error)'),
)
NO_VERIFY_HELP = 'Do not verify the pod\'s TLS certificate'


def flatten(podm):
    """The pod manager with its user name in place of ``authentication``:
    the password, masked by the API anyway, is never shown."""
    podm = dict(podm)
    auth = podm.pop('authentication', None) or [{}]
    podm['username'] = (auth[0].get('auth_items') or {}).get('username')
    return podm


def prompt_password(stdin):
    return utils.get_password(stdin, prompt='Password of the pod: ',
                              confirm=False)


class CreatePodManager(command.ShowOne):
    """Register a pod manager; Valence checks that it answers, then reads
    its inventory."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>',
                            help='Name of the pod manager')
        parser.add_argument('url', metavar='<url>',
                            help='URL of its API (Redfish service root, or '
                                 'the EEM API for ExpEther)')
        parser.add_argument('--driver', metavar='<driver>',
                            help='redfishv1 (RSD, the default), redfishv2 '
                                 '(DMTF composition) or expether')
        parser.add_argument('--username', metavar='<username>',
                            required=True,
                            help='User name Valence logs in to the pod with')
        parser.add_argument('--password', metavar='<password>',
                            help='Its password (prompted for if not given)')
        parser.add_argument('--description', metavar='<description>',
                            help='Description of the pod manager')
        parser.add_argument('--no-verify-tls', dest='verify_tls',
                            action='store_false', default=None,
                            help=NO_VERIFY_HELP)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        password = parsed_args.password
        if password is None:
            password = prompt_password(self.app.stdin)
        podm = client.create_pod_manager(
            parsed_args.name, parsed_args.url, parsed_args.username,
            password, driver=parsed_args.driver,
            description=parsed_args.description,
            verify_tls=parsed_args.verify_tls)
        return common.show(flatten(podm), FIELDS)


class ListPodManager(common.ListCommand):
    """List pod managers."""

    WHAT = 'pod manager'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_pod_managers(**params)

    def shown(self, item):
        return flatten(item)


class ShowPodManager(common.ShowCommand):
    """Show a pod manager."""

    WHAT = 'pod manager'
    FIELDS = FIELDS

    def fetch(self, client, ident):
        return client.get_pod_manager(ident)

    def shown(self, item):
        return flatten(item)


class SetPodManager(command.ShowOne):
    """Change a pod manager."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('podm', metavar='<pod-manager>',
                            help='Name or uuid of the pod manager')
        parser.add_argument('--name', metavar='<name>', help='New name')
        parser.add_argument('--url', metavar='<url>', help='New URL')
        parser.add_argument('--driver', metavar='<driver>',
                            help='New driver')
        parser.add_argument('--description', metavar='<description>',
                            help='New description')
        parser.add_argument('--username', metavar='<username>',
                            help='New user name (its password is prompted '
                                 'for unless given)')
        password = parser.add_mutually_exclusive_group()
        password.add_argument('--password', metavar='<password>',
                              help='New password')
        password.add_argument('--password-prompt', action='store_true',
                              help='Prompt for a new password')
        common.add_switch(
            parser, 'verify_tls',
            ('--verify-tls', 'Verify the pod\'s TLS certificate'),
            ('--no-verify-tls', NO_VERIFY_HELP))
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        fields = common.given(parsed_args, 'name', 'url', 'driver',
                              'description', 'verify_tls')
        password = parsed_args.password
        if parsed_args.password_prompt or (parsed_args.username
                                           and password is None):
            password = prompt_password(self.app.stdin)
        if password is not None:
            # The API takes the user name and the password together.
            fields['username'] = parsed_args.username or flatten(
                client.get_pod_manager(parsed_args.podm))['username']
            fields['password'] = password
        common.require_changes(fields)
        podm = client.update_pod_manager(parsed_args.podm, **fields)
        return common.show(flatten(podm), FIELDS)


class DeletePodManager(common.DeleteCommand):
    """Remove pod managers that have no composed nodes."""

    WHAT = 'pod manager'

    def delete(self, client, ident, parsed_args):
        client.delete_pod_manager(ident)
