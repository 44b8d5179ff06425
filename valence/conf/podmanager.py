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

GROUP = cfg.OptGroup('podmanager', title='Pod manager connection options')

opts = [
    cfg.FloatOpt('connect_timeout',
                 default=5.0,
                 min=0.1,
                 help='Seconds to wait for a pod manager to accept a '
                      'connection.'),
    cfg.FloatOpt('request_timeout',
                 default=60.0,
                 min=0.1,
                 help='Seconds to wait for a pod manager to answer one '
                      'request.'),
    cfg.IntOpt('retries',
               default=3,
               min=0,
               help='How many times a request that failed with a '
                    'connection error or a 5xx answer is retried.'),
    cfg.FloatOpt('retry_interval',
                 default=1.0,
                 min=0,
                 help='Seconds between two attempts of a failed request.'),
    cfg.StrOpt('ca_bundle',
               help='CA bundle used to verify the TLS certificates of pod '
                    'managers whose "verify_tls" is true. By default the '
                    'system CA store is used.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(opts, group=GROUP)
