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
import subprocess
import sys

from valence.tests import base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class TestConfigSample(base.TestCase):

    def test_committed_sample_is_what_the_generator_writes(self):
        out = os.path.join(self.state_path, 'valence.conf.sample')
        generator = os.path.join(os.path.dirname(sys.executable),
                                 'oslo-config-generator')
        subprocess.run(
            [generator, '--config-file',
             os.path.join(ROOT, 'etc', 'valence',
                          'valence-config-generator.conf'),
             '--output-file', out],
            check=True, cwd=ROOT, capture_output=True)
        with open(out) as generated, open(os.path.join(
                ROOT, 'etc', 'valence', 'valence.conf.sample')) as committed:
            self.assertEqual(
                generated.read(), committed.read(),
                'etc/valence/valence.conf.sample is stale: run '
                '"tox -e genconfig" and commit the result.')
