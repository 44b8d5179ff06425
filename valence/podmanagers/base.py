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

"""The interface between the conductor and pod manager drivers.

A driver is a class registered under the stevedore namespace
``valence.podmanager.drivers``. The conductor makes one instance per pod
manager and keeps it while the pod manager's URL and credentials stay the
same, so a driver may hold a connection (an HTTP session, a Redfish
session) across calls. Drivers raise only ``valence.common.exception``
errors: whatever their client library raises is translated at this
boundary, keeping the pod's own message.
"""

import abc
import dataclasses

from valence.common import states


@dataclasses.dataclass(frozen=True)
class PodConnection:
    """Where a pod manager is and how to log in to it."""

    url: str
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    auth_type: str = 'basic'
    verify_tls: bool = True


@dataclasses.dataclass(frozen=True)
class PodStatus:
    """What a connectivity check found: a pod manager status and why."""

    status: str
    reason: str | None = None

    @classmethod
    def online(cls):
        return cls(states.ONLINE)

    @classmethod
    def offline(cls, reason):
        return cls(states.OFFLINE, reason)

    @classmethod
    def error(cls, reason):
        return cls(states.ERROR, reason)


def connection_failure(error):
    """A short reason for a connection that failed: the innermost cause.

    requests and urllib3 wrap the socket error several times over; the
    innermost message ("[Errno 111] Connection refused", "timed out") is
    the one an operator needs.
    """
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = (getattr(error, 'reason', None) or error.__cause__ or
                 error.__context__ or
                 (error.args[0] if error.args and
                  isinstance(error.args[0], BaseException) else None))
        if not isinstance(inner, BaseException):
            break
        error = inner
    message = str(error)
    # urllib3 prefixes the connection's repr: keep what follows it.
    return message.split('): ', 1)[-1] if '): ' in message else message


class PodManagerDriver(metaclass=abc.ABCMeta):
    """A pod manager driver, bound to one pod manager."""

    def __init__(self, connection):
        self.connection = connection

    @abc.abstractmethod
    def get_status(self):
        """Check that the pod manager answers as this driver expects.

        :returns: a PodStatus: online when the pod answered its service
            root (or equivalent) with the given credentials, offline when
            it could not be reached, error when it answered wrongly
            (credentials refused, a server error, not this kind of pod).
        """

    def close(self):
        """Release the connection; the instance is not used afterwards."""
