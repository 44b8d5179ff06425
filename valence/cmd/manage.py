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


"""valence-manage: operator tasks on a stopped or running Valence.

Pod manager passwords are encrypted with the Fernet keys of
``[secrets]``; rotating them is (see the administrator guide):

1. ``valence-manage add_key`` puts a new key first in the key file (with
   several conductors: add it last on all of them first, then move it
   first, so that none encrypts with a key the others lack);
2. ``valence-manage reencrypt_passwords`` encrypts every stored password
   with it;
3. the older keys can then be removed from the file.
"""

import sys

from valence import conf
from valence import objects
from valence.common import context as valence_context
from valence.common import crypto
from valence.common import service as valence_service


def _generate_key():
    print(crypto.generate_key())


def _add_key():
    try:
        path = crypto.add_key(conf.CONF.command.key_file)
    except OSError as e:
        sys.exit('Cannot add a key to %s: %s' % (
            conf.CONF.command.key_file or crypto.key_file(), e.strerror))
    print('A new key is now the first of %s; run "valence-manage '
          'reencrypt_passwords" to encrypt the stored passwords with it.'
          % path)


def _reencrypt_passwords():
    try:
        crypto.check_keys()
        count = objects.PodManager.reencrypt_passwords(
            valence_context.get_admin_context())
    except crypto.SecretKeyError as e:
        sys.exit(str(e))
    print('%d pod manager password(s) encrypted with the first key.' % count)


def _add_commands(subparsers):
    generate = subparsers.add_parser(
        'generate_key', help='Print a new Fernet key, for [secrets] '
                             'fernet_keys or a key file.')
    generate.set_defaults(func=_generate_key)
    add = subparsers.add_parser(
        'add_key', help='Put a new key first in the key file; the older '
                        'keys stay, to decrypt what they encrypted.')
    add.add_argument('--key-file', default=None,
                     help='The key file (default: [secrets] '
                          'fernet_key_file, or fernet_keys in the state '
                          'path).')
    add.set_defaults(func=_add_key)
    reencrypt = subparsers.add_parser(
        'reencrypt_passwords', help='Encrypt every stored pod manager '
                                    'password with the first key, and those '
                                    'still stored in clear.')
    reencrypt.set_defaults(func=_reencrypt_passwords)


def main():
    valence_service.run_subcommand(sys.argv, _add_commands, 'What to do.')
