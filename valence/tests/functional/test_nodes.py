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


"""Composed nodes over real HTTP: the all-in-one service on SQLite against
emulator pods of each personality.

Each test composes through the API and checks what a user would: the
node's state and resources, the pod's own view (the emulator's
allocations), and that failures leave nothing behind on the pod.
"""

import concurrent.futures
import signal
import time

import testtools

from valence.tests.fixtures import emulator
from valence.tests.functional import base

PASSWORD = 'node-tests-pod-password'
DRIVERS = {'rsd': 'redfishv1', 'dmtf': 'redfishv2', 'expether': 'expether'}
SETTLED = ('available', 'compose failed', 'cleanup_needed')


class NodeTestCase(base.ServicesAPIMixin, testtools.TestCase):
    """An all-in-one Valence with one registered, synced emulator pod."""

    PERSONALITY = 'rsd'
    SYSTEMS = 6
    DEVICES = 24
    LATENCY_MS = None

    def setUp(self):
        super().setUp()
        self.pod = self.useFixture(emulator.EmulatorFixture(
            self.PERSONALITY, seed=7, systems=self.SYSTEMS,
            devices=self.DEVICES, password=PASSWORD,
            latency_ms=self.LATENCY_MS))
        tempdir = self.useFixture(base.fixtures.TempDir()).path
        self.services = self.useFixture(base.ValenceServices(
            'all-in-one', 'sqlite:///%s/valence.sqlite' % tempdir,
            transport_url=self.transport_url(),
            options=self.service_options()))
        self.podm = self.register()

    def service_options(self):
        """The services' configuration, ``{section: {option: value}}``."""
        return {'conductor': {'recovery_interval': 2}}

    def transport_url(self):
        """Where the service sends notifications; None: nowhere."""
        return None

    def register(self):
        url = self.pod.url + ('/eem' if self.PERSONALITY == 'expether'
                              else '')
        podm = self.api('POST', '/v1/pod_managers', 201, json={
            'name': self.PERSONALITY, 'url': url,
            'driver': DRIVERS[self.PERSONALITY],
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': 'admin', 'password': PASSWORD}}]}).json()
        self.assertEqual('online', podm['status'], podm['status_reason'])
        self.wait(lambda: self.api('GET', '/v1/pod_managers/%s'
                                   % podm['uuid']).json()['last_sync_at'])
        return podm

    def wait(self, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail('condition not met within %ss' % timeout)
            time.sleep(0.2)

    def compose(self, properties=None, status=202, **body):
        body.setdefault('name', 'node-1')
        if properties is not None:
            body['properties'] = properties
        return self.api('POST', '/v1/nodes', status, json=body).json()

    def settled(self, node_uuid, timeout=120):
        """The node once it left the transient states."""
        return self.wait(lambda: self._if_settled(node_uuid), timeout)

    def _if_settled(self, node_uuid):
        node = self.api('GET', '/v1/nodes/%s' % node_uuid, 200).json()
        return node if node['state'] in SETTLED else None

    def delete(self, node_uuid):
        self.api('DELETE', '/v1/nodes/%s' % node_uuid, 202)
        self.wait(lambda: self.api('GET', '/v1/nodes/%s' % node_uuid)
                  .status_code == 404)


class ComposeTests:
    """The same story on every kind of pod."""

    WANTED = {'processor': {'total_cores': 8},
              'memory': {'capacity_mib': 16384},
              'devices': [{'type': 'GPU', 'count': 1}]}

    def test_compose_power_and_decompose(self):
        node = self.settled(self.compose(self.WANTED)['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        self.assertEqual(self.podm['uuid'], node['podm_id'])
        self.assertTrue(node['resource_uri'])
        composed = node['composed']
        if self.PERSONALITY != 'expether':
            self.assertGreaterEqual(composed['cores'], 8)
            self.assertGreaterEqual(composed['memory_mib'], 16384)
        self.assertEqual(1, len(composed['device_uris']))
        # The pod agrees: it holds resources for this node (ExpEther names
        # it relative to the /eem root).
        owners = set(self.pod.allocations().values())
        self.assertTrue(any(o.endswith(node['resource_uri']) for o in owners),
                        owners)
        actions = self.api('GET', '/v1/nodes/%s/actions'
                           % node['uuid']).json()['actions']
        self.assertEqual([('compose', None, 'success')],
                         [(a['action'], a['step'], a['result'])
                          for a in actions if a['step'] is None])

        if composed['reset_types']:
            self.api('POST', '/v1/nodes/%s/action' % node['uuid'], 204,
                     json={'Reset': {'Type': 'On'}})
            self.assertEqual('on', self.api(
                'GET', '/v1/nodes/%s' % node['uuid']).json()['power_state'])

        self.delete(node['uuid'])
        self.assertEqual({}, self.pod.allocations())

    def test_compose_by_flavor(self):
        flavor = self.api('POST', '/v1/flavors', 201, json={
            'name': 'gpu-small', 'properties': self.WANTED}).json()
        node = self.compose(flavor_id=flavor['uuid'])
        self.assertEqual(flavor['uuid'], node['flavor_id'])
        node = self.settled(node['uuid'])
        self.assertEqual('available', node['state'], node['last_error'])
        self.assertEqual(self.WANTED, node['requested'])

    def test_no_fit_says_why(self):
        response = self.compose({'devices': [{'type': 'GPU', 'count': 99}]},
                                status=422)
        message = response['error']['message']
        self.assertIn('99 free GPU wanted', message)
        self.assertIn(self.PERSONALITY, message)
        self.assertEqual([], self.api('GET', '/v1/nodes').json()['nodes'])
        self.assertEqual({}, self.pod.allocations())


class TestRSD(ComposeTests, NodeTestCase):
    PERSONALITY = 'rsd'

    def test_failed_assembly_is_rolled_back(self):
        self.pod.fail('assemble')
        node = self.settled(self.compose(self.WANTED)['uuid'])
        self.assertEqual('compose failed', node['state'])
        self.assertTrue(node['last_error'])
        self.assertEqual({}, self.pod.allocations())
        actions = self.api('GET', '/v1/nodes/%s/actions'
                           % node['uuid']).json()['actions']
        [compose] = [a for a in actions if a['step'] is None]
        self.assertEqual('error', compose['result'])
        # A failed node can be deleted; the pod holds nothing for it.
        self.delete(node['uuid'])

    def test_an_address_the_pod_gives_again_is_refused_cleanly(self):
        first = self.settled(self.compose(self.WANTED)['uuid'])
        self.assertEqual('available', first['state'], first['last_error'])
        # The pod restarts without its nodes and numbers them afresh.
        self.pod.reset()
        second = self.settled(self.compose(self.WANTED, name='node-2')['uuid'])
        self.assertEqual('compose failed', second['state'])
        self.assertIn('%s is already a Valence node' % first['resource_uri'],
                      second['last_error'])
        self.assertEqual({}, self.pod.allocations())
        self.assertEqual(first['resource_uri'], self.api(
            'GET', '/v1/nodes/%s' % first['uuid']).json()['resource_uri'])

    def test_manage_imports_a_pod_node_once(self):
        http = self.pod.session()
        location = http.post(
            self.pod.url + '/redfish/v1/Nodes/Actions/Allocate',
            json={'Name': 'outside'}, timeout=30).headers['Location']
        index = location.rstrip('/').rsplit('/', 1)[-1]
        node = self.api('POST', '/v1/nodes/manage', 201, json={
            'node_index': index, 'podm_id': self.podm['uuid']}).json()
        self.assertEqual('available', node['state'])
        self.assertTrue(node['managed'])
        self.assertEqual(index, node['index'])
        again = self.api('POST', '/v1/nodes/manage', 409, json={
            'node_index': index, 'podm_id': self.podm['uuid']})
        self.assertIn('already managed', again.json()['error']['message'])

    def test_power_types_the_pod_does_not_allow_are_refused(self):
        node = self.settled(self.compose(self.WANTED)['uuid'])
        allowed = node['composed']['reset_types']
        refused = [t for t in ('On', 'ForceOn', 'ForceOff',
                               'GracefulShutdown', 'GracefulRestart',
                               'ForceRestart', 'PowerCycle')
                   if t not in allowed]
        if refused:
            response = self.api('POST', '/v1/nodes/%s/action' % node['uuid'],
                                400, json={'Reset': {'Type': refused[0]}})
            self.assertIn('Reset.Type', response.json()['error']['message'])


class TestDMTF(ComposeTests, NodeTestCase):
    PERSONALITY = 'dmtf'
    SYSTEMS = 8

    def test_failed_composition_is_rolled_back(self):
        self.pod.fail('compose')
        node = self.settled(self.compose(self.WANTED)['uuid'])
        self.assertEqual('compose failed', node['state'])
        self.assertEqual({}, self.pod.allocations())


class TestExpEther(ComposeTests, NodeTestCase):
    PERSONALITY = 'expether'


class TestConcurrentComposes(NodeTestCase):
    """20 composes at once on a pod that fits 10."""

    PERSONALITY = 'dmtf'
    SYSTEMS = 10
    DEVICES = 10

    def test_exactly_ten_succeed_and_nothing_is_shared(self):
        def compose(i):
            return self.services.api('POST', '/v1/nodes', json={
                'name': 'n%d' % i, 'properties': {}})

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(compose, range(20)))
        accepted = [a.json()['uuid'] for a in answers
                    if a.status_code == 202]
        for answer in answers:
            self.assertIn(answer.status_code, (202, 422), answer.text)
        nodes = [self.settled(uuid) for uuid in accepted]
        available = [n for n in nodes if n['state'] == 'available']
        self.assertEqual(10, len(available))
        systems = [n['composed']['system_uri'] for n in available]
        self.assertEqual(len(systems), len(set(systems)))
        owners = self.pod.allocations()
        self.assertEqual(10, len(set(owners.values())))
        for node in nodes:
            if node['state'] != 'available':
                self.assertEqual('compose failed', node['state'])


class TestConductorKilledMidCompose(NodeTestCase):
    """A conductor SIGKILLed while composing, then started again."""

    PERSONALITY = 'rsd'
    LATENCY_MS = 300

    def test_restarted_conductor_rolls_the_compose_back(self):
        node = self.compose({'processor': {'total_cores': 8}})
        self.wait(lambda: self.api('GET', '/v1/nodes/%s' % node['uuid'])
                  .json()['state'] in ('allocated', 'assembling'))
        self.services.stop('aio', sig=signal.SIGKILL)
        self.assertTrue(self.pod.allocations())  # the pod holds a node
        self.services.start('valence', host='aio')
        self.services.wait_for_api()
        node = self.settled(node['uuid'])
        self.assertIn(node['state'], ('available', 'compose failed'))
        if node['state'] == 'compose failed':
            self.assertIn('stopped', node['last_error'])
            self.wait(lambda: self.pod.allocations() == {})
        else:
            self.delete(node['uuid'])
            self.assertEqual({}, self.pod.allocations())


class TestNodeEvents(NodeTestCase):
    """What consumers and operators see: notifications and power states."""

    PERSONALITY = 'rsd'

    def transport_url(self):
        base.require_rabbit(self)
        vhost = self.useFixture(base.RabbitVhost())
        self.events = self.useFixture(base.NotificationCollector(vhost.url))
        return vhost.url

    def service_options(self):
        return {'DEFAULT': {'rpc_transport': 'local'},
                'conductor': {'recovery_interval': 2,
                              'power_sync_interval': 1}}

    def test_compose_power_and_delete_are_announced(self):
        node = self.settled(self.compose({})['uuid'])
        for phase in ('start', 'end'):
            event = self.events.wait_for('valence.node.compose.%s' % phase,
                                         uuid=node['uuid'])
            self.assertTrue(event['publisher_id'].startswith(
                'valence-conductor.'))
        end = self.events.wait_for('valence.node.compose.end',
                                   uuid=node['uuid'])
        self.assertEqual('available',
                         end['payload']['valence_object.data']['state'])
        self.api('POST', '/v1/nodes/%s/action' % node['uuid'], 204,
                 json={'Reset': {'Type': 'On'}})
        event = self.events.wait_for('valence.node.power_set.end',
                                     uuid=node['uuid'])
        self.assertEqual({'reset_type': 'On'}, event['payload'][
            'valence_object.data']['details'])
        self.delete(node['uuid'])
        self.events.wait_for('valence.node.delete.end', uuid=node['uuid'])
        self.assertNotIn(PASSWORD, str(self.events.events))

    def test_power_state_follows_the_pod(self):
        node = self.settled(self.compose({})['uuid'])
        self.api('POST', '/v1/nodes/%s/action' % node['uuid'], 204,
                 json={'Reset': {'Type': 'On'}})
        # Someone turns the node off at the pod, outside Valence.
        http = self.pod.session()
        pod_node = http.get(self.pod.url + node['resource_uri'],
                            timeout=30).json()
        target = pod_node['Actions']['#ComposedNode.Reset']['target']
        http.post(self.pod.url + target, json={'ResetType': 'ForceOff'},
                  timeout=30).raise_for_status()
        self.wait(lambda: self.api('GET', '/v1/nodes/%s' % node['uuid'])
                  .json()['power_state'] == 'off')
