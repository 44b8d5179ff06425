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

"""Microversions of the v1 API.

A client asks for a version with ``OpenStack-API-Version: composition 1.N``
(or the legacy ``X-OpenStack-Valence-API-Version: 1.N``); without one it
gets the minimum. Every version is described in
``doc/source/contributor/api-version-history.rst``.
"""

SERVICE_TYPE = 'composition'
HEADER = 'OpenStack-API-Version'
LEGACY_HEADER = 'X-OpenStack-Valence-API-Version'

# 1.0: the first version of the v1 API.
MIN_VERSION = (1, 0)
MAX_VERSION = (1, 0)


def to_string(version):
    return '%d.%d' % version


def parse(headers):
    """The version a request asks for, or ValueError saying why not."""
    requested = None
    value = headers.get(HEADER)
    if value:
        parts = value.split()
        if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
            requested = parts[1]
        elif len(parts) != 2:
            raise ValueError('%s must be "%s <version>", not "%s".'
                             % (HEADER, SERVICE_TYPE, value))
    if requested is None:
        requested = headers.get(LEGACY_HEADER)
    if not requested:
        return MIN_VERSION
    if requested.lower() == 'latest':
        return MAX_VERSION
    try:
        major, minor = (int(p) for p in requested.split('.'))
    except ValueError:
        raise ValueError('Invalid API version "%s": use "1.N" or "latest".'
                         % requested)
    version = (major, minor)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise ValueError('API version %s is not supported: this service '
                         'supports %s to %s.'
                         % (requested, to_string(MIN_VERSION),
                            to_string(MAX_VERSION)))
    return version
