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
from oslo_versionedobjects import fixture

from valence import objects
from valence.common import context
from valence.objects import base as objects_base
from valence.tests import base

# Update a hash here only together with the object's VERSION: the
# fingerprint changes whenever the fields or remotable methods change.
EXPECTED_FINGERPRINTS = {
    'Conductor': '1.0-4e89eb654c19760e05d52263829e998b',
    'Device': '1.0-e30a54fda0bc1670c3948e3317289800',
    'Flavor': '1.0-87bb7bca5cfe09378e1ec557ca4e7cde',
    'InventorySyncPayload': '1.0-42f0095a12214901d5c41f35637528d3',
    'Node': '1.0-2753a05f6a29980ad26e9dbbc63064cc',
    'NodeAction': '1.0-a73f6764d56cbd328f0cfd941d143122',
    'NodePayload': '1.0-f1fb7c51429c48f46756a9f081d1b040',
    'PodManager': '1.0-a04dcdf0d34bb21b10cee0cf5465efc2',
    'PodManagerPayload': '1.0-0b92a9d53810de80c6c9940f0beaa7b7',
    'Rack': '1.0-4981f5d480a04e81c49bb6e667b4b8f9',
    'ResourceBlock': '1.0-14577ca2bf8245e7c76ec0ba52756040',
    'ResourceZone': '1.0-19e9abec18d21ed9c61ecd9680da0352',
    'Storage': '1.0-398ba9431b0e354507271a6b90aa1477',
    'System': '1.0-a896d503f345d21e45dc7fb932bb9393',
}


class TestObjectVersions(base.TestCase):

    def test_changed_objects_have_new_versions(self):
        checker = fixture.ObjectVersionChecker(
            objects_base.ValenceObjectRegistry.obj_classes())
        expected, actual = checker.test_hashes(EXPECTED_FINGERPRINTS)
        self.assertEqual(expected, actual,
                         'Objects changed: bump their VERSION and update '
                         'EXPECTED_FINGERPRINTS.')


class TestPodManagerObject(base.TestCase):

    def make(self):
        return objects.PodManager(
            context.get_admin_context(), uuid=uuidutils.generate_uuid(),
            name='pod', url='http://pod', driver='redfishv1',
            auth_type='basic', username='admin', password='s3cr3t-pw',
            verify_tls=True, status='online', status_reason=None,
            description=None, last_sync_at=None, created_at=None,
            updated_at=None)

    def test_password_never_shows_in_the_representation(self):
        self.assertNotIn('s3cr3t-pw', repr(self.make()))
        self.assertIn('password=***', repr(self.make()))

    def test_serializer_carries_the_object_and_its_changes(self):
        serializer = objects_base.ValenceObjectSerializer()
        podm = self.make()
        primitive = serializer.serialize_entity(None, podm)
        self.assertEqual('PodManager', primitive['valence_object.name'])
        copy = serializer.deserialize_entity(None, primitive)
        self.assertIsInstance(copy, objects.PodManager)
        self.assertEqual(podm.as_dict(), copy.as_dict())
        self.assertEqual(podm.obj_what_changed(), copy.obj_what_changed())

    def test_payload_copies_only_its_schema(self):
        payload = objects.PodManagerPayload.from_object(self.make())
        data = payload.obj_to_primitive()['valence_object.data']
        self.assertEqual('pod', data['name'])
        self.assertNotIn('password', data)
        self.assertNotIn('username', data)
