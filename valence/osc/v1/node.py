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

"""openstack valence node ...: composed nodes.

Compose, delete, attach, detach, register and unregister start work that
a conductor does in the background. With ``--wait`` the command polls the
node until that work has ended, writing each state the node (and, for
attach and detach, the device) goes through on stderr, and fails with
the node's error if the work failed.
"""

from osc_lib import exceptions
from osc_lib.cli import parseractions
from osc_lib.command import command

from valence.osc import wait
from valence.osc.v1 import common
from valence.osc.v1 import device
from valence.osc.v1 import flavor

COLUMNS = ('uuid', 'name', 'state', 'power_state', 'podm_id', 'index')
FIELDS = ('uuid', 'name', 'description', 'state', 'power_state',
          'last_error', 'podm_id', 'flavor_id', 'index', 'resource_uri',
          'managed', 'requested', 'composed', 'ironic_node_uuid',
          'reservation', 'project_id', 'user_id', 'created_at',
          'updated_at')
FILTERS = (
    common.Filter('--state', 'state',
                  'Only nodes in this state (composing, available, '
                  'compose failed, cleanup_needed, deleting...)'),
    common.Filter('--podm', 'podm_id',
                  'Only nodes of this pod manager (name or uuid)'),
    common.Filter('--flavor', 'flavor_id',
                  'Only nodes composed from this flavor (name or uuid)'),
    common.Filter('--project', 'project_id',
                  'Only nodes of this project (uuid)'),
    common.Filter('--name', 'name', 'Only the node of this name'),
)
ACTION_COLUMNS = ('started_at', 'action', 'step', 'result', 'error')
ACTION_FIELDS = ('started_at', 'finished_at', 'action', 'step', 'result',
                 'error', 'request_id', 'user_id', 'conductor')
# Redfish reset types; the pod says which of them a node takes.
RESET_TYPES = ('On', 'ForceOn', 'ForceOff', 'GracefulShutdown',
               'GracefulRestart', 'ForceRestart', 'Nmi', 'PushPowerButton',
               'PowerCycle')
# Seconds between two looks at a node while waiting.
POLL_INTERVAL = 1.0


def add_node_argument(parser):
    parser.add_argument('node', metavar='<node>',
                        help='Name or uuid of the node')


def add_wait_options(parser, operation):
    parser.add_argument(
        '--wait', action='store_true',
        help='Wait until the %s has ended, showing the node\'s state on '
             'stderr; fail with the node\'s error if it failed' % operation)
    parser.add_argument(
        '--wait-timeout', metavar='<seconds>', type=common.positive_int,
        help='With --wait, give up after this many seconds (default: no '
             'limit)')


def wait_for(cmd, node, operation, request_id, parsed_args,
             device_id=None):
    """The node once ``operation`` has ended if --wait was given, else
    the node as it is; None once a deleted node has gone."""
    if not parsed_args.wait:
        return node

    def report(line):
        cmd.app.stderr.write(line + '\n')
        cmd.app.stderr.flush()

    try:
        return wait.wait_for_node(
            cmd.app.client_manager.valence, node, operation,
            request_id=request_id, device_id=device_id,
            timeout=parsed_args.wait_timeout, interval=POLL_INTERVAL,
            report=report)
    except (wait.OperationFailed, wait.WaitTimeout) as e:
        raise exceptions.CommandError(str(e))


def show_started(cmd, parsed_args, operation, device_id=None):
    """What a command that has just started ``operation`` shows: the
    node, once the operation has ended with --wait.

    The node is read again rather than taken from the 202 answer, so that
    it is shown the same way after every operation.
    """
    client = cmd.app.client_manager.valence
    request_id = client.last_request_id
    node = wait_for(cmd, client.get_node(parsed_args.node), operation,
                    request_id, parsed_args, device_id)
    return common.show(node, FIELDS)


def numbers(values):
    """``values`` with strings of digits made integers: Ironic wants
    numbers for cpus, memory_mb and local_gb."""
    return {k: int(v) if v.isdigit() else v for k, v in values.items()}


class ComposeNode(command.ShowOne):
    """Compose a node from a flavor or from properties."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>',
                            help='Name of the node')
        parser.add_argument('--description', metavar='<description>',
                            help='Description of the node')
        parser.add_argument('--flavor', metavar='<flavor>',
                            help='Flavor (name or uuid) to compose it of')
        flavor.add_property_options(parser)
        parser.add_argument('--podm', metavar='<pod-manager>',
                            help='Compose it on the pod of this pod manager '
                                 '(name or uuid); by default, Valence picks '
                                 'a pod that fits')
        add_wait_options(parser, 'composition')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        properties = flavor.properties_from(parsed_args)
        if parsed_args.flavor and properties is not None:
            raise exceptions.CommandError('Give a flavor or properties, not '
                                          'both.')
        node = client.compose_node(
            parsed_args.name, description=parsed_args.description,
            flavor_id=parsed_args.flavor, properties=properties,
            podm_id=parsed_args.podm)
        node = wait_for(self, node, 'compose', client.last_request_id,
                        parsed_args)
        return common.show(node, FIELDS)


class ListNode(common.ListCommand):
    """List composed nodes."""

    WHAT = 'node'
    COLUMNS = COLUMNS
    FIELDS = FIELDS
    FILTERS = FILTERS

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        common.add_switch(
            parser, 'managed',
            ('--managed', 'Only nodes imported with "node manage"'),
            ('--composed', 'Only nodes Valence composed'))
        return parser

    def fetch(self, client, parsed_args, **params):
        # The API summarises nodes unless asked for their detail.
        return client.list_nodes(detail=parsed_args.long,
                                 managed=parsed_args.managed, **params)


class ShowNode(command.ShowOne):
    """Show a composed node."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('--refresh', action='store_true',
                            help='Read the node from its pod first')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        node = client.get_node(parsed_args.node, refresh=parsed_args.refresh)
        return common.show(node, FIELDS)


class DeleteNode(common.DeleteCommand):
    """Decompose nodes on their pods and remove them."""

    WHAT = 'node'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_wait_options(parser, 'deletion')
        return parser

    def delete(self, client, ident, parsed_args):
        node = client.delete_node(ident)
        wait_for(self, node, 'delete', client.last_request_id, parsed_args)


class ManageNode(command.ShowOne):
    """Import a node that a pod composed outside Valence."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('node_index', metavar='<node-index>',
                            help='The pod\'s id of the node (the last '
                                 'part of its URI on the pod)')
        parser.add_argument('podm', metavar='<pod-manager>', nargs='?',
                            help='Name or uuid of its pod manager; needed '
                                 'unless there is only one')
        parser.add_argument('--name', metavar='<name>',
                            help='Name of the node (default: the pod\'s)')
        parser.add_argument('--description', metavar='<description>',
                            help='Description of the node')
        parser.add_argument('--project', metavar='<project>',
                            help='Project (uuid) the node is for')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        node = client.manage_node(
            parsed_args.node_index, podm_id=parsed_args.podm,
            name=parsed_args.name, description=parsed_args.description,
            project_id=parsed_args.project)
        return common.show(node, FIELDS)


class PowerNode(command.Command):
    """Power a node on or off, or restart it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('reset_type', metavar='<action>',
                            help='One of %s (any case); the node\'s '
                                 'composed.reset_types says which its pod '
                                 'takes' % ', '.join(RESET_TYPES))
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        client.reset_node(parsed_args.node,
                          common.match_choice(parsed_args.reset_type,
                                              RESET_TYPES))


class BootNode(command.Command):
    """Set the device a node boots from next (a boot override)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('target', metavar='<target>', nargs='?',
                            help='Pxe, Hdd, RemoteDrive...: the node\'s '
                                 'composed.boot.allowed_targets says which')
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument('--continuous', action='store_true',
                          help='Boot from it every time, not only once')
        mode.add_argument('--disable', action='store_true',
                          help='Remove the boot override')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        enabled = 'Once'
        if parsed_args.continuous:
            enabled = 'Continuous'
        elif parsed_args.disable:
            enabled = 'Disabled'
        target = parsed_args.target
        if target is None and enabled != 'Disabled':
            raise exceptions.CommandError('Give the boot target (Pxe, '
                                          'Hdd...).')
        if target is not None:
            composed = client.get_node(parsed_args.node).get('composed') or {}
            allowed = (composed.get('boot') or {}).get('allowed_targets')
            target = common.match_choice(target, allowed or ())
        client.set_node_boot(parsed_args.node, enabled, target)


class AttachDevice(command.ShowOne):
    """Attach a pooled device to a node."""

    OPERATION = 'attach'
    DEVICE_HELP = 'uuid of a free device of the node\'s pod'

    def start(self, client, node, device_id):
        client.attach_device(node, device_id)

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('device', metavar='<device>',
                            help=self.DEVICE_HELP)
        add_wait_options(parser, self.OPERATION)
        return parser

    def take_action(self, parsed_args):
        self.start(self.app.client_manager.valence, parsed_args.node,
                   parsed_args.device)
        return show_started(self, parsed_args, self.OPERATION,
                            parsed_args.device)


class DetachDevice(AttachDevice):
    """Detach a pooled device from a node."""

    OPERATION = 'detach'
    DEVICE_HELP = 'uuid of a device attached to the node'

    def start(self, client, node, device_id):
        client.detach_device(node, device_id)


class RegisterNode(command.ShowOne):
    """Register a node in Ironic, for it to be provisioned."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('--driver', metavar='<driver>',
                            help='Ironic hardware type (default: redfish '
                                 'for Redfish pods)')
        parser.add_argument('--driver-info', metavar='<key=value>',
                            action=parseractions.KeyValueAction,
                            help='A key of the Ironic driver_info (IPMI '
                                 'address and credentials for ExpEther); '
                                 'repeat for each key')
        parser.add_argument('--property', metavar='<key=value>',
                            dest='properties',
                            action=parseractions.KeyValueAction,
                            help='A property of the Ironic node (cpus, '
                                 'memory_mb, local_gb, cpu_arch...) over '
                                 'the composed ones; repeat for each')
        parser.add_argument('--resource-class', metavar='<class>',
                            help='Resource class of the Ironic node')
        parser.add_argument('--name', metavar='<name>',
                            help='Name of the Ironic node')
        parser.add_argument('--provide', action='store_true',
                            help='Make the Ironic node available for '
                                 'deployment')
        add_wait_options(parser, 'registration')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        fields = common.given(parsed_args, 'driver', 'driver_info',
                              'resource_class', 'name')
        if parsed_args.properties:
            fields['properties'] = numbers(parsed_args.properties)
        if parsed_args.provide:
            fields['provide'] = True
        client.register_node(parsed_args.node, **fields)
        return show_started(self, parsed_args, 'register')


class UnregisterNode(command.ShowOne):
    """Remove a node from Ironic."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('--force', action='store_true',
                            help='Even when Ironic has it deployed')
        add_wait_options(parser, 'unregistration')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.valence
        client.unregister_node(parsed_args.node, force=parsed_args.force)
        return show_started(self, parsed_args, 'unregister')


class ListNodeAction(command.Lister):
    """List what happened to a node: its operations and their results."""

    WHAT = 'action'
    COLUMNS = ACTION_COLUMNS
    FIELDS = ACTION_FIELDS

    def fetch(self, client, node):
        return client.list_node_actions(node)

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('--long', action='store_true',
                            help='Show every field of each %s' % self.WHAT)
        return parser

    def take_action(self, parsed_args):
        items = self.fetch(self.app.client_manager.valence, parsed_args.node)
        return common.listing(
            items, self.FIELDS if parsed_args.long else self.COLUMNS)


class ListNodeDevice(ListNodeAction):
    """List the pooled devices attached to a node."""

    WHAT = 'device'
    # Whether the node must reboot to see the device (ExpEther, RSD PCIe).
    COLUMNS = device.COLUMNS + ('reboot_required',)
    FIELDS = device.FIELDS + ('reboot_required',)

    def fetch(self, client, node):
        return client.list_node_devices(node)
