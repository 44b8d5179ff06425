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

from oslotest import base

from valence.emulator import cli
from valence.emulator import faults


def options(*argv):
    return cli.pod_options(cli.build_parser().parse_args(list(argv)))


class TestCommandLine(base.BaseTestCase):

    def test_default_is_one_rsd_pod_on_8000(self):
        (pod,) = options()
        self.assertEqual(('rsd', 8000), (pod.personality, pod.port))

    def test_several_pods_get_consecutive_seeds(self):
        pods = options('--pod', 'rsd:0', '--pod', 'expether:9000',
                       '--seed', '7')
        self.assertEqual([('rsd', 0, 7), ('expether', 9000, 8)],
                         [(p.personality, p.port, p.seed) for p in pods])

    def test_profile_sets_both_sizes(self):
        (pod,) = options('--profile', '100k')
        self.assertEqual((10000, 90000), (pod.systems, pod.devices))

    def test_explicit_size_wins_over_the_profile(self):
        (pod,) = options('--profile', '1k', '--systems', '3')
        self.assertEqual((3, 900), (pod.systems, pod.devices))

    def test_fault_flags_make_a_valid_faults_document(self):
        (pod,) = options('--error-rate', '0.5', '--fail', 'assemble:2',
                         '--fail', 'attach', '--fault-method', 'post')
        faults.validate(pod.faults)
        self.assertEqual(({'assemble': 2, 'attach': True}, ['POST']),
                         (pod.faults['fail'], pod.faults['methods']))

    def test_rate_above_one_is_refused(self):
        self.assertRaises(SystemExit, options, '--drop-rate', '2')

    def test_malformed_pod_is_refused(self):
        self.assertRaises(SystemExit, options, '--pod', 'rsd')

    def test_unknown_pod_personality_is_refused(self):
        self.assertRaises(ValueError, options, '--pod', 'cobol:1')
