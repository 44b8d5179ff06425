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

"""The refusals of the DMTF composition personality.

Each error's ``code`` is a message of the DMTF Base registry; when DMTF's
Composition registry has a message that says more (``NoResourceMatch``,
``IncompatibleZone``...), ``@Message.ExtendedInfo`` carries it after the
Base message, so a client can tell precisely what was unmet.
"""

from valence.emulator import redfish
from valence.emulator import routing

COMPOSITION_REGISTRY = 'Composition.1.1'

# Base messages the core's table lacks: (severity, registry text).
_MORE_BASE = {
    'ActionParameterValueError': (
        'Warning', 'The value for the parameter %1 in the action %2 is '
        'invalid.'),
    'PropertyValueIncorrect': (
        'Warning', "The property '%1' with the requested value of '%2' "
        'could not be written because the value is not acceptable for the '
        'property.'),
    'PropertyValueConflict': (
        'Warning', "The property '%1' could not be written because its "
        "value would conflict with the value of the '%2' property."),
}

_COMPOSITION = {
    'ResourceBlockInUse': (
        'Warning', "Resource block '%1' cannot be part of any new "
        'compositions.',
        'Remove the resource block from the request and resubmit the '
        'request.'),
    'EmptyManifest': (
        'Warning', 'The provided manifest is empty or a stanza in the '
        'manifest contains no request.',
        'Provide a request content for the manifest and resubmit.'),
    'ResourceBlockInvalid': (
        'Critical', "Resource block '%1' is not valid.",
        'Remove the resource block and resubmit the request.'),
    'ResourceBlockNotFound': (
        'Critical', "Resource block '%1' was not found.",
        'Remove the resource block and resubmit the request.'),
    'NoResourceMatch': (
        'Critical', "The requested resources of type '%1' are not "
        'available for allocation.',
        'Change parameters associated with the resource, such as quantity '
        'or performance, and resubmit the request.'),
    'IncompatibleZone': (
        'Critical', 'The requested resource blocks span multiple resource '
        'zones.',
        'Request resource blocks from the same resource zone.'),
    'SpecifiedResourceAlreadyReserved': (
        'Critical', "Resource block '%1' is already reserved under "
        "reservation '%2'.",
        'Delete the reservation containing the resource block or select a '
        'different resource block and resubmit the request.'),
}


def _fill(template, args):
    # From the highest number down so that %1 does not eat %10.
    for number in range(len(args), 0, -1):
        template = template.replace('%%%d' % number, str(args[number - 1]))
    return template


def _base(message_id, args, related, text):
    if message_id not in _MORE_BASE:
        return redfish.message(message_id, args, related, text)
    severity, template = _MORE_BASE[message_id]
    entry = redfish.message('GeneralError', args, related,
                            text or _fill(template, args))
    entry['MessageId'] = '%s.%s' % (redfish.BASE_REGISTRY, message_id)
    entry['MessageSeverity'] = severity
    return entry


def _composition(message_id, args, related):
    severity, template, resolution = _COMPOSITION[message_id]
    entry = {
        '@odata.type': '#Message.v1_1_1.Message',
        'MessageId': '%s.%s' % (COMPOSITION_REGISTRY, message_id),
        'Message': _fill(template, args),
        'MessageArgs': [str(a) for a in args],
        'MessageSeverity': severity,
        'Resolution': resolution,
    }
    if related:
        entry['RelatedProperties'] = list(related)
    return entry


def error(status, text, base_id, base_args=(), related=(),
          composition_id=None, composition_args=()):
    """An HTTPError with a Base message, and a Composition one if given."""
    extended = [_base(base_id, base_args, related, text)]
    if composition_id:
        extended.append(_composition(composition_id, composition_args,
                                     related))
    return routing.HTTPError(status, text, base_id, base_args, related,
                             extended=extended)


# -- the refusals, one function each ---------------------------------------

def missing(prop, pointer):
    return error(400, 'The property %s is a required property and must be '
                 'included in the request.' % prop, 'PropertyMissing',
                 [prop], [pointer])


def bad_type(value, prop, pointer):
    return error(400, "The value '%s' for the property %s is not a type "
                 'that the property can accept.' % (value, prop),
                 'PropertyValueTypeError', [value, prop], [pointer])


def not_in_list(value, prop, pointer):
    return error(400, "The value '%s' for the property %s is not in the "
                 'list of acceptable values.' % (value, prop),
                 'PropertyValueNotInList', [value, prop], [pointer])


def unknown_property(prop, pointer):
    return error(400, 'The property %s is not in the list of valid '
                 'properties for the resource.' % prop, 'PropertyUnknown',
                 [prop], [pointer])


def not_writable(prop, pointer):
    return error(400, 'The property %s is a read-only property and cannot '
                 'be assigned a value.' % prop, 'PropertyNotWritable',
                 [prop], [pointer])


def conflict(prop, other, pointer):
    return error(400, "The property '%s' cannot be given together with "
                 "'%s'." % (prop, other), 'PropertyValueConflict',
                 [prop, other], [pointer])


def block_not_found(uri, pointer):
    return error(400, "The resource block at the URI '%s' was not found."
                 % uri, 'ResourceMissingAtURI', [uri], [pointer],
                 'ResourceBlockNotFound', [uri])


def block_in_use(uri, owner, pointer):
    return error(409, "Resource block '%s' is in use by %s." % (uri, owner),
                 'ResourceInUse', (), [pointer], 'ResourceBlockInUse', [uri])


def block_reserved(uri, reservation, pointer):
    return error(409, "Resource block '%s' is already reserved under "
                 "reservation '%s'." % (uri, reservation), 'ResourceInUse',
                 (), [pointer], 'SpecifiedResourceAlreadyReserved',
                 [uri, reservation])


def block_invalid(uri, why, pointer):
    return error(400, "Resource block '%s' is not valid here: %s."
                 % (uri, why), 'PropertyValueIncorrect',
                 ['ResourceBlocks', uri], [pointer], 'ResourceBlockInvalid',
                 [uri])


def zones_differ(pointer):
    return error(400, 'The requested resource blocks span multiple resource '
                 'zones; a composition takes its blocks from one zone.',
                 'PropertyValueIncorrect', ['ResourceBlocks', 'several '
                                            'zones'], [pointer],
                 'IncompatibleZone')


def unmet(what, kind, pointer):
    """No free block satisfies the requirement at ``pointer``."""
    return error(409, 'No free resource block satisfies %s (at %s).'
                 % (what, pointer), 'ResourceExhaustion', [pointer],
                 [pointer], 'NoResourceMatch', [kind])


def empty_manifest(pointer):
    return error(400, 'The provided manifest is empty or a stanza in the '
                 'manifest contains no request.', 'PropertyMissing',
                 ['Stanzas'], [pointer], 'EmptyManifest')


def action_missing(action, param):
    return error(400, 'The action %s requires the parameter %s to be '
                 'present in the request body.' % (action, param),
                 'ActionParameterMissing', [action, param], ['#/' + param])


def action_bad_value(value, param, action):
    return error(400, "The value '%s' for the parameter %s in the action %s "
                 'is not in the list of acceptable values.'
                 % (value, param, action), 'ActionParameterValueNotInList',
                 [value, param, action], ['#/' + param])


def action_bad_type(value, param, action):
    return error(400, "The value '%s' for the parameter %s in the action %s "
                 'is not a type that the parameter can accept.'
                 % (value, param, action), 'ActionParameterValueTypeError',
                 [value, param, action], ['#/' + param])


def action_invalid(param, action, why):
    return error(400, 'The value for the parameter %s in the action %s is '
                 'invalid: %s.' % (param, action, why),
                 'ActionParameterValueError', [param, action],
                 ['#/' + param])


def stale_etag(param):
    # The ComputerSystem schema asks for 428 when an ETag parameter of
    # AddResourceBlock or RemoveResourceBlock is stale.
    return error(428, 'The ETag supplied in %s did not match the ETag '
                 'required to change this resource.' % param,
                 'PreconditionFailed', (), ['#/' + param])


def failed(what):
    return error(500, 'The pod failed to %s.' % what, 'InternalError')


def reservation_not_found(reservation_id):
    return error(400, "The requested resource of type CompositionReservation"
                 " named '%s' was not found." % reservation_id,
                 'ResourceNotFound',
                 ['CompositionReservation', reservation_id],
                 ['#/ReservationId'])


def system_not_found(uri, pointer):
    return error(400, "The system at the URI '%s' was not found." % uri,
                 'ResourceMissingAtURI', [uri], [pointer])


def system_twice(uri, pointer):
    return error(400, "The system '%s' is decomposed by two stanzas." % uri,
                 'PropertyValueIncorrect', ['Request', uri], [pointer])
