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

import pecan
from pecan import rest
from wsme import types as wtypes

from valence.api import expose
from valence.api import versions
from valence.api.controllers import link
from valence.api.controllers import v1


class Version(wtypes.Base):
    id = wtypes.text
    status = wtypes.text
    min_version = wtypes.text
    version = wtypes.text
    """The newest microversion."""
    links = [link.Link]


class Root(wtypes.Base):
    name = wtypes.text
    description = wtypes.text
    versions = [Version]
    default_version = Version

    @classmethod
    def convert(cls):
        v1_version = Version(
            id='v1', status='CURRENT',
            min_version=versions.to_string(versions.MIN_VERSION),
            version=versions.to_string(versions.MAX_VERSION),
            links=[link.Link.make_link('self', pecan.request.public_url,
                                       'v1', '', bookmark=True)])
        return cls(name='OpenStack Valence API',
                   description='Valence composes nodes out of pooled '
                               'bare-metal hardware and manages their '
                               'lifecycle.',
                   versions=[v1_version], default_version=v1_version)


class RootController(rest.RestController):

    v1 = v1.Controller()

    @expose.expose(Root)
    def get(self):
        return Root.convert()
