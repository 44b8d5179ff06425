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

"""The kept signatures are the ones Pecan would read."""

from pecan import compat as pecan_compat

from valence.api import pecan_signatures
from valence.api.controllers.v1 import nodes
from valence.tests import base


def plain(a, b=2, *rest, **options):
    pass


class Callable:
    __hash__ = None

    def __call__(self, x):
        pass


class TestArgspec(base.TestCase):

    def assertSameAsPecan(self, callable_):
        self.assertEqual(tuple(pecan_compat.getargspec(callable_)),
                         tuple(pecan_signatures.argspec(callable_)))

    def test_functions_methods_and_controllers(self):
        controller = nodes.NodesController()
        for callable_ in (plain, controller.get_one, controller.post,
                          nodes.NodesController.get_one, Callable()):
            self.assertSameAsPecan(callable_)

    def test_one_entry_per_method_whatever_the_instance(self):
        pecan_signatures.argspec(nodes.NodesController().get_one)
        before = pecan_signatures._signature_of.cache_info()
        for _ in range(5):
            spec = pecan_signatures.argspec(nodes.NodesController().get_one)
        after = pecan_signatures._signature_of.cache_info()
        self.assertEqual(before.currsize, after.currsize)
        self.assertEqual(before.hits + 5, after.hits)
        self.assertEqual('self', spec.args[0])
