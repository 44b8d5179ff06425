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

"""How every API method is exposed: WSME, JSON only, and the errors of an
unreachable database answered as 503.

WSME turns a ``ValenceException`` into its ``code`` and anything else into
a 500. A database that cannot be reached (down, restarting, failing over)
is no fault of the request and no bug: it is told as "503 database
unavailable" here, once for every controller.
"""

import functools
import inspect

from oslo_db import exception as db_exc
from oslo_log import log
import pecan.util
import sqlalchemy.exc
import wsmeext.pecan as wsme_pecan

from valence.common import exception

LOG = log.getLogger(__name__)

# oslo.db raises DBConnectionError for a server that refuses or drops
# connections, DBNonExistentDatabase for a database that is gone;
# SQLAlchemy's TimeoutError is a pool left without a free connection for
# [database] pool_timeout seconds, as happens while the server hangs.
DATABASE_UNAVAILABLE = (db_exc.DBConnectionError,
                        db_exc.DBNonExistentDatabase,
                        sqlalchemy.exc.TimeoutError)


def expose(*args, **kwargs):
    """``wsexpose`` for JSON only: Valence speaks no XML."""
    kwargs.setdefault('rest_content_types', ('json',))
    wsexpose = wsme_pecan.wsexpose(*args, **kwargs)

    def decorate(func):
        @functools.wraps(func)
        def answer(*call_args, **call_kwargs):
            try:
                return func(*call_args, **call_kwargs)
            except DATABASE_UNAVAILABLE as e:
                LOG.warning('Database unavailable: %s', e)
                raise exception.DatabaseUnavailable()

        # WSME and Pecan map the request to the arguments of the method
        # itself, not to those of the wrapper.
        answer._wsme_original_func = func
        exposed = wsexpose(answer)
        pecan.util._cfg(exposed)['argspec'] = inspect.getfullargspec(func)
        return exposed
    return decorate
