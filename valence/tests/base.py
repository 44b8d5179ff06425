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

"""Base test case: configuration, policy and RPC state reset per test."""

import fixtures
from oslo_config import fixture as config_fixture
from oslotest import base

from valence import conf
from valence.common import crypto
from valence.common import policy
from valence.common import rpc


class TestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.config_fixture = self.useFixture(config_fixture.Config(conf.CONF))
        rpc.register_opts(conf.CONF)
        conf.CONF([], project='valence', default_config_files=[])
        self.state_path = self.useFixture(fixtures.TempDir()).path
        self.config(state_path=self.state_path, host='test-host',
                    rpc_transport='local')
        # Pod manager passwords are encrypted when stored.
        self.config(fernet_keys=[crypto.generate_key()], group='secrets')
        self.addCleanup(policy.reset)
        self.addCleanup(rpc.cleanup)

    def config(self, group=None, **kwargs):
        self.config_fixture.config(group=group, **kwargs)
