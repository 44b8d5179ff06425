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


"""Encryption at rest of the secrets Valence stores: pod manager passwords.

Fernet (``cryptography``) is authenticated encryption whose key can be
rotated: the keys form a ``MultiFernet``, so the first key encrypts and
every key decrypts. Keys come from ``[secrets] fernet_keys`` or from a key
file, one key a line. The key file is read on each use, so a changed file
takes effect without a restart.

Stored values start with ``fernet:``. A value without that prefix was
stored in clear before Valence encrypted passwords; it is still read, and
``valence-manage reencrypt_passwords`` encrypts it.

Only the conductors need the keys: the API never reads a stored password.
"""

import os
import tempfile

from cryptography import fernet
from oslo_log import log

from valence import conf
from valence.common import exception

LOG = log.getLogger(__name__)

PREFIX = 'fernet:'
KEY_FILE_NAME = 'fernet_keys'
KEY_FILE_HEADER = ('# Fernet keys of Valence, one a line: the first one '
                   'encrypts, all of them decrypt.\n')
# What decrypting a value that no key opens raises.
_UNREADABLE = (fernet.InvalidToken, UnicodeEncodeError)

_warned_clear = False


# Defined with the other errors, whose module RPC callers may rebuild.
SecretKeyError = exception.SecretKeyError


def key_file():
    """The key file in use: the configured one or the state path's."""
    CONF = conf.CONF
    return (CONF.secrets.fernet_key_file or
            os.path.join(CONF.state_path, KEY_FILE_NAME))


def generate_key():
    """A new random Fernet key, as text."""
    return fernet.Fernet.generate_key().decode('ascii')


def ensure_key_file():
    """Create the default key file, with one new key, if no key is set.

    Only the default location is created: a configured key file that is
    missing is an error, since a conductor that made up its own key could
    not read what the others encrypted. Returns the path created, or None.
    """
    CONF = conf.CONF
    if CONF.secrets.fernet_keys or CONF.secrets.fernet_key_file:
        return None
    path = key_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        # O_EXCL: of two processes sharing a state path, one creates it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(fd, 'w') as f:
        f.write(KEY_FILE_HEADER + generate_key() + '\n')
    LOG.warning('No Fernet key was configured: created the key file %s '
                '(mode 0600) to encrypt pod manager passwords. Back it up '
                'with the database; other conductors sharing this database '
                'need the same file ([secrets] fernet_key_file).', path)
    return path


def _read_key_file(path):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise SecretKeyError(reason='Cannot read the Fernet key file %s: %s'
                             % (path, e.strerror))
    return [line.strip() for line in lines
            if line.strip() and not line.strip().startswith('#')]


def _key_source():
    if conf.CONF.secrets.fernet_keys:
        return '[secrets] fernet_keys'
    return key_file()


def _multi_fernet():
    source = _key_source()
    if conf.CONF.secrets.fernet_keys:
        keys = conf.CONF.secrets.fernet_keys
    else:
        keys = _read_key_file(source)
    if not keys:
        raise SecretKeyError(reason='%s holds no Fernet key.' % source)
    fernets = []
    for number, key in enumerate(keys, 1):
        try:
            fernets.append(fernet.Fernet(key))
        except ValueError:
            # Never quote the key itself.
            raise SecretKeyError(
                reason='Key %d of %s is not a Fernet key (32 url-safe '
                       'base64-encoded bytes).' % (number, source))
    return fernet.MultiFernet(fernets)


def check_keys():
    """Fail now, not at the first password, if the keys are unusable."""
    _multi_fernet()
    if conf.CONF.secrets.fernet_keys:
        return
    path = key_file()
    if os.stat(path).st_mode & 0o077:
        LOG.warning('The Fernet key file %s can be read by other users; '
                    'make it mode 0600.', path)


def keys_configured():
    """Whether keys are set or a key file exists (nothing is created)."""
    return bool(conf.CONF.secrets.fernet_keys) or os.path.exists(key_file())


def init_keys():
    """At the start of a service that reads or writes stored passwords."""
    ensure_key_file()
    check_keys()


def is_encrypted(stored):
    return stored is not None and stored.startswith(PREFIX)


def encrypt(secret):
    """The value to store for ``secret`` (None stays None)."""
    if secret is None:
        return None
    token = _multi_fernet().encrypt(secret.encode('utf-8'))
    return PREFIX + token.decode('ascii')


def decrypt(stored):
    """The secret that ``encrypt`` turned into ``stored``."""
    global _warned_clear
    if stored is None:
        return None
    if not is_encrypted(stored):
        if not _warned_clear:
            _warned_clear = True
            LOG.warning('Some pod manager passwords are stored in clear; '
                        'run "valence-manage reencrypt_passwords" to '
                        'encrypt them.')
        return stored
    try:
        secret = _multi_fernet().decrypt(_token(stored))
    except _UNREADABLE:
        raise _undecryptable()
    return secret.decode('utf-8')


def reencrypt(stored):
    """``stored`` encrypted again with the first key (clear: encrypted)."""
    if stored is None:
        return None
    if not is_encrypted(stored):
        return encrypt(stored)
    try:
        token = _multi_fernet().rotate(_token(stored))
    except _UNREADABLE:
        raise _undecryptable()
    return PREFIX + token.decode('ascii')


def _token(stored):
    return stored[len(PREFIX):].encode('ascii')


def _undecryptable():
    return SecretKeyError(
        reason='A stored pod manager password cannot be decrypted with the '
               'Fernet keys of this service (%s): the key that encrypted it '
               'is missing. Every conductor needs the same keys.'
               % _key_source())


def add_key(path=None):
    """Put a new key first in the key file; the older keys stay.

    The file is replaced atomically and keeps mode 0600. Returns its path.
    """
    path = path or key_file()
    with open(path) as f:
        lines = f.read().splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines)
                  if line.strip() and not line.strip().startswith('#')),
                 len(lines))
    lines.insert(first, generate_key() + '\n')
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.fernet_keys.')
    try:
        with os.fdopen(fd, 'w') as f:
            f.writelines(lines)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path
