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

"""The OpenStackClient plugin of Valence (``openstack valence ...``).

OSC finds this module through the ``openstack.cli.extension`` entry point
and the commands under ``openstack.valence.v1``. Authentication is OSC's:
with Keystone (``--os-cloud`` or ``OS_*`` variables) the session carries
a token and the endpoint comes from the catalog (service type
``composition``); with ``--os-auth-type none`` (or ``http_basic``) the
API's URL is given with ``--valence-api-url``.
"""

import logging

from osc_lib import utils

from valence.osc import client

LOG = logging.getLogger(__name__)

API_NAME = 'valence'
API_VERSION_OPTION = 'os_valence_api_version'
DEFAULT_API_VERSION = '1'
# Major version '1' asks for the newest 1.x microversion the client knows.
API_VERSIONS = {
    '1': 'valence.osc.client.Client',
    client.API_VERSION: 'valence.osc.client.Client',
}


def _microversion(version):
    return client.API_VERSION if version == '1' else version


def make_client(instance):
    """The Valence client of an OSC ClientManager."""
    config = instance.get_configuration()
    # --valence-api-url, else the generic override a clouds.yaml may set,
    # else the Keystone catalog.
    endpoint = (config.get('valence_api_url')
                or config.get('composition_endpoint_override'))
    version = _microversion(instance._api_version[API_NAME])
    LOG.debug('Valence API %s at %s', version, endpoint or 'the catalog')
    return client.Client(session=instance.session, endpoint=endpoint,
                         api_version=version,
                         region_name=instance.region_name,
                         interface=instance.interface)


def build_option_parser(parser):
    """The global options of the plugin."""
    parser.add_argument(
        '--valence-api-version',
        metavar='<valence-api-version>',
        dest=API_VERSION_OPTION,
        default=utils.env('OS_VALENCE_API_VERSION',
                          default=DEFAULT_API_VERSION),
        choices=sorted(API_VERSIONS),
        help='Valence API version, default=%s: the newest this client '
             'knows (Env: OS_VALENCE_API_VERSION)' % DEFAULT_API_VERSION)
    parser.add_argument(
        '--valence-api-url',
        metavar='<url>',
        dest='valence_api_url',
        default=utils.env('VALENCE_API_URL'),
        help='URL of the Valence API, such as http://127.0.0.1:8181, '
             'instead of the one in the Keystone catalog; needed with '
             '--os-auth-type none (Env: VALENCE_API_URL)')
    return parser
