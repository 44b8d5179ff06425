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

"""What Valence registers in Ironic for a composed node.

Plain functions from a ``NodeDescription`` to Ironic's node fields, and
from an Ironic node to the JSON patch that makes it match them. Nothing
here talks to Ironic.
"""

import re
import uuid

from valence.common import exception

REDFISH = 'redfish'
IPMI = 'ipmi'

# The Ironic hardware type that manages the nodes of each pod manager
# driver, unless the operator asks for another. Redfish pods manage their
# composed systems themselves; an ExpEther server is an ordinary machine
# with its own BMC.
HARDWARE_TYPES = {
    'redfishv1': REDFISH,
    'redfishv2': REDFISH,
    'expether': IPMI,
}

# driver_info Valence cannot know for a hardware type: the operator must
# give it.
REQUIRED_DRIVER_INFO = {
    IPMI: ('ipmi_address', 'ipmi_username', 'ipmi_password'),
}

# The extra key that ties an Ironic node (and the ports Valence made for
# it) to its Valence node.
VALENCE_UUID = 'valence_node_uuid'

# Ironic (API 1.10 and later) takes RFC 3986 unreserved characters in
# node names, at most 255 of them, and no name that looks like a UUID.
_NAME_INVALID = re.compile(r'[^A-Za-z0-9._~-]+')
_NAME_MAX = 255

_REDFISH_ROOT = '/redfish/v1'


def redfish_address(pod_url):
    """The pod manager's address as Ironic wants it: no service root."""
    address = pod_url.rstrip('/')
    if address.endswith(_REDFISH_ROOT):
        address = address[:-len(_REDFISH_ROOT)]
    return address.rstrip('/')


def node_name(name):
    """``name`` made a valid Ironic node name, or None if nothing is left.

    Runs of other characters become one '-'.
    """
    valid = _NAME_INVALID.sub('-', name or '').strip('-')[:_NAME_MAX]
    if not valid:
        return None
    try:
        uuid.UUID(valid)
    except ValueError:
        return valid
    # Ironic would take it for a node's UUID.
    return ('node-' + valid)[:_NAME_MAX]


def check_name(name):
    """Refuse a node name the operator gave that Ironic would refuse.

    Unlike a Valence node's name, which ``node_name`` makes valid, the
    operator's is sent as given: a bad one is refused before Ironic sees
    it.
    """
    if _NAME_INVALID.search(name) or not 0 < len(name) <= _NAME_MAX:
        raise exception.InvalidParameterValue(
            field='name', reason='Ironic takes 1 to %d letters, digits and '
                                 '"-._~" in a node name' % _NAME_MAX)
    try:
        uuid.UUID(name)
    except ValueError:
        return
    raise exception.InvalidParameterValue(
        field='name', reason='Ironic would take it for a node UUID')


def hardware_type(description):
    """The Ironic hardware type (node ``driver``) to register with."""
    if description.options.driver:
        return description.options.driver
    try:
        return HARDWARE_TYPES[description.pod_driver]
    except KeyError:
        raise exception.InvalidParameterValue(
            field='driver',
            reason='Valence does not know which Ironic hardware type '
                   'manages the nodes of pod manager driver %s: give '
                   '"driver" and "driver_info"' % description.pod_driver)


def driver_info(description, driver):
    """Ironic's driver_info: the pod's Redfish access, then the operator's.

    :raises: MissingDriverInfo when ``driver`` needs credentials the
        operator did not give.
    """
    info = {}
    if HARDWARE_TYPES.get(description.pod_driver) == REDFISH:
        info = {
            'redfish_address': redfish_address(description.pod_url),
            'redfish_system_id': description.system_uri,
            'redfish_username': description.username,
            'redfish_password': description.password,
            'redfish_verify_ca': description.verify_tls,
        }
        if description.pod_auth_type in ('basic', 'session'):
            info['redfish_auth_type'] = description.pod_auth_type
        info = {key: value for key, value in info.items()
                if value is not None}
    info.update(description.options.driver_info)
    missing = [key for key in REQUIRED_DRIVER_INFO.get(driver, ())
               if info.get(key) in (None, '')]
    if missing:
        raise exception.MissingDriverInfo(driver=driver,
                                          missing=', '.join(missing))
    return info


def properties(description):
    """Ironic's node properties: what was composed, then the operator's."""
    props = {'cpus': description.cpus,
             'memory_mb': description.memory_mib,
             'local_gb': description.local_gb,
             'cpu_arch': description.cpu_arch}
    props = {key: value for key, value in props.items() if value}
    props.update(description.options.properties)
    return props


def node_fields(description):
    """The fields of the Ironic node for ``description``.

    ``name`` is None when the Valence name has nothing Ironic accepts;
    ``resource_class`` only appears when the operator gave one.
    """
    driver = hardware_type(description)
    if description.options.name is not None:
        check_name(description.options.name)
    fields = {
        'driver': driver,
        'name': description.options.name or node_name(description.name),
        'driver_info': driver_info(description, driver),
        'properties': properties(description),
        'extra': {VALENCE_UUID: description.uuid},
    }
    if description.options.resource_class:
        fields['resource_class'] = description.options.resource_class
    return fields


def node_description(description):
    """The Ironic node's description (API 1.51): where it comes from."""
    return 'Composed node %s (%s), registered by Valence' % (
        description.name, description.uuid)


def mac_addresses(description):
    """The node's MAC addresses, lower case, each once, in order."""
    seen = []
    for mac in description.mac_addresses:
        mac = mac.strip().lower()
        if mac and mac not in seen:
            seen.append(mac)
    return seen


def _pointer(*parts):
    # JSON pointer escaping (RFC 6901): '~' then '/'.
    return ''.join('/' + part.replace('~', '~0').replace('/', '~1')
                   for part in parts)


def node_patch(current, wanted):
    """The JSON patch that gives ``current`` (an Ironic node's fields, as
    a dict) the values of ``wanted`` (``node_fields``).

    Only what differs is sent. Keys Valence does not set are left alone,
    so what an operator added in Ironic stays. Ironic masks secrets in
    driver_info ('******'), so they always differ and are always sent.
    """
    patch = []
    for field in ('driver', 'name', 'resource_class', 'description'):
        if field in wanted and wanted[field] is not None and (
                current.get(field) != wanted[field]):
            # Every node has these fields, null or not: replace them.
            patch.append({'op': 'replace', 'path': _pointer(field),
                          'value': wanted[field]})
    for field in ('driver_info', 'properties', 'extra'):
        have = current.get(field) or {}
        for key, value in wanted.get(field, {}).items():
            if have.get(key) != value:
                patch.append({'op': 'add', 'path': _pointer(field, key),
                              'value': value})
    return patch
