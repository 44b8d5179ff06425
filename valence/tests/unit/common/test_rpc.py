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

from oslo_utils import uuidutils

from valence import conf
from valence import objects
from valence.common import context
from valence.common import exception
from valence.common import rpc
from valence.objects import base as objects_base
from valence.tests import base


class Endpoint:
    """A stand-in conductor endpoint that records what it received."""

    def __init__(self):
        self.received = []

    def rename(self, context, pod_manager, name):
        self.received.append(pod_manager)
        pod_manager.name = name
        return pod_manager

    def refuse(self, context):
        raise exception.PodManagerInUse(podm='p', count=2)


class TestLocalClient(base.TestCase):

    def setUp(self):
        super().setUp()
        self.endpoint = Endpoint()
        rpc.set_local_endpoint(self.endpoint, workers=2)
        self.client = rpc.LocalClient(
            None, rpc.RequestContextSerializer(
                objects_base.ValenceObjectSerializer()))
        self.context = context.get_admin_context()

    def test_call_passes_copies_both_ways(self):
        podm = objects.PodManager(uuid=uuidutils.generate_uuid(), name='a')
        result = self.client.call(self.context, 'rename', pod_manager=podm,
                                  name='b')
        self.assertEqual('b', result.name)
        self.assertEqual('a', podm.name)
        self.assertIsNot(podm, self.endpoint.received[0])
        self.assertIsNot(result, self.endpoint.received[0])

    def test_errors_reach_the_caller_as_themselves(self):
        error = self.assertRaises(exception.PodManagerInUse,
                                  self.client.call, self.context, 'refuse')
        self.assertEqual(409, error.code)

    def test_without_a_conductor_calls_are_unavailable(self):
        rpc.clear_local_endpoint()
        self.assertRaises(exception.NoConductorAvailable, self.client.call,
                          self.context, 'refuse')

    def test_version_cap_limits_what_can_be_sent(self):
        client = rpc.LocalClient(None, None, version_cap='1.2')
        self.assertTrue(client.can_send_version('1.1'))
        self.assertFalse(client.can_send_version('1.3'))


class TestNotifierDriver(base.TestCase):

    def drivers(self):
        self.config(rpc_transport='local')
        rpc.init(conf.CONF)
        return rpc.NOTIFIER._driver_names

    def test_notifications_go_nowhere_without_a_transport_url(self):
        # oslo.messaging's own default ("rabbit://") is not a choice.
        self.assertEqual(['noop'], self.drivers())

    def test_notifications_use_the_transport_url_set(self):
        self.config(transport_url='rabbit://u:p@broker:5672/valence')
        self.assertEqual(['messagingv2'], self.drivers())

    def test_notifications_use_their_own_transport_url(self):
        self.config(transport_url='rabbit://u:p@broker:5672/notices',
                    group='oslo_messaging_notifications')
        self.assertEqual(['messagingv2'], self.drivers())
