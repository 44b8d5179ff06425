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

"""Reading typed properties of Redfish documents."""

from oslotest import base as test_base

from valence.common import exception
from valence.podmanagers.redfishv2 import documents

WHERE = '/redfish/v1/Things/1'


class TestDocuments(test_base.BaseTestCase):

    def test_missing_property_reads_as_none(self):
        self.assertIsNone(documents.text({}, 'Name', WHERE))

    def test_string_of_the_wrong_type_names_resource_and_property(self):
        error = self.assertRaises(exception.PodManagerError, documents.text,
                                  {'Name': 7}, 'Name', WHERE)
        self.assertIn('/redfish/v1/Things/1: Name is a JSON number, '
                      'expected a string', str(error))

    def test_boolean_is_not_a_number(self):
        self.assertRaises(exception.PodManagerError, documents.number,
                          {'TotalCores': True}, 'TotalCores', WHERE)

    def test_array_of_strings_refuses_a_string(self):
        self.assertRaises(exception.PodManagerError, documents.strings,
                          {'ResourceBlockType': 'Compute'},
                          'ResourceBlockType', WHERE)

    def test_links_give_the_uris(self):
        doc = {'Members': [{'@odata.id': '/a'}, {'@odata.id': '/b'}]}
        self.assertEqual(['/a', '/b'], documents.links(doc, 'Members',
                                                       WHERE))

    def test_link_without_odata_id_is_refused(self):
        self.assertRaises(exception.PodManagerError, documents.links,
                          {'Members': [{'href': '/a'}]}, 'Members', WHERE)

    def test_expanded_entry_is_told_from_a_plain_link(self):
        self.assertEqual(
            (False, True),
            (documents.expanded({'@odata.id': '/a'}),
             documents.expanded({'@odata.id': '/a', 'Id': 'a'})))
