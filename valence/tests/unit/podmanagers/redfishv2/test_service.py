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

"""What the redfishv2 driver makes of a service root and collections."""

from oslotest import base as test_base

from valence.common import exception
from valence.tests.unit.podmanagers.redfishv2 import fakes

ROOT = '/redfish/v1/'


def service_with(expand=None, **docs):
    root = {'@odata.id': ROOT, 'Id': 'RootService'}
    if expand is not None:
        root['ProtocolFeaturesSupported'] = {'ExpandQuery': expand}
    return fakes.make_service(dict(docs, **{ROOT: root}))


class TestExpand(test_base.BaseTestCase):

    def test_no_links_expansion_is_preferred(self):
        service = service_with({'NoLinks': True, 'ExpandAll': True})
        self.assertEqual('$expand=.', service.expand_query())

    def test_expand_all_when_it_is_all_there_is(self):
        self.assertEqual('$expand=*',
                         service_with({'ExpandAll': True}).expand_query())

    def test_two_levels_where_the_service_goes_that_deep(self):
        service = service_with({'NoLinks': True, 'Levels': True,
                                'MaxLevels': 6})
        self.assertEqual('$expand=.($levels=2)', service.expand_query(2))

    def test_one_level_where_the_service_stops_there(self):
        service = service_with({'NoLinks': True, 'Levels': True,
                                'MaxLevels': 1})
        self.assertEqual('$expand=.', service.expand_query(2))

    def test_no_expansion_advertised(self):
        self.assertIsNone(service_with().expand_query())


class TestMembers(test_base.BaseTestCase):

    def test_pages_are_followed_and_plain_links_read(self):
        service = service_with(**{
            '/c': {'Members': [{'@odata.id': '/c/1', 'Id': '1'}],
                   'Members@odata.nextLink': '/c?page=2'},
            '/c?page=2': {'Members': [fakes.ref('/c/2')]},
            '/c/2': {'@odata.id': '/c/2', 'Id': '2'}})
        self.assertEqual(['1', '2'],
                         [m['Id'] for m in service.members('/c')])

    def test_member_gone_before_it_is_read_is_left_out(self):
        service = service_with(**{'/c': {'Members': [fakes.ref('/c/1')]}})
        self.assertEqual([], list(service.members('/c')))

    def test_collection_without_members_is_garbage(self):
        service = service_with(**{'/c': {'Name': 'not a collection'}})
        self.assertRaises(exception.PodManagerError, list,
                          service.members('/c'))
