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


"""An all-in-one Valence with one emulated pod, for the benchmarks that
drive the API against a pod."""

import contextlib
import time

from valence import conf
from valence.podmanagers import base as driver_base
from valence.tests.fixtures import emulator
from valence.tests.functional import base as functional

DRIVERS = {'rsd': 'redfishv1', 'dmtf': 'redfishv2', 'expether': 'expether'}


@contextlib.contextmanager
def service_with_pod(personality, **pod_options):
    """Yield ``(services, pod)``: the all-in-one service on SQLite with the
    emulated pod registered and its inventory read; all stopped after."""
    pod = emulator.EmulatorFixture(personality, **pod_options)
    pod.setUp()
    workdir = functional.fixtures.TempDir()
    workdir.setUp()
    services = functional.ValenceServices(
        'all-in-one', 'sqlite:///%s/valence.sqlite' % workdir.path,
        options={'DEFAULT': {'debug': 'false'}})
    try:
        services.setUp()
        podm = services.api('POST', '/v1/pod_managers', json={
            'name': 'bench', 'url': pod.url, 'driver': DRIVERS[personality],
            'authentication': [{'type': 'basic', 'auth_items': {
                'username': pod.username, 'password': pod.password}}]})
        assert podm.status_code == 201, podm.text
        while not services.api('GET', '/v1/systems?limit=1').json()[
                'systems']:
            time.sleep(0.1)
        yield services, pod
    finally:
        services.cleanUp()
        workdir.cleanUp()
        pod.cleanUp()


def driver(pod, driver_class):
    """A driver of the benchmark process on the same pod."""
    conf.CONF([], project='valence', default_config_files=[])
    return driver_class(driver_base.PodConnection(
        url=pod.url, username=pod.username, password=pod.password))
