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

"""DMTF's Redfish Service Validator against a live DMTF composition pod.

The schemas are found as for the RSD pod (``test_conformance``). Before
the run the pod gets a composed system holding every kind of pooled block
and a reservation, so that systems, their collections and reservations
are validated too, not only the free inventory.
"""


import testtools

from valence.tests.fixtures import emulator
from valence.tests.functional.emulator import test_conformance

ROOT = '/redfish/v1'
BLOCKS = ROOT + '/CompositionService/ResourceBlocks'


class TestDMTFRedfishServiceValidator(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.schemas = test_conformance.schema_directory()
        self.assertIsNotNone(self.schemas, 'no CSDL schemas found')
        # Seed 1 holds every kind of block (see test_dmtf).
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'dmtf', seed=1, systems=4, devices=24))
        http = self.emu.session()
        blocks = ['Compute-0', 'GPU-0', 'FPGA-0', 'NVMe-0', 'NIC-0',
                  'Expansion-0']
        http.post(self.emu.url + ROOT + '/Systems', timeout=30, json={
            'Links': {'ResourceBlocks': [{'@odata.id': BLOCKS + '/' + b}
                                         for b in blocks]}},
                  ).raise_for_status()
        service = http.get(self.emu.url + ROOT + '/CompositionService',
                           timeout=30).json()
        target = service['Actions']['#CompositionService.Compose']['target']
        http.post(self.emu.url + target, timeout=30, json={
            'RequestType': 'PreviewReserve', 'Manifest': {'Stanzas': [{
                'StanzaType': 'ComposeSystem', 'StanzaId': 'validated',
                'Request': {'Processors': {'Members': [{
                    '@Redfish.RequestedCount': 1,
                    'ProcessorType': 'GPU'}]},
                    '@Redfish.AllowOverprovisioning': True}}]}},
                  ).raise_for_status()

    def validate(self, authtype):
        # The RSD test's runner takes its pod from self.emu and its
        # schemas from self.schemas, which this test sets the same way.
        return test_conformance.TestRedfishServiceValidator.validate(
            self, authtype)

    def test_dmtf_documents_pass_with_basic_auth(self):
        passed, failed, done = self.validate('Basic')
        self.assertEqual(0, failed, done.stdout[-4000:])
        self.assertGreater(passed, 1000)

    def test_dmtf_documents_pass_with_session_auth(self):
        passed, failed, done = self.validate('Session')
        self.assertEqual(0, failed, done.stdout[-4000:])
