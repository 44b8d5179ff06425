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

"""DMTF composition pods over real HTTP, through the fixture.

sushy reads the service, the composed systems and drives their power and
boot; its composition classes are read-only (and its ``resource_blocks``
is broken in 5.14), so composing, expanding and decomposing go through
plain requests, following the targets the pod advertises.

The pod has seed 1: 4 compute blocks, 4 GPUs, 4 NICs, 12 NVMe drives, 2
FPGAs and 2 expansion trays in one zone.
"""

import concurrent.futures

import requests
import sushy
import testtools

from valence.tests.fixtures import emulator

ROOT = '/redfish/v1'
BLOCKS = ROOT + '/CompositionService/ResourceBlocks'
GPU_REQUEST = {'@Redfish.AllowOverprovisioning': True,
               'Processors': {'Members': [{'@Redfish.RequestedCount': 1,
                                           'ProcessorType': 'GPU'}]}}


def specific(*block_ids):
    return {'Links': {'ResourceBlocks': [{'@odata.id': BLOCKS + '/' + b}
                                         for b in block_ids]}}


class DMTFOverHTTPTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.emu = self.useFixture(emulator.EmulatorFixture(
            'dmtf', seed=1, systems=4, devices=24))
        self.http = self.emu.session()

    def redfish(self, method, path, **kwargs):
        return self.http.request(method, self.emu.url + path, timeout=30,
                                 **kwargs)

    def sushy(self):
        # sushy logs in with a Redfish session, which the pod serves too.
        return sushy.Sushy(self.emu.url + ROOT, username=self.emu.username,
                           password=self.emu.password)

    def compose(self, body):
        resp = self.redfish('POST', ROOT + '/Systems', json=body)
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.headers['Location']

    def linked_blocks(self, system_uri):
        links = self.redfish('GET', system_uri).json()['Links']
        return [b['@odata.id'].rsplit('/', 1)[1]
                for b in links['ResourceBlocks']]

    def action_target(self, path, action):
        actions = self.redfish('GET', path).json()['Actions']
        return actions[action]['target']

    def compose_action(self, body):
        target = self.action_target(ROOT + '/CompositionService',
                                    '#CompositionService.Compose')
        return self.redfish('POST', target, json=body)

    def reserve(self, request):
        """PreviewReserve one ComposeSystem stanza; the reservation id."""
        return self.compose_action({
            'RequestType': 'PreviewReserve', 'Manifest': {'Stanzas': [
                {'StanzaType': 'ComposeSystem', 'Request': request}]}},
        ).json()['ReservationId']


class TestCompose(DMTFOverHTTPTestCase):

    def test_sushy_reads_the_composition_service(self):
        service = self.sushy().get_composition_service()
        self.assertEqual((True, True),
                         (service.service_enabled,
                          service.allow_zone_affinity))

    def test_sushy_counts_the_logical_cpus_and_memory_of_a_system(self):
        uri = self.compose(specific('Compute-0', 'GPU-0'))
        system = self.sushy().get_system(uri)
        # Two CPUs of 40 threads; the GPU has no threads to count.
        self.assertEqual((80, 384),
                         (system.processors.summary.count,
                          system.memory_summary.size_gib))

    def test_constrained_composition_takes_fitting_blocks(self):
        uri = self.compose(GPU_REQUEST)
        kinds = [b.split('-')[0] for b in self.linked_blocks(uri)]
        self.assertEqual(['Compute', 'GPU'], kinds)

    def test_unmet_requirement_names_it(self):
        body = dict(GPU_REQUEST, Processors={'Members': [{
            '@Redfish.RequestedCount': 9, 'ProcessorType': 'GPU'}]})
        resp = self.redfish('POST', ROOT + '/Systems', json=body)
        info = resp.json()['error']['@Message.ExtendedInfo']
        self.assertEqual(
            (409, ['#/Processors/Members/0'],
             'Composition.1.1.NoResourceMatch'),
            (resp.status_code, info[0]['RelatedProperties'],
             info[1]['MessageId']))

    def test_compose_action_applies_a_manifest(self):
        resp = self.compose_action({
            'RequestType': 'Apply', 'Manifest': {'Stanzas': [
                {'StanzaType': 'ComposeSystem', 'StanzaId': 'a',
                 'Request': specific('Compute-0')},
                {'StanzaType': 'ComposeSystem', 'StanzaId': 'b',
                 'Request': GPU_REQUEST}]}})
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(3, len(self.emu.allocations()))

    def test_reservation_is_applied_by_its_id(self):
        rid = self.reserve(GPU_REQUEST)
        resp = self.compose_action({'RequestType': 'Apply',
                                    'ReservationId': rid})
        self.assertEqual(200, resp.status_code, resp.text)
        system = resp.json()['Manifest']['Stanzas'][0]['Response']
        self.assertEqual(set(self.emu.allocations().values()),
                         {system['@odata.id']})

    def test_reservation_expires_when_the_duration_is_cut(self):
        rid = self.reserve(specific('Compute-0'))
        self.redfish('PATCH', ROOT + '/CompositionService',
                     json={'ReservationDuration': 'PT0S'})
        resp = self.redfish('GET', ROOT + '/CompositionService/'
                            'CompositionReservations/' + rid)
        self.assertEqual((404, {}), (resp.status_code,
                                     self.emu.allocations()))

    def test_wrong_password_is_a_401(self):
        resp = requests.get(self.emu.url + ROOT + '/Systems',
                            auth=('admin', 'wrong'), timeout=30)
        self.assertEqual(401, resp.status_code)


class TestExpandAndDecompose(DMTFOverHTTPTestCase):

    def setUp(self):
        super().setUp()
        self.system = self.compose(specific('Compute-0'))
        self.add = self.action_target(self.system,
                                      '#ComputerSystem.AddResourceBlock')
        self.remove = self.action_target(
            self.system, '#ComputerSystem.RemoveResourceBlock')

    def etag(self, path):
        return self.redfish('GET', path).headers['ETag']

    def expand(self, target, block_id, system_etag=None):
        block = BLOCKS + '/' + block_id
        return self.redfish('POST', target, json={
            'ResourceBlock': {'@odata.id': block},
            'ResourceBlockETag': self.etag(block),
            'ComputerSystemETag': system_etag or self.etag(self.system)})

    def test_add_with_current_etags_expands_the_system(self):
        self.assertEqual(204, self.expand(self.add, 'NVMe-0').status_code)
        self.assertEqual(['Compute-0', 'NVMe-0'],
                         self.linked_blocks(self.system))

    def test_add_with_a_stale_etag_is_a_428(self):
        stale = self.etag(self.system)
        self.expand(self.add, 'NVMe-0')
        resp = self.expand(self.add, 'NVMe-1', system_etag=stale)
        self.assertEqual(428, resp.status_code)

    def test_remove_with_current_etags_frees_the_block(self):
        self.expand(self.add, 'NVMe-0')
        self.assertEqual(204, self.expand(self.remove, 'NVMe-0').status_code)
        self.assertEqual({BLOCKS + '/Compute-0': self.system},
                         self.emu.allocations())

    def test_add_failure_on_demand_is_a_500(self):
        self.emu.fail('add_resource_block', 1)
        self.assertEqual(500, self.expand(self.add, 'NVMe-0').status_code)

    def test_delete_decomposes_the_system(self):
        self.expand(self.add, 'NVMe-0')
        resp = self.redfish('DELETE', self.system)
        self.assertEqual((204, {}), (resp.status_code,
                                     self.emu.allocations()))

    def test_sushy_powers_the_system_on(self):
        system = self.sushy().get_system(self.system)
        system.reset_system(sushy.RESET_ON)
        system.refresh()
        self.assertEqual(sushy.POWER_STATE_ON, system.power_state)

    def test_sushy_sets_a_boot_override(self):
        system = self.sushy().get_system(self.system)
        system.set_system_boot_options(
            sushy.BOOT_SOURCE_TARGET_PXE,
            enabled=sushy.BOOT_SOURCE_ENABLED_ONCE)
        system.refresh()
        self.assertEqual(sushy.BOOT_SOURCE_TARGET_PXE,
                         system.boot.target)


class TestConcurrentCompositions(DMTFOverHTTPTestCase):

    def test_pod_that_fits_four_composes_exactly_four(self):
        def attempt(_):
            with requests.Session() as http:
                http.auth = self.emu.auth
                return http.post(self.emu.url + ROOT + '/Systems',
                                 json=GPU_REQUEST, timeout=60)

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(attempt, range(16)))
        created = [a.headers['Location'] for a in answers
                   if a.status_code == 201]
        blocks = [b for uri in created for b in self.linked_blocks(uri)]
        self.assertEqual(
            (4, 12, 8, 8),
            (len(created), sum(1 for a in answers if a.status_code == 409),
             len(blocks), len(set(blocks))))
