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

from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='REST API options')

opts = [
    cfg.HostAddressOpt('host_ip',
                       default='127.0.0.1',
                       help='Address on which the API listens.'),
    cfg.PortOpt('port',
                default=8181,
                help='Port on which the API listens. 8181 is the port of '
                     'the original Valence API.'),
    cfg.IntOpt('max_limit',
               default=1000,
               min=1,
               help='Largest number of items a list request returns. A '
                    'larger "limit" is reduced to this.'),
    cfg.StrOpt('public_endpoint',
               help='Public URL of the API, used in links and "Location" '
                    'headers when the API runs behind a proxy. By default '
                    'the URL of the request is used.'),
    cfg.IntOpt('threads',
               default=16,
               min=1,
               help='Number of threads serving API requests in '
                    '"valence-api" and "valence".'),
    cfg.IntOpt('max_json_depth',
               default=32,
               min=1,
               help='Deepest nesting of arrays and objects accepted in a '
                    'JSON request body; a deeper body answers 400. The '
                    'size of a body is limited by [oslo_middleware] '
                    'max_request_body_size.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(opts, group=GROUP)
