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

"""Valence exceptions.

Every error a user can see is a ``ValenceException`` with the HTTP status in
``code``. Messages are built from ``_msg_fmt`` and keyword arguments, so the
same exception can be rebuilt on the far side of an RPC call.
"""

import http


class ValenceException(Exception):
    """Base of all Valence errors; ``code`` is the HTTP status to answer."""

    _msg_fmt = 'An unknown error occurred.'
    code = http.HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if 'code' in kwargs:
            self.code = kwargs['code']
        if message is None:
            message = self._msg_fmt % kwargs
        super().__init__(message)

    @property
    def message(self):
        return str(self)

    @property
    def title(self):
        return http.HTTPStatus(self.code).phrase


class Invalid(ValenceException):
    _msg_fmt = 'Invalid input: %(reason)s'
    code = http.HTTPStatus.BAD_REQUEST


class InvalidParameterValue(Invalid):
    _msg_fmt = "Invalid input for field '%(field)s': %(reason)s."


class InvalidDriver(Invalid):
    _msg_fmt = ('Unknown driver "%(driver)s". Drivers available on the live '
                'conductors: %(available)s.')


class UnsupportedByDriver(Invalid):
    _msg_fmt = 'The %(driver)s pod manager driver cannot %(operation)s.'


class InvalidSortKey(Invalid):
    _msg_fmt = 'Cannot sort on "%(key)s". Sortable keys: %(valid)s.'


class InvalidMarker(Invalid):
    _msg_fmt = 'Marker %(marker)s does not match any %(resource)s.'


class UnsupportedMediaType(ValenceException):
    _msg_fmt = 'Unsupported Content-Type "%(content_type)s": use JSON.'
    code = http.HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class NotAcceptable(ValenceException):
    _msg_fmt = '%(reason)s'
    code = http.HTTPStatus.NOT_ACCEPTABLE


class NotAuthorized(ValenceException):
    _msg_fmt = 'Authentication required.'
    code = http.HTTPStatus.UNAUTHORIZED


class Forbidden(ValenceException):
    _msg_fmt = 'Policy does not allow %(action)s to be performed.'
    code = http.HTTPStatus.FORBIDDEN


class NotFound(ValenceException):
    _msg_fmt = 'Resource could not be found.'
    code = http.HTTPStatus.NOT_FOUND


class PodManagerNotFound(NotFound):
    _msg_fmt = 'Pod manager %(podm)s could not be found.'


class FlavorNotFound(NotFound):
    _msg_fmt = 'Flavor %(flavor)s could not be found.'


class InventoryNotFound(NotFound):
    _msg_fmt = 'No %(kind)s with uuid %(uuid)s.'


class NodeNotFound(NotFound):
    _msg_fmt = 'Node %(node)s could not be found.'


class ConductorNotFound(NotFound):
    _msg_fmt = 'Conductor %(hostname)s could not be found.'


class Conflict(ValenceException):
    _msg_fmt = 'Conflict: %(reason)s'
    code = http.HTTPStatus.CONFLICT


class DuplicateName(Conflict):
    _msg_fmt = 'A %(resource)s named "%(name)s" already exists.'


class DuplicatePodManagerURL(Conflict):
    _msg_fmt = 'A pod manager with URL %(url)s already exists.'


class PodManagerInUse(Conflict):
    _msg_fmt = ('Pod manager %(podm)s still has %(count)d composed '
                'node(s); delete them first.')


class FlavorInUse(Conflict):
    _msg_fmt = ('Flavor %(flavor)s is in use: %(count)d node(s) are being '
                'composed from it.')


class NodeLocked(Conflict):
    _msg_fmt = ('Node %(node)s is locked by conductor %(host)s, which is '
                'working on it; try again later.')


class InvalidState(Conflict):
    _msg_fmt = 'Node %(node)s cannot do this while %(state)s.'


class NoValidPod(ValenceException):
    """No pod can compose what was asked; the message says why, per pod."""

    _msg_fmt = 'No pod can compose this node: %(reasons)s'
    code = http.HTTPStatus.UNPROCESSABLE_ENTITY


class ServiceUnavailable(ValenceException):
    _msg_fmt = 'The service is unavailable: %(reason)s'
    code = http.HTTPStatus.SERVICE_UNAVAILABLE


class NoConductorAvailable(ServiceUnavailable):
    _msg_fmt = 'No conductor is alive to handle this request.'


class SecretKeyError(ServiceUnavailable):
    """The Fernet keys are missing or malformed, or cannot open a stored
    secret: nothing that needs the secret works until the keys are
    fixed."""

    _msg_fmt = '%(reason)s'


class ConductorUnreachable(ServiceUnavailable):
    _msg_fmt = ('The conductor did not answer in time (%(reason)s); try '
                'again later.')


class BrokerUnavailable(ServiceUnavailable):
    _msg_fmt = ('The message broker cannot be reached, so no conductor can '
                'be asked; try again later.')


class DatabaseUnavailable(ServiceUnavailable):
    _msg_fmt = 'The database cannot be reached; try again later.'


class PodManagerError(ValenceException):
    """A pod manager refused or failed a request; carries the pod's words."""

    _msg_fmt = 'Pod manager error: %(reason)s'
    code = http.HTTPStatus.BAD_GATEWAY


class PodManagerUnreachable(PodManagerError):
    _msg_fmt = 'Pod manager at %(url)s is unreachable: %(reason)s'
    code = http.HTTPStatus.SERVICE_UNAVAILABLE


class PodRequestRefused(PodManagerError):
    """The pod refused a request (a 4xx): its reason is the user's to see."""

    _msg_fmt = 'The pod manager refused the request: %(reason)s'
    code = http.HTTPStatus.CONFLICT


class PodResourceNotFound(PodManagerError):
    _msg_fmt = 'The pod manager has no %(uri)s'
    code = http.HTTPStatus.CONFLICT


class CompositionFailed(PodManagerError):
    """A composition failed; what the pod had done is undone if possible.

    ``cleaned_up`` is false when undoing failed too, and ``node_uri`` is the
    pod node left behind, if any.
    """

    _msg_fmt = 'Composition failed: %(reason)s'
    code = http.HTTPStatus.CONFLICT

    @property
    def cleaned_up(self):
        return self.kwargs.get('cleaned_up', True)

    @property
    def node_uri(self):
        return self.kwargs.get('node_uri')


class ProvisionDriverNotFound(Invalid):
    _msg_fmt = ('Unknown provision driver "%(driver)s". Provision drivers '
                'installed: %(available)s.')


class MissingDriverInfo(Invalid):
    _msg_fmt = ('The %(driver)s hardware type needs driver_info with '
                '%(missing)s: give it in the request body.')


class ProvisionError(ValenceException):
    """Ironic refused or failed a request; carries Ironic's own message.

    ``code`` follows Ironic's answer: 400 for what the operator sent
    wrong, 404, 409 for a conflict of state, 502 when Ironic failed.
    """

    _msg_fmt = 'Ironic error: %(reason)s'
    code = http.HTTPStatus.BAD_GATEWAY


class ProvisionNodeNotFound(ProvisionError):
    _msg_fmt = 'Ironic has no node %(node)s.'
    code = http.HTTPStatus.NOT_FOUND


class ProvisionNodeDeployed(ProvisionError):
    _msg_fmt = ('Ironic node %(node)s is %(state)s: undeploy it in Ironic '
                'first, or unregister it with force.')
    code = http.HTTPStatus.CONFLICT


class ProvisionNodeBusy(ProvisionError):
    _msg_fmt = ('Ironic node %(node)s is %(state)s: try again when Ironic '
                'is done, or unregister it with force.')
    code = http.HTTPStatus.CONFLICT


class ProvideFailed(ProvisionError):
    """The node is registered, but Ironic could not make it available."""

    _msg_fmt = ('Ironic node %(node)s is registered but stopped in state '
                '%(state)s: %(reason)s')
    code = http.HTTPStatus.CONFLICT


class ProvisionUnavailable(ProvisionError):
    _msg_fmt = 'Ironic cannot be used: %(reason)s'
    code = http.HTTPStatus.SERVICE_UNAVAILABLE
