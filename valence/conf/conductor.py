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

GROUP = cfg.OptGroup('conductor', title='Conductor options')

opts = [
    cfg.IntOpt('heartbeat_interval',
               default=10,
               min=1,
               help='Seconds between two heartbeats of a conductor.'),
    cfg.IntOpt('heartbeat_timeout',
               default=60,
               min=2,
               help='A conductor whose last heartbeat is older than this '
                    'many seconds is dead: its pod managers move to the '
                    'live conductors.'),
    cfg.IntOpt('hash_ring_reset_interval',
               default=15,
               min=1,
               help='Seconds for which the hash ring of live conductors '
                    'is cached before it is read again from the database.'),
    cfg.IntOpt('sync_interval',
               default=300,
               min=0,
               help='Seconds between two inventory syncs of each pod '
                    'manager, by the conductor that serves it; 0 turns '
                    'the periodic sync off. Pod managers are synced one '
                    'at a time per conductor; the period runs from the '
                    'start of a pass over them to the start of the next, '
                    'and a conductor whose pass takes longer says so in '
                    'its log.'),
    cfg.FloatOpt('sync_jitter',
                 default=0.1,
                 min=0,
                 max=1,
                 help='Share of "sync_interval" by which each wait varies '
                      'at random, so that conductors started together do '
                      'not read their pods in step.'),
    cfg.IntOpt('power_sync_interval',
               default=60,
               min=0,
               help='Seconds between two readings of the power state of '
                    'the composed nodes a conductor serves; 0 turns it '
                    'off.'),
    cfg.IntOpt('recovery_interval',
               default=30,
               min=1,
               help='Seconds between two searches for nodes left in a '
                    'transient state by a conductor that died. Such '
                    'nodes are also recovered when a conductor starts.'),
    cfg.IntOpt('workers_pool_size',
               default=32,
               min=2,
               help='Number of threads doing asynchronous work in a '
                    'conductor.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(opts, group=GROUP)
