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

"""What every Redfish personality shares.

:class:`RedfishPersonality` gives a personality Redfish error bodies from
the DMTF Base message registry, the SessionService (sessions create a token
the core accepts as ``X-Auth-Token``), public service roots, ``$metadata``
and ``odata`` documents, and :func:`collection`, which serves ``$top``,
``$skip`` and ``$expand`` in time proportional to the page, not to the
collection.
"""

import collections.abc
import itertools
from xml.sax import saxutils

from valence.emulator import personality
from valence.emulator import routing

ROOT = '/redfish/v1'
SESSIONS = ROOT + '/SessionService/Sessions'

# The DMTF Base registry this emulator speaks: the messages it uses, with
# their registry text (%1, %2 are the message arguments).
BASE_REGISTRY = 'Base.1.22'
_BASE_MESSAGES = {
    'ActionNotSupported': (
        'Critical', 'The action %1 is not supported by the resource.'),
    'ActionParameterMissing': (
        'Critical',
        'The action %1 requires the parameter %2 to be present in the '
        'request body.'),
    'ActionParameterValueNotInList': (
        'Warning',
        "The value '%1' for the parameter %2 in the action %3 is not in the "
        'list of acceptable values.'),
    'ActionParameterValueTypeError': (
        'Warning',
        "The value '%1' for the parameter %2 in the action %3 is not a type "
        'that the parameter can accept.'),
    'GeneralError': (
        'Critical',
        'A general error has occurred.  See Resolution for information on '
        'how to resolve the error, or @Message.ExtendedInfo if Resolution '
        'is not provided.'),
    'InsufficientPrivilege': (
        'Critical',
        'There are insufficient privileges for the account or credentials '
        'associated with the current session to perform the requested '
        'operation.'),
    'InternalError': (
        'Critical',
        'The request failed due to an internal service error.  The service '
        'is still operational.'),
    'MalformedJSON': (
        'Critical',
        'The request body submitted was malformed JSON and could not be '
        'parsed by the receiving service.'),
    'NoValidSession': (
        'Critical',
        'There is no valid session established with the implementation.'),
    'OperationNotAllowed': (
        'Critical', 'The HTTP method is not allowed on this resource.'),
    'PreconditionFailed': (
        'Critical',
        'The ETag supplied did not match the ETag required to change this '
        'resource.'),
    'PreconditionRequired': (
        'Critical',
        'A precondition header or annotation is required to change this '
        'resource.'),
    'PropertyMissing': (
        'Warning',
        'The property %1 is a required property and must be included in '
        'the request.'),
    'PropertyNotWritable': (
        'Warning',
        'The property %1 is a read-only property and cannot be assigned a '
        'value.'),
    'PropertyUnknown': (
        'Warning',
        'The property %1 is not in the list of valid properties for the '
        'resource.'),
    'PropertyValueNotInList': (
        'Warning',
        "The value '%1' for the property %2 is not in the list of "
        'acceptable values.'),
    'PropertyValueTypeError': (
        'Warning',
        "The value '%1' for the property %2 is not a type that the property "
        'can accept.'),
    'QueryParameterValueTypeError': (
        'Warning',
        "The value '%1' for the query parameter %2 is not a type that the "
        'parameter can accept.'),
    'ResourceExhaustion': (
        'Critical',
        "The resource '%1' was unable to satisfy the request due to "
        'unavailability of resources.'),
    'ResourceInUse': (
        'Warning',
        'The change to the requested resource failed because the resource '
        'is in use or in transition.'),
    'ResourceNotFound': (
        'Critical',
        "The requested resource of type %1 named '%2' was not found."),
    'ResourceMissingAtURI': (
        'Critical', "The resource at the URI '%1' was not found."),
    'ServiceTemporarilyUnavailable': (
        'Critical',
        'The service is temporarily unavailable.  Retry in %1 seconds.'),
}


def message(message_id, args=(), related=(), text=None):
    """One ``@Message.ExtendedInfo`` entry of the Base registry.

    ``text`` overrides the registry text, for the messages of a pod that
    explain more than the registry says.
    """
    severity, template = _BASE_MESSAGES.get(
        message_id, _BASE_MESSAGES['GeneralError'])
    if text is None:
        text = template
        # Replace from the highest number down so %1 does not eat %10.
        for number in range(len(args), 0, -1):
            text = text.replace('%%%d' % number, str(args[number - 1]))
    entry = {
        '@odata.type': '#Message.v1_1_1.Message',
        'MessageId': '%s.%s' % (BASE_REGISTRY, message_id),
        'Message': text,
        'MessageArgs': [str(a) for a in args],
        'MessageSeverity': severity,
        'Resolution': 'See the message for the reason.',
    }
    if related:
        entry['RelatedProperties'] = list(related)
    return entry


def error_body(error):
    """The Redfish error document for an HTTPError."""
    if error.extended is not None:
        extended = error.extended
    else:
        extended = [message(error.message_id, error.args_, error.related,
                            text=error.message)]
    return {'error': {
        'code': '%s.%s' % (BASE_REGISTRY, error.message_id),
        'message': error.message,
        '@Message.ExtendedInfo': extended,
    }}


def not_found(uri):
    return routing.HTTPError(404, "The resource at the URI '%s' was not "
                             'found.' % uri, 'ResourceMissingAtURI', [uri])


class UriList(collections.abc.Sequence):
    """The member URIs of a collection, made on demand from ids.

    ``ids`` is any sequence (a ``range`` for generated inventories), so a
    page of a 100,000-member collection costs the page, not the whole.
    """

    def __init__(self, prefix, ids):
        self._prefix = prefix.rstrip('/') + '/'
        self._ids = ids

    def __len__(self):
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._prefix + str(i) for i in self._ids[index]]
        return self._prefix + str(self._ids[index])


_EXPAND_MEMBERS = ('.', '*', '.($levels=1)', '*($levels=1)')
_EXPAND_LINKS_ONLY = ('~', '~($levels=1)')


def _count(req, name):
    value = req.query.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise routing.HTTPError(
            400, "The value '%s' for the query parameter %s is not a type "
            'that the parameter can accept.' % (value, name),
            'QueryParameterValueTypeError', [value, name])
    return int(value)


def collection(req, pod, uri, odata_type, name, members, extra=None):
    """A Redfish collection document, honouring $top, $skip and $expand.

    ``members`` is a sequence of member URIs (see :class:`UriList`).
    Expanded members are rendered through the pod's own GET handlers.
    """
    total = len(members)
    skip = _count(req, '$skip') or 0
    top = _count(req, '$top')
    end = total if top is None else min(total, skip + top)
    page = members[skip:end] if skip < total else []
    expand = req.query.get('$expand')
    if expand is not None and expand not in _EXPAND_MEMBERS + \
            _EXPAND_LINKS_ONLY:
        raise routing.HTTPError(
            400, "The value '%s' for the query parameter $expand is not a "
            'type that the parameter can accept.' % expand,
            'QueryParameterValueTypeError', [expand, '$expand'])
    if expand in _EXPAND_MEMBERS:
        docs = (pod.render(member) for member in page)
        listed = [doc for doc in docs if doc is not None]
    else:
        listed = [{'@odata.id': member} for member in page]
    doc = {
        '@odata.id': uri,
        '@odata.type': odata_type,
        'Name': name,
        'Members@odata.count': total,
        'Members': listed,
    }
    if end < total:
        query = '$skip=%d&$top=%d' % (end, top)
        if expand is not None:
            query += '&$expand=' + expand
        doc['Members@odata.nextLink'] = uri + '?' + query
    if extra:
        doc.update(extra)
    return doc


def first(iterable, limit):
    """The first ``limit`` items, for allowable-value lists of big pools."""
    return list(itertools.islice(iterable, limit))


class RedfishPersonality(personality.Personality):
    """A Personality speaking Redfish: errors, sessions, service roots."""

    uses_sessions = True
    extra_headers = {'OData-Version': '4.0'}
    #: Schema namespaces listed in $metadata, e.g. ('ComputerSystem',).
    metadata_namespaces = ()

    def is_public(self, req):
        # The Redfish specification leaves these open so that clients can
        # find the service and log in.
        if req.path in ('/redfish', ROOT, ROOT + '/odata',
                        ROOT + '/$metadata'):
            return req.method == 'GET'
        return req.path == SESSIONS and req.method == 'POST'

    def error_body(self, error):
        return error_body(error)

    def add_routes(self, router):
        router.add('GET', '/redfish', self.get_versions)
        router.add('GET', ROOT + '/$metadata', self.get_metadata)
        router.add('GET', ROOT + '/odata', self.get_odata)
        router.add('GET', ROOT + '/SessionService', self.get_session_service)
        router.add('GET', SESSIONS, self.list_sessions)
        router.add('POST', SESSIONS, self.create_session)
        router.add('GET', SESSIONS + '/{session}', self.get_session)
        router.add('DELETE', SESSIONS + '/{session}', self.delete_session)

    def service_root_links(self):
        """``{name: URI}`` of the service root, for the odata document."""
        return {}

    def get_versions(self, req):
        return {'v1': ROOT + '/'}

    def get_metadata(self, req):
        refs = []
        for namespace in self.metadata_namespaces:
            refs.append(
                '  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/'
                '%s_v1.xml">\n    <edmx:Include Namespace="%s"/>\n'
                '  </edmx:Reference>' % (namespace,
                                         saxutils.escape(namespace)))
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/'
               'edmx" Version="4.0">\n%s\n  <edmx:DataServices>\n'
               '    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" '
               'Namespace="Service">\n      <EntityContainer Name="Service" '
               'Extends="ServiceRoot.v1_0_0.ServiceContainer"/>\n'
               '    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n'
               % '\n'.join(refs))
        return routing.Response(200, xml.encode(), {
            'Content-Type': 'application/xml; charset=utf-8'})

    def get_odata(self, req):
        links = self.service_root_links()
        return {
            '@odata.context': ROOT + '/$metadata',
            'value': [{'name': name, 'kind': 'Singleton', 'url': url}
                      for name, url in sorted(links.items())],
        }

    def get_session_service(self, req):
        return {
            '@odata.id': ROOT + '/SessionService',
            '@odata.type': '#SessionService.v1_1_8.SessionService',
            'Id': 'SessionService',
            'Name': 'Session Service',
            'ServiceEnabled': True,
            'SessionTimeout': 1800,
            'Status': {'State': 'Enabled', 'Health': 'OK'},
            'Sessions': {'@odata.id': SESSIONS},
        }

    def list_sessions(self, req):
        return collection(
            req, self.pod, SESSIONS, '#SessionCollection.SessionCollection',
            'Sessions', UriList(SESSIONS, self.pod.sessions.ids()))

    def create_session(self, req):
        body = req.json_object()
        user, password = body.get('UserName'), body.get('Password')
        for prop, value in (('UserName', user), ('Password', password)):
            if value is None:
                raise routing.HTTPError(
                    400, 'The property %s is a required property and must '
                    'be included in the request.' % prop,
                    'PropertyMissing', [prop], ['#/' + prop])
        if not self.pod.check_password(user, password):
            raise routing.HTTPError(401, 'Invalid user name or password.',
                                    'NoValidSession')
        session_id, token = self.pod.sessions.create(user)
        uri = SESSIONS + '/' + session_id
        return routing.Response.created(
            uri, self._session_doc(session_id, user),
            {'X-Auth-Token': token})

    def get_session(self, req, session):
        user = self.pod.sessions.user(session)
        if user is None:
            raise not_found(req.path)
        return self._session_doc(session, user)

    def delete_session(self, req, session):
        if not self.pod.sessions.delete(session):
            raise not_found(req.path)
        return routing.Response.no_content()

    def _session_doc(self, session_id, user):
        return {
            '@odata.id': SESSIONS + '/' + session_id,
            '@odata.type': '#Session.v1_3_0.Session',
            'Id': session_id,
            'Name': 'User Session',
            'UserName': user,
            'Password': None,
        }
