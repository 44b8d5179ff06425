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


"""HTTP basic authentication against an htpasswd file.

``auth_strategy = http_basic`` is for Valence used without Keystone. The
file (``[DEFAULT] http_basic_auth_user_file``) has one ``user:hash`` line
per user, with bcrypt hashes only (``htpasswd -B``). It is read on every
request, so adding or removing a user needs no restart. A bcrypt check
costs tens of milliseconds by design: that is each request's price.

There are no projects in this mode: users act on the whole system, as
system administrators or, when listed in ``http_basic_reader_users``, as
system readers. Identity headers sent by the client (``X-Roles``...) are
never trusted: the user name goes into the WSGI environment under
``USER_KEY``, and the context hook builds the request context from it.
"""

import base64
import binascii

import bcrypt
from oslo_log import log
import webob.exc

LOG = log.getLogger(__name__)

USER_KEY = 'valence.http_basic.user'
REALM = 'Valence'
BCRYPT_PREFIXES = ('$2y$', '$2a$', '$2b$')
# Checked when the user is unknown, so that unknown and known users take
# the same time to be refused.
_DUMMY_HASH = bcrypt.hashpw(b'no such user', bcrypt.gensalt(4))


class UserFileError(Exception):
    """The htpasswd file cannot be used."""


def read_user_file(path):
    """{user: bcrypt hash} from an htpasswd file; raise UserFileError."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise UserFileError('Cannot read the htpasswd file %s: %s'
                            % (path, e.strerror))
    users = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        user, sep, hashed = line.partition(':')
        if not sep or not user:
            raise UserFileError('Line %d of %s is not "user:hash".'
                                % (number, path))
        if not hashed.startswith(BCRYPT_PREFIXES):
            # Never quote the hash: name the user and the line.
            raise UserFileError(
                'The password of user %s (line %d of %s) is not a bcrypt '
                'hash; create it with "htpasswd -B".' % (user, number, path))
        users[user] = hashed.encode('utf-8')
    return users


def _credentials(environ):
    """(user, password) from the Authorization header, or None."""
    header = environ.get('HTTP_AUTHORIZATION', '')
    scheme, _sep, value = header.strip().partition(' ')
    if scheme.lower() != 'basic':
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True)
        user, sep, password = decoded.partition(b':')
        if not sep:
            return None
        return user.decode('utf-8'), password
    except (binascii.Error, UnicodeDecodeError):
        return None


def _matches(password, hashed):
    try:
        return bcrypt.checkpw(password, hashed)
    except ValueError:
        # A password bcrypt cannot take (over 72 bytes), or a broken hash.
        return False


class BasicAuthMiddleware:
    """Lets a request through only with a user and password of the file."""

    def __init__(self, app, user_file):
        self.app = app
        self.user_file = user_file
        # Fail at start on a missing or malformed file, not at a request.
        read_user_file(user_file)

    def __call__(self, environ, start_response):
        credentials = _credentials(environ)
        if credentials is None:
            return self._refuse(environ, start_response,
                                'Authentication required.')
        user, password = credentials
        try:
            users = read_user_file(self.user_file)
        except UserFileError as e:
            LOG.error('%s', e)
            return webob.exc.HTTPServiceUnavailable(
                'The user file cannot be read.')(environ, start_response)
        if not _matches(password, users.get(user, _DUMMY_HASH)) or (
                user not in users):
            LOG.info('Refused HTTP basic credentials of user %s', user)
            return self._refuse(environ, start_response,
                                'The user name or password is wrong.')
        # The password is not needed beyond this point.
        del environ['HTTP_AUTHORIZATION']
        environ[USER_KEY] = user
        return self.app(environ, start_response)

    @staticmethod
    def _refuse(environ, start_response, message):
        error = webob.exc.HTTPUnauthorized(message)
        error.headers['WWW-Authenticate'] = 'Basic realm="%s"' % REALM
        return error(environ, start_response)
