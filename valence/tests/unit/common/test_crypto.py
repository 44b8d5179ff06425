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
import stat

import fixtures

from valence.common import crypto
from valence.common import service
from valence.tests import base


class KeyFileTestCase(base.TestCase):
    """No key in the configuration: the key file of the state path."""

    def setUp(self):
        super().setUp()
        self.config(fernet_keys=[], group='secrets')
        self.log = self.useFixture(fixtures.FakeLogger(name='valence'))
        self.path = os.path.join(self.state_path, 'fernet_keys')


class TestKeyFile(KeyFileTestCase):

    def test_first_start_creates_a_private_key_file_and_says_so(self):
        self.assertEqual(self.path, crypto.ensure_key_file())
        self.assertEqual(0o600, stat.S_IMODE(os.stat(self.path).st_mode))
        self.assertIn('created the key file %s' % self.path,
                      self.log.output)
        self.assertEqual('pw', crypto.decrypt(crypto.encrypt('pw')))

    def test_next_starts_keep_the_key(self):
        crypto.ensure_key_file()
        stored = crypto.encrypt('pw')
        self.assertIsNone(crypto.ensure_key_file())
        self.assertEqual('pw', crypto.decrypt(stored))

    def test_a_configured_key_file_is_never_created(self):
        missing = os.path.join(self.state_path, 'elsewhere')
        self.config(fernet_key_file=missing, group='secrets')
        self.assertIsNone(crypto.ensure_key_file())
        self.assertFalse(os.path.exists(missing))
        # The conductor and the all-in-one exit at start, saying why.
        error = self.assertRaises(SystemExit, service.init_secret_keys)
        self.assertIn('Cannot read the Fernet key file %s' % missing,
                      str(error))

    def test_comments_and_blank_lines_are_not_keys(self):
        with open(self.path, 'w') as f:
            f.write('# keys\n\n%s\n' % crypto.generate_key())
        os.chmod(self.path, 0o600)
        crypto.check_keys()
        self.assertEqual('pw', crypto.decrypt(crypto.encrypt('pw')))

    def test_a_malformed_key_is_named_by_its_line_not_quoted(self):
        with open(self.path, 'w') as f:
            f.write('%s\nnot-a-key-at-all\n' % crypto.generate_key())
        error = self.assertRaises(crypto.SecretKeyError, crypto.check_keys)
        self.assertIn('Key 2 of %s' % self.path, str(error))
        self.assertNotIn('not-a-key-at-all', str(error))

    def test_an_empty_key_file_is_refused(self):
        with open(self.path, 'w') as f:
            f.write('# nothing yet\n')
        error = self.assertRaises(crypto.SecretKeyError, crypto.check_keys)
        self.assertIn('holds no Fernet key', str(error))

    def test_a_key_file_others_can_read_is_warned_about(self):
        crypto.ensure_key_file()
        os.chmod(self.path, 0o644)
        crypto.check_keys()
        self.assertIn('can be read by other users', self.log.output)


class TestRotation(KeyFileTestCase):

    def setUp(self):
        super().setUp()
        crypto.ensure_key_file()
        self.old = crypto.encrypt('pod-password')

    def test_a_new_key_goes_first_and_the_old_one_still_decrypts(self):
        crypto.add_key()
        with open(self.path) as f:
            keys = [line for line in f.read().splitlines()
                    if not line.startswith('#')]
        self.assertEqual(2, len(keys))
        self.assertEqual(0o600, stat.S_IMODE(os.stat(self.path).st_mode))
        self.assertEqual('pod-password', crypto.decrypt(self.old))

    def test_reencrypted_values_need_only_the_new_key(self):
        crypto.add_key()
        new = crypto.reencrypt(self.old)
        with open(self.path) as f:
            lines = f.read().splitlines()
        # Drop the old key, the last line.
        with open(self.path, 'w') as f:
            f.write('\n'.join(lines[:-1]) + '\n')
        self.assertEqual('pod-password', crypto.decrypt(new))
        error = self.assertRaises(crypto.SecretKeyError, crypto.decrypt,
                                  self.old)
        self.assertIn('the key that encrypted it is missing', str(error))


class TestEncryption(base.TestCase):

    def test_stored_values_are_marked_and_never_hold_the_secret(self):
        stored = crypto.encrypt('s3cr3t')
        self.assertTrue(stored.startswith('fernet:'))
        self.assertNotIn('s3cr3t', stored)
        self.assertEqual('s3cr3t', crypto.decrypt(stored))

    def test_the_same_secret_encrypts_differently_each_time(self):
        self.assertNotEqual(crypto.encrypt('pw'), crypto.encrypt('pw'))

    def test_none_stays_none(self):
        self.assertIsNone(crypto.encrypt(None))
        self.assertIsNone(crypto.decrypt(None))
        self.assertIsNone(crypto.reencrypt(None))

    def test_a_value_stored_in_clear_is_still_read_and_reencrypted(self):
        self.assertEqual('legacy', crypto.decrypt('legacy'))
        stored = crypto.reencrypt('legacy')
        self.assertTrue(crypto.is_encrypted(stored))
        self.assertEqual('legacy', crypto.decrypt(stored))

    def test_another_services_keys_cannot_decrypt(self):
        stored = crypto.encrypt('pw')
        self.config(fernet_keys=[crypto.generate_key()], group='secrets')
        self.assertRaises(crypto.SecretKeyError, crypto.decrypt, stored)

    def test_configured_keys_take_precedence_over_the_key_file(self):
        first, second = crypto.generate_key(), crypto.generate_key()
        self.config(fernet_keys=[second, first], group='secrets')
        stored = crypto.encrypt('pw')
        self.config(fernet_keys=[second], group='secrets')
        self.assertEqual('pw', crypto.decrypt(stored))
        self.assertFalse(os.path.exists(crypto.key_file()))
