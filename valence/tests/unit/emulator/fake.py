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

"""A tiny Redfish personality that exercises the core in unit tests."""

from valence.emulator import redfish
from valence.emulator import routing

THINGS = redfish.ROOT + '/Things'


class FakePersonality(redfish.RedfishPersonality):
    name = 'fake'

    def build(self, rng, systems, devices):
        self.names = {str(i): 'thing %d' % rng.randrange(1000)
                      for i in range(devices)}
        self.owner = {}

    def add_routes(self, router):
        super().add_routes(router)
        router.add('GET', redfish.ROOT, self.get_root)
        router.add('GET', THINGS, self.list_things)
        router.add('GET', THINGS + '/{thing}', self.get_thing)
        router.add('PATCH', THINGS + '/{thing}', self.patch_thing)
        router.add('POST', THINGS + '/{thing}/Actions/Thing.Claim',
                   self.claim)

    def get_root(self, req):
        return {'@odata.id': redfish.ROOT + '/', 'Id': 'RootService'}

    def list_things(self, req):
        return redfish.collection(
            req, self.pod, THINGS, '#ThingCollection.ThingCollection',
            'Things', redfish.UriList(THINGS, sorted(self.names, key=int)))

    def get_thing(self, req, thing):
        if thing not in self.names:
            raise redfish.not_found(req.path)
        return {'@odata.id': THINGS + '/' + thing, 'Id': thing,
                'Name': self.names[thing], 'Owner': self.owner.get(thing)}

    def patch_thing(self, req, thing):
        self.get_thing(req, thing)
        self.names[thing] = req.json_object()['Name']
        return self.get_thing(req, thing)

    def claim(self, req, thing):
        self.get_thing(req, thing)
        if self.pod.faults.take_failure('claim'):
            raise routing.HTTPError(500, 'claim failed')
        if thing in self.owner:
            raise routing.HTTPError(409, 'taken', 'ResourceInUse')
        self.owner[thing] = req.json_object()['Owner']
        return routing.Response.no_content()

    def dump_state(self):
        return {'owner': self.owner}

    def load_state(self, state):
        self.owner.update(state['owner'])

    def allocations(self):
        return {THINGS + '/' + t: o for t, o in self.owner.items()}

    def vanish(self, uri):
        thing = uri.rsplit('/', 1)[-1]
        return self.names.pop(thing, None) is not None
