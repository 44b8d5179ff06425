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

from valence.emulator import faults


class TestFaults(base.BaseTestCase):

    def test_defaults_inject_nothing(self):
        f = faults.Faults()
        self.assertIsNone(f.request_fault())
        self.assertIsNone(f.body_fault())
        self.assertEqual(0, f.delay())

    def test_rate_one_always_injects(self):
        f = faults.Faults(initial={'error_rate': 1.0})
        self.assertEqual(['error'] * 5,
                         [f.request_fault() for _ in range(5)])

    def test_rate_between_zero_and_one_injects_some(self):
        f = faults.Faults(seed=4, initial={'drop_rate': 0.5})
        kinds = [f.request_fault() for _ in range(200)]
        self.assertIn('drop', kinds)
        self.assertIn(None, kinds)

    def test_same_seed_gives_same_decisions(self):
        a = faults.Faults(seed=9, initial={'malformed_rate': 0.3})
        b = faults.Faults(seed=9, initial={'malformed_rate': 0.3})
        self.assertEqual([a.body_fault() for _ in range(50)],
                         [b.body_fault() for _ in range(50)])

    def test_latency_is_fixed_plus_jitter(self):
        f = faults.Faults(initial={'latency_ms': 200, 'jitter_ms': 100})
        delays = [f.delay() for _ in range(20)]
        self.assertTrue(all(0.2 <= d <= 0.3 for d in delays), delays)

    def test_failure_point_with_count_fails_that_many_times(self):
        f = faults.Faults(initial={'fail': {'assemble': 2}})
        self.assertEqual([True, True, False],
                         [f.take_failure('assemble') for _ in range(3)])

    def test_failure_point_true_fails_until_cleared(self):
        f = faults.Faults(initial={'fail': {'assemble': True}})
        self.assertTrue(all(f.take_failure('assemble') for _ in range(5)))
        f.update({'fail': {'assemble': False}})
        self.assertFalse(f.take_failure('assemble'))

    def test_path_prefix_and_methods_limit_the_faults(self):
        f = faults.Faults(initial={'path_prefix': '/redfish/v1/Nodes',
                                   'methods': ['POST']})
        self.assertTrue(f.applies('POST', '/redfish/v1/Nodes/1'))
        self.assertFalse(f.applies('GET', '/redfish/v1/Nodes/1'))
        self.assertFalse(f.applies('POST', '/redfish/v1/Systems'))

    def test_replace_resets_unnamed_keys(self):
        f = faults.Faults(initial={'error_rate': 1.0})
        f.replace({'drop_rate': 0.5})
        self.assertEqual((0.0, 0.5), (f.as_dict()['error_rate'],
                                      f.as_dict()['drop_rate']))

    def test_unknown_key_is_refused(self):
        self.assertRaises(ValueError, faults.validate, {'boom': 1})

    def test_rate_above_one_is_refused(self):
        self.assertRaises(ValueError, faults.validate, {'drop_rate': 1.5})

    def test_error_status_must_be_an_error(self):
        self.assertRaises(ValueError, faults.validate, {'error_status': 200})
