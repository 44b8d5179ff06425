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

"""The API as a WSGI application for uWSGI, mod_wsgi or gunicorn.

Point the server at ``valence.wsgi.api:application``. The configuration is
read from the default locations (``/etc/valence/valence.conf``) or from the
files named by the ``VALENCE_CONFIG_FILES`` environment variable,
separated by commas.
"""

import os
import sys

from valence import conf
from valence.cmd import api
from valence.common import service


def initialize_application():
    files = os.environ.get('VALENCE_CONFIG_FILES')
    service.prepare_service(
        sys.argv[:1],
        default_config_files=files.split(',') if files else None)
    if conf.CONF.rpc_transport == 'local':
        raise RuntimeError('The WSGI API reaches conductors over '
                           'oslo.messaging: set rpc_transport = oslo.')
    return api.build_app()


application = initialize_application()
