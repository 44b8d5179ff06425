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

"""A pod made of documents in a dict, for the parsing tests."""

from valence.common import exception
from valence.podmanagers.redfishv2 import service


class Client:
    """Answers GETs from ``docs`` ({uri: document}) and counts them."""

    root = '/redfish/v1/'

    def __init__(self, docs):
        self.docs = docs
        self.gets = []

    def get(self, uri):
        self.gets.append(uri)
        if uri not in self.docs:
            raise exception.PodResourceNotFound(uri=uri)
        return self.docs[uri], '"etag"'


def make_service(docs):
    return service.Service(Client(docs))


def ref(uri):
    return {'@odata.id': uri}
