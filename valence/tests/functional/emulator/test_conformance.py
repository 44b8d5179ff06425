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

"""DMTF's Redfish Service Validator against a live RSD pod.

The CSDL schemas come from $VALENCE_REDFISH_SCHEMAS, or from the DMTF
archive shipped with these tests (data/redfish-csdl.tar.xz), unpacked once
per test process.
"""

import atexit
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import fixtures
import testtools

from valence.tests.fixtures import emulator

ARCHIVE = pathlib.Path(__file__).parent / 'data' / 'redfish-csdl.tar.xz'
# The summary row of the validator: | PASS | WARN | FAIL | NOT TESTED |
SUMMARY = re.compile(r'\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|')
ANSI = re.compile(r'\x1b\[[0-9;]*m')


_unpacked = None


def schema_directory():
    """A folder of CSDL schemas, or None if there is none."""
    global _unpacked
    if os.environ.get('VALENCE_REDFISH_SCHEMAS'):
        path = pathlib.Path(os.environ['VALENCE_REDFISH_SCHEMAS'])
    else:
        if _unpacked is None:
            target = tempfile.mkdtemp(prefix='valence-csdl-')
            atexit.register(shutil.rmtree, target, True)
            with tarfile.open(ARCHIVE) as archive:
                archive.extractall(target, filter='data')
            _unpacked = pathlib.Path(target) / 'csdl'
        path = _unpacked
    return path if (path / 'ServiceRoot_v1.xml').exists() else None


class TestRedfishServiceValidator(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.schemas = schema_directory()
        self.assertIsNotNone(self.schemas, 'no CSDL schemas found')
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'rsd', systems=2, devices=10))
        http = self.emu.session()
        # A composed node with a device attached, so that nodes, zones and
        # action infos are validated too.
        node = http.post(self.emu.url + '/redfish/v1/Nodes/Actions/Allocate',
                         json={'Name': 'validated',
                               'LocalDrives': [{'CapacityGiB': 1}]},
                         timeout=30).headers['Location']
        endpoints = http.get(self.emu.url + '/redfish/v1/Fabrics/PCIe/'
                             'Endpoints?$expand=.', timeout=30).json()
        free = set(self.emu.allocations())
        target = next(e['@odata.id'] for e in endpoints['Members']
                      if e['ConnectedEntities'][0]['EntityLink']['@odata.id']
                      not in free)
        http.post(self.emu.url + node + '/Actions/ComposedNode.'
                  'AttachResource', json={'Resource': {'@odata.id': target}},
                  timeout=30).raise_for_status()

    def validate(self, authtype):
        tool = shutil.which('rf_service_validator') or os.path.join(
            os.path.dirname(sys.executable), 'rf_service_validator')
        logdir = self.useFixture(fixtures.TempDir()).path
        done = subprocess.run(
            [tool, '--ip', self.emu.url, '-u', self.emu.username,
             '-p', self.emu.password, '--authtype', authtype,
             '--schema_directory', str(self.schemas), '--skipschema',
             '--logdir', logdir],
            capture_output=True, text=True, timeout=600)
        rows = SUMMARY.findall(ANSI.sub('', done.stdout))
        self.assertTrue(rows, done.stdout[-2000:] + done.stderr[-2000:])
        passed, warned, failed, _ = (int(n) for n in rows[-1])
        return passed, failed, done

    def test_rsd_documents_pass_with_session_auth(self):
        passed, failed, done = self.validate('Session')
        self.assertEqual(0, failed, done.stdout[-4000:])
        self.assertGreater(passed, 100)

    def test_rsd_documents_pass_with_basic_auth(self):
        passed, failed, done = self.validate('Basic')
        self.assertEqual(0, failed, done.stdout[-4000:])
