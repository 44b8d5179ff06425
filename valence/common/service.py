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

"""What every Valence command does first."""

import os
import sys

from oslo_config import cfg
from oslo_log import log

from valence import conf
from valence.common import crypto

# Libraries whose chatter at INFO drowns Valence's own log.
QUIET_LOGGERS = ['amqp=WARN', 'amqplib=WARN', 'kombu=WARN',
                 'oslo_messaging=INFO', 'sqlalchemy=WARN', 'stevedore=WARN',
                 'urllib3.connectionpool=WARN', 'cheroot=WARN',
                 'oslo_policy=WARN', 'oslo.privsep.daemon=WARN',
                 'keystonemiddleware.auth_token=INFO', 'requests=WARN',
                 'tooz=WARN']


def prepare_service(argv, default_config_files=None):
    """Parse the command line and config files, set up logging."""
    log.register_options(conf.CONF)
    log.set_defaults(default_log_levels=(log.get_default_log_levels() +
                                         QUIET_LOGGERS))
    conf.CONF(argv[1:], project='valence',
              default_config_files=default_config_files)
    log.setup(conf.CONF, 'valence')
    os.makedirs(conf.CONF.state_path, exist_ok=True)


def run_subcommand(argv, add_commands, help):
    """Parse a command line of subcommands and run the chosen one.

    ``add_commands(subparsers)`` declares them, each with a ``func``.
    """
    conf.CONF.register_cli_opt(cfg.SubCommandOpt(
        'command', title='Commands', handler=add_commands, help=help))
    prepare_service(argv)
    conf.CONF.command.func()


def init_secret_keys():
    """Before a conductor starts: the Fernet keys of pod manager passwords
    (made on first start when none is configured), or exit saying why."""
    try:
        crypto.init_keys()
    except crypto.SecretKeyError as e:
        sys.exit(str(e))
