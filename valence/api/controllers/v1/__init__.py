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

"""Version 1 of the Valence API."""

import pecan
from pecan import rest
from wsme import types as wtypes

from valence.api import expose
from valence.api.controllers import link
from valence.api.controllers.v1 import conductors
from valence.api.controllers.v1 import devices
from valence.api.controllers.v1 import flavors
from valence.api.controllers.v1 import nodes
from valence.api.controllers.v1 import pod_managers
from valence.api.controllers.v1 import racks
from valence.api.controllers.v1 import storages
from valence.api.controllers.v1 import systems

RESOURCES = ('pod_managers', 'flavors', 'systems', 'storages', 'racks',
             'devices', 'nodes', 'conductors')


class MediaType(wtypes.Base):
    base = wtypes.text
    type = wtypes.text


class V1(wtypes.Base):
    """The v1 document: its media types and links to every resource."""

    id = wtypes.text
    media_types = [MediaType]
    links = [link.Link]
    pod_managers = [link.Link]
    flavors = [link.Link]
    systems = [link.Link]
    storages = [link.Link]
    racks = [link.Link]
    devices = [link.Link]
    nodes = [link.Link]
    conductors = [link.Link]

    @classmethod
    def convert(cls):
        url = pecan.request.public_url
        v1 = cls(id='v1')
        v1.media_types = [MediaType(
            base='application/json',
            type='application/vnd.openstack.valence.v1+json')]
        v1.links = [link.Link.make_link('self', url, 'v1', '',
                                        bookmark=True),
                    link.Link(href='https://docs.openstack.org/valence/',
                              rel='describedby')]
        for resource in RESOURCES:
            setattr(v1, resource, [
                link.Link.make_link('self', url, resource, ''),
                link.Link.make_link('bookmark', url, resource, '',
                                    bookmark=True)])
        return v1


class Controller(rest.RestController):

    pod_managers = pod_managers.PodManagersController()
    flavors = flavors.FlavorsController()
    systems = systems.SystemsController()
    storages = storages.StoragesController()
    racks = racks.RacksController()
    devices = devices.DevicesController()
    nodes = nodes.NodesController()
    conductors = conductors.ConductorsController()

    @expose.expose(V1)
    def get(self):
        return V1.convert()
