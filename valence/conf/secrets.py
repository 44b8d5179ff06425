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

GROUP = cfg.OptGroup('secrets', title='Protection of stored secrets',
                     help='Pod manager passwords are stored encrypted with '
                          'Fernet keys. Only the conductors (and the '
                          'all-in-one "valence") need the keys; the API '
                          'never reads a stored password.')

opts = [
    cfg.StrOpt('fernet_key_file',
               help='File of Fernet keys, one a line ("#" starts a '
                    'comment). The first key encrypts, every key decrypts, '
                    'so a new key is put first and older ones are kept '
                    'until "valence-manage reencrypt_passwords" has run. '
                    'When unset, "fernet_keys" in the state path is used '
                    'and created with one new key (mode 0600) on the first '
                    'start. All conductors sharing a database must have '
                    'the same keys.'),
    cfg.ListOpt('fernet_keys',
                secret=True,
                default=[],
                help='The Fernet keys themselves, first the one that '
                     'encrypts, instead of a key file. When set, '
                     '"fernet_key_file" is not read.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(opts, group=GROUP)
