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

"""What the commands share: output, list options, arguments, names."""

import argparse
import collections
import json
import uuid

from cliff import columns
from osc_lib import exceptions
from osc_lib.command import command

# Fields no command shows: the links back to the API.
HIDDEN = ('links',)

# A list filter: its option, the API's query parameter (also the
# attribute of the parsed arguments), help text and value type.
Filter = collections.namedtuple('Filter', 'option field help type',
                                defaults=(str,))


class StructuredColumn(columns.FormattableColumn):
    """A dict or list: compact text in a table, itself in json or yaml."""

    def human_readable(self):
        value = self._value
        if isinstance(value, list) and not any(
                isinstance(v, (dict, list)) for v in value):
            return ', '.join(str(v) for v in value)
        return json.dumps(value, sort_keys=True)


def cell(value):
    if isinstance(value, (dict, list)):
        return StructuredColumn(value)
    return value


def row(item, fields):
    return tuple(cell(item.get(field)) for field in fields)


def show_columns(item, fields):
    """The fields a show command prints: the known ones in their order,
    then any newer field the API added."""
    known = [f for f in fields if f in item]
    return known + sorted(k for k in item
                          if k not in fields and k not in HIDDEN)


def show(item, fields):
    """(columns, values) of a ShowOne command."""
    names = show_columns(item, fields)
    return names, row(item, names)


def listing(items, fields):
    """(columns, rows) of a Lister command."""
    return fields, [row(item, fields) for item in items]


def positive_int(value):
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError('%r is not a positive integer'
                                         % value)
    return number


def sort_option(value):
    """``key[:asc|desc]`` as (key, direction or None)."""
    key, _, direction = value.partition(':')
    if not key or direction not in ('', 'asc', 'desc'):
        raise argparse.ArgumentTypeError(
            '%r is not <key>[:asc|desc]' % value)
    return key, direction or None


def json_object(value):
    """A JSON object given inline, or as ``@path`` of a file holding it."""
    text = value
    if value.startswith('@'):
        try:
            with open(value[1:], encoding='utf-8') as f:
                text = f.read()
        except OSError as e:
            raise argparse.ArgumentTypeError(
                'cannot read %s: %s' % (value[1:], e.strerror))
    try:
        parsed = json.loads(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError('not valid JSON: %s' % e)
    if not isinstance(parsed, dict):
        raise argparse.ArgumentTypeError('a JSON object {...} is needed')
    return parsed


def add_list_options(parser, what, marker='uuid'):
    """--long, --limit, --marker and --sort of a list of ``what``, whose
    items are known by their ``marker`` field."""
    parser.add_argument(
        '--long', action='store_true',
        help='Show every field of each %s, not the summary' % what)
    parser.add_argument(
        '--limit', metavar='<count>', type=positive_int,
        help='Show at most this many %ss (default: all of them, read in '
             'as many pages as the API needs)' % what)
    parser.add_argument(
        '--marker', metavar='<%s>' % marker,
        help='Start after the %s of this %s (the last one of a '
             'previous list)' % (what, marker))
    parser.add_argument(
        '--sort', metavar='<key>[:<direction>]', type=sort_option,
        help='Sort by this field, asc (the default) or desc')


def list_params(parsed_args):
    """The client's paging arguments from add_list_options' options."""
    key, direction = parsed_args.sort or (None, None)
    return {'limit': parsed_args.limit, 'marker': parsed_args.marker,
            'sort_key': key, 'sort_dir': direction}


def add_switch(parser, dest, on, off):
    """Two exclusive options setting ``dest`` to True or False (None if
    neither is given); ``on`` and ``off`` are (option, help) pairs."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(on[0], dest=dest, action='store_true', default=None,
                       help=on[1])
    group.add_argument(off[0], dest=dest, action='store_false',
                       help=off[1])


def given(parsed_args, *names):
    """The options among ``names`` that were given, as API fields."""
    return {name: getattr(parsed_args, name) for name in names
            if getattr(parsed_args, name) is not None}


def require_changes(fields):
    if not fields:
        raise exceptions.CommandError('Nothing to change: give at least one '
                                      'option.')


def add_filters(parser, filters):
    for spec in filters:
        parser.add_argument(spec.option, dest=spec.field, metavar='<%s>'
                            % spec.option.lstrip('-'), type=spec.type,
                            help=spec.help)


def filter_values(client, parsed_args, filters):
    """The API filters given on the command line; pod managers, nodes and
    flavors named by name are looked up for their uuid."""
    values = {}
    for spec in filters:
        value = getattr(parsed_args, spec.field)
        if value is not None:
            values[spec.field] = resolve(client, spec.field, value)
    return values


def is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def resolve(client, field, value):
    """The uuid of what ``value`` names, for a filter that wants one.

    The API finds pod managers, flavors and nodes by name too, but its
    list filters take uuids.
    """
    getters = {'podm_id': client.get_pod_manager,
               'flavor_id': client.get_flavor,
               'node_id': client.get_node}
    if field not in getters or not isinstance(value, str) or is_uuid(value):
        return value
    return getters[field](value)['uuid']


def match_choice(value, choices):
    """``value`` as spelled in ``choices`` if it is one of them but for
    case, else as given: the API says what it takes."""
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    return value


def delete_each(log, what, idents, delete):
    """Call ``delete`` for each ident; report failures at the end, as
    OSC's delete commands do, so that one failure stops no other."""
    failed = 0
    for ident in idents:
        try:
            delete(ident)
        except Exception as e:
            failed += 1
            log.error('Failed to delete %s %s: %s', what, ident, e)
    if failed:
        raise exceptions.CommandError('%d of %d %ss failed to delete.'
                                      % (failed, len(idents), what))


class DeleteCommand(command.Command):
    """Base of the delete commands, which take several names or uuids.

    Subclasses set WHAT (the resource, for messages) and define
    ``delete(client, ident, parsed_args)``.
    """

    WHAT = None

    def delete(self, client, ident, parsed_args):
        raise NotImplementedError()

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('idents', metavar='<%s>' % self.WHAT.replace(
            ' ', '-'), nargs='+', help='Name or uuid of a %s' % self.WHAT)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        delete_each(self.log, self.WHAT, parsed_args.idents,
                    lambda ident: self.delete(client, ident, parsed_args))


class ListCommand(command.Lister):
    """Base of the list commands.

    Subclasses set WHAT (the resource, for help texts), COLUMNS (the
    summary), FIELDS (every field, in order, for --long), FILTERS and
    MARKER (the field --marker takes), and define ``fetch(client,
    parsed_args, **params)``.
    """

    WHAT = None
    MARKER = 'uuid'
    COLUMNS = ()
    FIELDS = ()
    FILTERS = ()

    def fetch(self, client, parsed_args, **params):
        raise NotImplementedError()

    def shown(self, item):
        """The item as the command shows it."""
        return item

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_filters(parser, self.FILTERS)
        add_list_options(parser, self.WHAT, self.MARKER)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        items = self.fetch(client, parsed_args, **list_params(parsed_args),
                           **filter_values(client, parsed_args,
                                           self.FILTERS))
        return listing([self.shown(i) for i in items],
                       self.FIELDS if parsed_args.long else self.COLUMNS)


class ShowCommand(command.ShowOne):
    """Base of the show commands: WHAT, FIELDS and ``shown`` as for
    ListCommand, IDENT (how the resource is named on the command line)
    and ``fetch(client, ident)``."""

    WHAT = None
    FIELDS = ()
    IDENT = 'name or uuid'

    def fetch(self, client, ident):
        raise NotImplementedError()

    def shown(self, item):
        return item

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('ident', metavar='<%s>' % self.WHAT.replace(
            ' ', '-'), help='%s of the %s' % (self.IDENT.capitalize(),
                                              self.WHAT))
        return parser

    def take_action(self, parsed_args):
        item = self.fetch(self.app.client_manager.valence,
                          parsed_args.ident)
        return show(self.shown(item), self.FIELDS)
