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

"""valence-status: is this deployment ready to run (``upgrade check``)?

Run it with the configuration of the conductors, after an upgrade of the
code and before (or while) the services start again. Each check answers
Success, Warning (it works, but look) or Failure (it will not work); the
exit code is the worst of them (0, 1 or 2).
"""

import sys

from oslo_db import exception as db_exc
from oslo_policy import opts as policy_opts
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck

from valence import conf
from valence import objects
from valence.common import context as valence_context
from valence.common import crypto
from valence.db import migration

Code = upgradecheck.Code
Result = upgradecheck.Result


def _database_failure(error):
    return Result(Code.FAILURE, 'The database cannot be reached (%s); check '
                                '[database] connection.' % error)


def _live_conductors():
    return objects.Conductor.list(
        valence_context.get_admin_context(),
        alive_within=conf.CONF.conductor.heartbeat_timeout)


class Checks(upgradecheck.UpgradeCommands):

    def _check_schema(self):
        try:
            current = migration.version()
        except db_exc.DBError as e:
            return _database_failure(e)
        head = migration.head()
        if current != head:
            return Result(Code.FAILURE,
                          'The database schema is at revision %s, the code '
                          'needs %s: run "valence-dbsync upgrade".'
                          % (current or 'none (empty database)', head))
        return Result(Code.SUCCESS)

    def _check_conductors(self):
        try:
            alive = _live_conductors()
        except db_exc.DBError as e:
            return _database_failure(e)
        if not alive:
            # A warning, not a failure: during an upgrade the conductors
            # may all be stopped on purpose.
            return Result(Code.WARNING,
                          'No conductor has sent a heartbeat in the last %d '
                          'seconds ([conductor] heartbeat_timeout): until '
                          'one runs, the API answers 503 to everything '
                          'that needs a conductor.'
                          % conf.CONF.conductor.heartbeat_timeout)
        return Result(Code.SUCCESS, 'Live conductors: %s.' % ', '.join(
            sorted(c.hostname for c in alive)))

    def _check_drivers(self):
        context = valence_context.get_admin_context()
        try:
            alive = _live_conductors()
            podms = objects.PodManager.list(context)
        except db_exc.DBError as e:
            return _database_failure(e)
        if not alive:
            return Result(Code.SUCCESS,
                          'No live conductor to compare with (see the '
                          'conductors check).')
        served = {driver for c in alive for driver in c.drivers}
        unserved = sorted('%s (%s)' % (p.name, p.driver) for p in podms
                          if p.driver not in served)
        if unserved:
            return Result(Code.FAILURE,
                          'No live conductor has the driver of these pod '
                          'managers, which nobody syncs or serves: %s. '
                          'Install the driver on a conductor, or check '
                          'its entry points.' % ', '.join(unserved))
        return Result(Code.SUCCESS)

    def _check_secret_keys(self):
        if not crypto.keys_configured():
            return Result(Code.WARNING,
                          'No Fernet keys are configured ([secrets] '
                          'fernet_keys or fernet_key_file) and %s does not '
                          'exist: a conductor makes one on its first start. '
                          'Conductors sharing a database must share their '
                          'keys: make one key file and configure it on all '
                          'of them.' % crypto.key_file())
        try:
            crypto.check_keys()
        except crypto.SecretKeyError as e:
            return Result(Code.FAILURE, str(e))
        context = valence_context.get_admin_context()
        try:
            podms = objects.PodManager.list(context)
        except db_exc.DBError as e:
            return _database_failure(e)
        unreadable = []
        for podm in podms:
            try:
                podm.password
            except crypto.SecretKeyError:
                unreadable.append(podm.name)
        if unreadable:
            return Result(Code.FAILURE,
                          'The configured keys cannot decrypt the stored '
                          'password of: %s. Configure the keys they were '
                          'encrypted with.' % ', '.join(sorted(unreadable)))
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        ('Database schema', _check_schema),
        ('Live conductors', _check_conductors),
        ('Pod manager drivers', _check_drivers),
        ('Fernet keys', _check_secret_keys),
        ('Policy File JSON to YAML Migration',
         (common_checks.check_policy_json, {'conf': conf.CONF})),
    )


def main():
    policy_opts.set_defaults(conf.CONF)
    return upgradecheck.main(conf.CONF, project='valence',
                             upgrade_command=Checks(), argv=sys.argv[1:])
