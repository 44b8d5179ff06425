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

import pecan
from wsme import types as wtypes


def build_url(resource, resource_args, bookmark=False, base_url=None):
    base_url = base_url or pecan.request.public_url
    template = '%(url)s/%(res)s' if bookmark else '%(url)s/v1/%(res)s'
    template += '%(args)s' if resource_args.startswith('?') else '/%(args)s'
    return template % {'url': base_url, 'res': resource,
                       'args': resource_args}


class Link(wtypes.Base):
    """A link to a resource."""

    href = wtypes.text
    rel = wtypes.text

    @classmethod
    def make_link(cls, rel, url, resource, resource_args, bookmark=False):
        return cls(href=build_url(resource, resource_args, bookmark=bookmark,
                                  base_url=url), rel=rel)


def self_and_bookmark(resource, ident):
    url = pecan.request.public_url
    return [Link.make_link('self', url, resource, ident),
            Link.make_link('bookmark', url, resource, ident, bookmark=True)]
