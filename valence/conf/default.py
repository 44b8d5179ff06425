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

import os
import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='localhost',
               help='Name of this node. It must be unique among the '
                    'conductors sharing one database: it is the conductor '
                    'hostname in the hash ring and its RPC topic suffix.'),
    cfg.StrOpt('state_path',
               default=os.path.join(os.path.expanduser('~'), '.valence'),
               sample_default='$HOME/.valence',
               help='Directory where Valence keeps its state, such as the '
                    'SQLite database of the all-in-one service.'),
    cfg.StrOpt('rpc_transport',
               default='oslo',
               choices=[('oslo', 'oslo.messaging over "transport_url" '
                                 '(RabbitMQ): the API and any number of '
                                 'conductors run as separate processes.'),
                        ('local', 'In-process calls between the API and the '
                                  'conductor of the all-in-one "valence" '
                                  'command; no message broker is needed.')],
               help='How the API reaches the conductors.'),
    cfg.IntOpt('rpc_send_retries',
               default=2,
               min=-1,
               help='How many times a message to a conductor is sent again '
                    'while the message broker cannot be reached, before '
                    'the request fails: the API then answers 503 instead '
                    'of waiting for the broker. The waits between attempts '
                    'follow [oslo_messaging_rabbit] kombu_reconnect_delay, '
                    'rabbit_retry_interval and rabbit_retry_backoff: with '
                    'their defaults, 2 retries give up after about 6 '
                    'seconds. Once sent, a call waits for its answer at '
                    'most "rpc_response_timeout" seconds. -1 retries until '
                    'the broker is back, as oslo.messaging does by '
                    'default: API requests then hang through a broker '
                    'outage.'),
    cfg.StrOpt('auth_strategy',
               default='noauth',
               choices=[('noauth', 'No authentication: every request acts '
                                   'as an administrator. For a service '
                                   'reachable only from this machine.'),
                        ('http_basic', 'HTTP basic authentication against '
                                       'an htpasswd file.'),
                        ('keystone', 'OpenStack Identity tokens through '
                                     'keystonemiddleware.')],
               help='Authentication of API requests. With "noauth" the '
                    'API logs a warning when it listens on an address '
                    'other than loopback.'),
    cfg.StrOpt('http_basic_auth_user_file',
               default='/etc/valence/htpasswd',
               help='The htpasswd file of auth_strategy = http_basic: one '
                    '"user:hash" line per user, with bcrypt hashes only '
                    '("htpasswd -B"). Its users act as system '
                    'administrators, except those in '
                    'http_basic_reader_users.'),
    cfg.ListOpt('http_basic_reader_users',
                default=[],
                help='Users of http_basic_auth_user_file who may only read: '
                     'they act as system readers.'),
    cfg.ListOpt('versioned_notifications_topics',
                default=['valence_versioned_notifications'],
                help='Topics on which versioned notifications are sent. '
                     'The notification driver and transport are set in '
                     '[oslo_messaging_notifications].'),
]


def register_opts(conf):
    conf.register_opts(opts)
