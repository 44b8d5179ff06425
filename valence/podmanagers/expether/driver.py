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

"""Driver for NEC ExpEther managers (the EEM REST API)."""

import requests

from valence import conf
from valence.podmanagers import base


class ExpEtherDriver(base.PodManagerDriver):
    """An ExpEther manager: servers (EESV) and I/O devices (EEIO)."""

    def __init__(self, connection):
        super().__init__(connection)
        self._session = requests.Session()
        self._session.auth = (connection.username or '',
                              connection.password or '')
        if connection.verify_tls:
            self._session.verify = conf.CONF.podmanager.ca_bundle or True
        else:
            self._session.verify = False

    def _url(self, path):
        return '%s/%s' % (self.connection.url.rstrip('/'), path)

    def _timeout(self):
        opts = conf.CONF.podmanager
        return (opts.connect_timeout, opts.request_timeout)

    def get_status(self):
        url = self.connection.url
        try:
            response = self._session.get(self._url('api_version'),
                                         timeout=self._timeout())
        except requests.RequestException as e:
            return base.PodStatus.offline('Cannot connect to %s: %s'
                                          % (url, base.connection_failure(e)))
        if response.status_code in (401, 403):
            return base.PodStatus.error(
                'The ExpEther manager at %s refused the credentials.' % url)
        if response.status_code != 200:
            return base.PodStatus.error(
                'The ExpEther manager at %s answered HTTP %s.'
                % (url, response.status_code))
        try:
            document = response.json()
        except ValueError:
            document = None
        if not isinstance(document, dict):
            return base.PodStatus.error(
                '%s/api_version did not answer as an ExpEther manager.'
                % url.rstrip('/'))
        return base.PodStatus.online()

    def close(self):
        self._session.close()
