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

"""openstack valence flavor create|list|show|set|delete

Properties (what a node is composed of) are given as JSON, inline or from
a file (``--properties @flavor.json``); ``--processor`` and ``--memory``
set those two sections key by key, as the original client did.
"""

from osc_lib import exceptions
from osc_lib.cli import parseractions
from osc_lib.command import command

from valence.osc.v1 import common

COLUMNS = ('uuid', 'name', 'is_public', 'description')
FIELDS = ('uuid', 'name', 'description', 'is_public', 'project_id',
          'properties', 'created_at', 'updated_at')
FILTERS = (
    common.Filter('--name', 'name', 'Only the flavor of this name'),
    common.Filter('--project', 'project_id',
                  'Only the private flavors of this project (uuid)'),
)
# Sections of the properties that options set key by key.
SECTIONS = ('processor', 'memory')


def add_property_options(parser):
    parser.add_argument(
        '--properties', metavar='<json>', type=common.json_object,
        help='What nodes are composed of, as a JSON object or @file: '
             '{"processor": {"total_cores": 8}, "memory": {"capacity_mib": '
             '16384}, "devices": [{"type": "GPU", "count": 1}], '
             '"local_drives", "remote_drives", "nics", "pci_device"}')
    parser.add_argument(
        '--processor', metavar='<key=value>',
        action=parseractions.KeyValueAction,
        help='A key of the processor section (model, total_cores, arch); '
             'repeat for each key')
    parser.add_argument(
        '--memory', metavar='<key=value>',
        action=parseractions.KeyValueAction,
        help='A key of the memory section (capacity_mib, type); repeat '
             'for each key')


def properties_from(parsed_args, base=None):
    """The properties the options give, over ``base``; None if no option
    gave any."""
    given = [s for s in SECTIONS if getattr(parsed_args, s)]
    if parsed_args.properties is None and not given:
        return None
    properties = dict(parsed_args.properties or base or {})
    for section in given:
        properties[section] = dict(properties.get(section) or {},
                                   **getattr(parsed_args, section))
    return properties


class CreateFlavor(command.ShowOne):
    """Create a flavor: a named set of properties to compose nodes of."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>',
                            help='Name of the flavor')
        parser.add_argument('--description', metavar='<description>',
                            help='Description of the flavor')
        add_property_options(parser)
        common.add_switch(
            parser, 'is_public',
            ('--public', 'Every project may use it (the default)'),
            ('--private', 'Only the current project may use it'))
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        properties = properties_from(parsed_args)
        if properties is None:
            raise exceptions.CommandError(
                'Give the properties of the flavor (--properties, '
                '--processor, --memory).')
        flavor = client.create_flavor(
            parsed_args.name, properties,
            description=parsed_args.description,
            is_public=parsed_args.is_public)
        return common.show(flavor, FIELDS)


class ListFlavor(common.ListCommand):
    """List the flavors the current project sees."""

    WHAT = 'flavor'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def fetch(self, client, parsed_args, **params):
        return client.list_flavors(**params)


class ShowFlavor(common.ShowCommand):
    """Show a flavor."""

    WHAT = 'flavor'
    FIELDS = FIELDS

    def fetch(self, client, ident):
        return client.get_flavor(ident)


class SetFlavor(command.ShowOne):
    """Change a flavor; nodes composed from it stay as they are."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('flavor', metavar='<flavor>',
                            help='Name or uuid of the flavor')
        parser.add_argument('--name', metavar='<name>', help='New name')
        parser.add_argument('--description', metavar='<description>',
                            help='New description')
        add_property_options(parser)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        fields = common.given(parsed_args, 'name', 'description')
        base = None
        if parsed_args.properties is None and (parsed_args.processor
                                               or parsed_args.memory):
            # --processor and --memory change one section: the API
            # replaces properties whole, so the others are sent again.
            base = client.get_flavor(parsed_args.flavor)['properties']
        properties = properties_from(parsed_args, base)
        if properties is not None:
            fields['properties'] = properties
        common.require_changes(fields)
        return common.show(client.update_flavor(parsed_args.flavor, **fields),
                           FIELDS)


class DeleteFlavor(common.DeleteCommand):
    """Delete flavors no node is being composed from."""

    WHAT = 'flavor'

    def delete(self, client, ident, parsed_args):
        client.delete_flavor(ident)
