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

"""Provision drivers: composed nodes handed to Ironic (see base.py)."""

import stevedore
from stevedore import exception as stevedore_exception

from valence.common import exception

NAMESPACE = 'valence.provision.drivers'


def get_driver(name):
    """A new instance of the provision driver registered as ``name``.

    An instance holds its client connection: the conductor keeps it.

    :raises: ProvisionDriverNotFound when no such driver is installed or
        it cannot be loaded.
    """
    try:
        return stevedore.DriverManager(NAMESPACE, name,
                                       invoke_on_load=True).driver
    except stevedore_exception.NoMatches:
        available = sorted(stevedore.ExtensionManager(NAMESPACE).names())
        raise exception.ProvisionDriverNotFound(
            driver=name, available=', '.join(available) or 'none')
