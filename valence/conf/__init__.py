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

"""Valence configuration: every option group is registered on ``CONF``."""

from oslo_config import cfg

from valence.conf import api
from valence.conf import conductor
from valence.conf import database
from valence.conf import default
from valence.conf import ironic
from valence.conf import podmanager
from valence.conf import secrets

CONF = cfg.CONF

default.register_opts(CONF)
api.register_opts(CONF)
conductor.register_opts(CONF)
database.register_opts(CONF)
ironic.register_opts(CONF)
podmanager.register_opts(CONF)
secrets.register_opts(CONF)
