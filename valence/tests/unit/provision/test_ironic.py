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

"""The ironic driver's decisions: removal steps, errors, configuration."""

from unittest import mock

from ironicclient import exc as ironic_exc
from keystoneauth1 import exceptions as ks_exc

from valence import provision
from valence.common import exception
from valence.provision import base as provision_base
from valence.provision import ironic
from valence.tests import base
from valence.tests.fixtures import ironic as ironic_fixture

NODE = '5d3f4b6e-2a51-4e0c-9a83-4cb5bd1f1e22'


def node(state, **kwargs):
    fields = dict(uuid=NODE, provision_state=state, instance_uuid=None,
                  maintenance=False)
    fields.update(kwargs)
    return fields


class TestRemovalSteps(base.TestCase):

    def test_enrolled_or_manageable_node_is_deleted(self):
        for state in ('enroll', 'manageable', 'adopt failed'):
            self.assertEqual(['delete'], ironic.removal_steps(node(state)))

    def test_available_node_is_managed_first(self):
        for state in ('available', 'clean failed', 'inspect failed'):
            self.assertEqual(['manage', 'delete'],
                             ironic.removal_steps(node(state)))

    def test_deployed_node_is_refused(self):
        for state in ('active', 'deploying', 'wait call-back', 'rescue',
                      'deploy failed', 'error', 'service wait'):
            error = self.assertRaises(exception.ProvisionNodeDeployed,
                                      ironic.removal_steps, node(state))
            self.assertEqual(409, error.code)
            self.assertIn(state, str(error))

    def test_node_with_an_instance_is_refused(self):
        self.assertRaises(exception.ProvisionNodeDeployed,
                          ironic.removal_steps,
                          node('manageable', instance_uuid='i-1'))

    def test_node_ironic_is_working_on_is_refused(self):
        for state in ('cleaning', 'clean wait', 'verifying', 'inspecting'):
            error = self.assertRaises(exception.ProvisionNodeBusy,
                                      ironic.removal_steps, node(state))
            self.assertEqual(409, error.code)

    def test_force_goes_through_maintenance(self):
        for state in ('active', 'cleaning'):
            self.assertEqual(['maintenance', 'delete'],
                             ironic.removal_steps(node(state), force=True))

    def test_force_does_not_change_a_plain_removal(self):
        self.assertEqual(['manage', 'delete'],
                         ironic.removal_steps(node('available'), force=True))


def http_error(status, message):
    return ironic_exc.HttpError(message=message, http_status=status)


class TestErrors(base.TestCase):

    def translate(self, error, secrets=()):
        def fail():
            with ironic._translated(secrets):
                raise error
        return self.assertRaises(exception.ProvisionError, fail)

    def test_ironic_4xx_keeps_its_status_and_message(self):
        for status in (400, 404, 409):
            error = self.translate(http_error(status, 'Ironic says no'))
            self.assertEqual(status, error.code)
            self.assertIn('Ironic says no', str(error))

    def test_forbidden_state_change_is_a_conflict(self):
        error = self.translate(http_error(403, 'Node is protected'))
        self.assertEqual(409, error.code)

    def test_other_4xx_is_a_bad_request(self):
        self.assertEqual(400, self.translate(http_error(422, 'no')).code)

    def test_ironic_failure_is_a_bad_gateway(self):
        self.assertEqual(502, self.translate(http_error(500, 'boom')).code)

    def test_ironic_unavailable_or_refusing_valence_is_503(self):
        for status in (401, 503):
            error = self.translate(http_error(status, 'down'))
            self.assertIsInstance(error, exception.ProvisionUnavailable)
            self.assertEqual(503, error.code)

    def test_connection_failure_is_503(self):
        error = self.translate(ks_exc.ConnectFailure('refused'))
        self.assertEqual(503, error.code)
        self.assertIn('refused', str(error))

    def test_keystone_refusing_the_credentials_is_503(self):
        error = self.translate(ks_exc.Unauthorized('bad password'))
        self.assertEqual(503, error.code)
        self.assertIn('Keystone refused the [ironic] credentials',
                      str(error))

    def test_unsupported_api_version_is_503(self):
        error = self.translate(ironic_exc.UnsupportedVersion('1.1 to 1.40'))
        self.assertEqual(503, error.code)

    def test_secrets_are_scrubbed_from_messages(self):
        error = self.translate(http_error(400, 'bad value s3cret'),
                               secrets=['s3cret'])
        self.assertNotIn('s3cret', str(error))
        self.assertIn('***', str(error))


class TestClient(base.TestCase):

    def test_unset_options_are_unavailable_saying_what_to_set(self):
        error = self.assertRaises(exception.ProvisionUnavailable,
                                  ironic.IronicDriver().client)
        self.assertIn('auth_type', str(error))

    def test_standalone_ironic_uses_the_endpoint_override(self):
        self.config(group='ironic', auth_type='none',
                    endpoint_override='http://ironic.example:6385',
                    api_max_retries=7, api_retry_interval=0.5)
        client = ironic.IronicDriver().client()
        http = client.http_client
        self.assertEqual('http://ironic.example:6385', http.endpoint_override)
        self.assertEqual(['1.45', '1.51'], http.os_ironic_api_version)
        self.assertEqual(7, http.conflict_max_retries)
        self.assertEqual(0.5, http.conflict_retry_interval)

    def test_the_client_is_made_once(self):
        self.config(group='ironic', auth_type='none',
                    endpoint_override='http://ironic.example:6385')
        driver = ironic.IronicDriver()
        self.assertIs(driver.client(), driver.client())

    def test_keystone_auth_without_auth_url_is_unavailable(self):
        self.useFixture(ironic_fixture.AuthPluginOptions('password'))
        self.config(group='ironic', auth_type='password')
        error = self.assertRaises(exception.ProvisionUnavailable,
                                  ironic.IronicDriver().client)
        self.assertIn('auth_url', str(error))

    def test_keystone_defaults_look_for_the_baremetal_endpoint(self):
        group = ironic.CONF.ironic
        self.assertEqual('baremetal', group.service_type)
        self.assertEqual(['internal', 'public'], group.valid_interfaces)
        self.assertEqual(60, group.timeout)


class TestGetDriver(base.TestCase):

    def test_ironic_is_registered(self):
        self.assertIsInstance(provision.get_driver('ironic'),
                              ironic.IronicDriver)

    def test_unknown_driver_is_refused_naming_the_installed_ones(self):
        error = self.assertRaises(exception.ProvisionDriverNotFound,
                                  provision.get_driver, 'cobbler')
        self.assertEqual(400, error.code)
        self.assertIn('ironic', str(error))


class TestRegisterWithAStubClient(base.TestCase):
    """What is sent, whatever Ironic answers (a real Ironic is used by
    the functional tests)."""

    def setUp(self):
        super().setUp()
        self.client = mock.Mock()
        self.client.current_api_version = '1.51'
        self.client.node.list.return_value = []
        self.client.node.create.return_value = mock.Mock(uuid=NODE,
                                                         driver='redfish')
        self.client.node.list_ports.return_value = []
        self.driver = ironic.IronicDriver()
        self.driver._client = self.client
        self.description = provision_base.NodeDescription(
            uuid='3f0c8a2e-8f8e-4c55-9d7b-1f6a2b9c0d11', name='node-1',
            pod_driver='redfishv2', pod_url='https://podm', username='u',
            password='pod-pw', system_uri='/redfish/v1/Systems/1',
            mac_addresses=['02:00:00:00:00:01'])

    def test_description_is_sent_from_api_1_51(self):
        self.driver.register(self.description)
        self.assertIn('node-1',
                      self.client.node.create.call_args.kwargs['description'])

    def test_no_description_below_api_1_51(self):
        self.client.current_api_version = '1.46'
        self.driver.register(self.description)
        self.assertNotIn('description',
                         self.client.node.create.call_args.kwargs)

    def test_a_failed_port_deletes_the_new_node(self):
        self.client.port.create.side_effect = ironic_exc.HttpError(
            message='A port with MAC address 02:00:00:00:00:01 already '
                    'exists.', http_status=409)
        error = self.assertRaises(exception.ProvisionError,
                                  self.driver.register, self.description)
        self.assertEqual(409, error.code)
        self.client.node.delete.assert_called_once_with(NODE)

    def test_a_missing_ipmi_key_sends_nothing(self):
        description = provision_base.NodeDescription(
            uuid='3f0c8a2e-8f8e-4c55-9d7b-1f6a2b9c0d11', name='node-1',
            pod_driver='expether', pod_url='https://eem/eem')
        self.assertRaises(exception.MissingDriverInfo,
                          self.driver.register, description)
        self.assertEqual([], self.client.mock_calls)

    def test_validate_names_the_missing_ipmi_keys_and_sends_nothing(self):
        description = provision_base.NodeDescription(
            uuid='3f0c8a2e-8f8e-4c55-9d7b-1f6a2b9c0d11', name='node-1',
            pod_driver='expether', pod_url='https://eem/eem',
            options=provision_base.RegisterOptions(
                driver_info={'ipmi_address': '192.0.2.1'}))
        error = self.assertRaises(exception.MissingDriverInfo,
                                  self.driver.validate, description)
        self.assertIn('ipmi_username, ipmi_password', str(error))
        self.assertEqual([], self.client.mock_calls)

    def test_validate_accepts_a_redfish_node(self):
        self.driver.validate(self.description)
        self.assertEqual([], self.client.mock_calls)


class TestCheckUnregister(base.TestCase):

    def setUp(self):
        super().setUp()
        self.client = mock.Mock()
        self.driver = ironic.IronicDriver()
        self.driver._client = self.client

    def test_a_deployed_node_is_refused_and_left_alone(self):
        self.client.node.get.return_value = mock.Mock(
            to_dict=lambda: node('active'))
        self.assertRaises(exception.ProvisionNodeDeployed,
                          self.driver.check_unregister, NODE)
        self.client.node.set_maintenance.assert_not_called()
        self.client.node.delete.assert_not_called()

    def test_force_lets_a_deployed_node_go(self):
        self.client.node.get.return_value = mock.Mock(
            to_dict=lambda: node('active'))
        self.driver.check_unregister(NODE, force=True)
        self.client.node.delete.assert_not_called()

    def test_a_node_gone_from_ironic_is_no_obstacle(self):
        self.client.node.get.side_effect = ironic_exc.NotFound()
        self.driver.check_unregister(NODE)
