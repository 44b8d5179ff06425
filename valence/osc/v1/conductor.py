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

"""openstack valence conductor list|show: the conductors, whether they
live, and which pod managers each one serves."""

from valence.osc.v1 import common

COLUMNS = ('hostname', 'alive', 'pod_manager_count', 'heartbeat_at')
FIELDS = ('hostname', 'alive', 'drivers', 'heartbeat_at',
          'pod_manager_count', 'pod_managers', 'created_at', 'updated_at')


def flatten(conductor):
    """The conductor with the pod managers it serves as uuids and names,
    without their links."""
    conductor = dict(conductor)
    if conductor.get('pod_managers') is not None:
        conductor['pod_managers'] = [
            {'uuid': p.get('uuid'), 'name': p.get('name')}
            for p in conductor['pod_managers']]
    return conductor


class ListConductor(common.ListCommand):
    """List the conductors and whether they live; --long adds the pod
    managers each one serves."""

    WHAT = 'conductor'
    MARKER = 'hostname'
    COLUMNS = COLUMNS
    FIELDS = FIELDS

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        common.add_switch(
            parser, 'alive',
            ('--alive', 'Only the conductors that live'),
            ('--dead', 'Only the conductors whose heartbeat stopped'))
        return parser

    def fetch(self, client, parsed_args, **params):
        return client.list_conductors(detail=parsed_args.long,
                                      alive=parsed_args.alive, **params)

    def shown(self, item):
        return flatten(item)


class ShowConductor(common.ShowCommand):
    """Show a conductor and the pod managers it serves."""

    WHAT = 'conductor'
    IDENT = 'hostname'
    FIELDS = FIELDS

    def fetch(self, client, ident):
        return client.get_conductor(ident)

    def shown(self, item):
        return flatten(item)
