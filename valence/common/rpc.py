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

"""RPC and notification plumbing shared by the API and the conductor.

Two transports carry RPC calls from the API to the conductors:

* ``oslo``: oslo.messaging over ``transport_url`` (RabbitMQ), for the split
  services and any number of conductors;
* ``local``: the all-in-one ``valence`` process, where the API calls the
  conductor manager of its own process. Calls still go through the same RPC
  API methods and the same serializer, so objects and exceptions look the
  same on both sides as they would over a broker.
"""

import concurrent.futures

import kombu.exceptions
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging
from oslo_messaging import opts as messaging_opts
from oslo_messaging.rpc import dispatcher

from valence.common import context as valence_context
from valence.common import exception

LOG = log.getLogger(__name__)

# Exceptions from these modules are rebuilt as themselves on the caller's
# side of an oslo.messaging call: a conductor that lost the database fails
# the call with oslo.db's error, which the API answers with a 503.
ALLOWED_EXMODS = [exception.__name__, 'oslo_db.exception']

# What sending raises once the broker could not be reached in the allowed
# retries: oslo.messaging's MessageDeliveryFailure on a pooled connection,
# kombu's OperationalError when no new connection could be made.
SEND_FAILURES = (messaging.MessageDeliveryFailure,
                 kombu.exceptions.OperationalError)

TRANSPORT = None
NOTIFIER = None
_LOCAL_ENDPOINT = None
_LOCAL_EXECUTOR = None


def register_opts(conf):
    """Register oslo.messaging's options, to set them before ``init``."""
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)


def transport_url_configured(conf):
    """Whether a transport for notifications was configured."""
    # Parsing registers oslo.messaging's transport options if needed.
    messaging.TransportURL.parse(conf)
    # [DEFAULT] transport_url has a default ("rabbit://", a broker on this
    # machine): only a value someone set counts.
    url_set = (conf.get_location('transport_url').location
                   != cfg.Locations.opt_default)
    return bool(url_set and conf.transport_url or
                conf.oslo_messaging_notifications.transport_url)


def init(conf):
    """Create the transports and the notifier for this process, once."""
    global TRANSPORT, NOTIFIER
    if NOTIFIER is not None:
        return
    if conf.rpc_transport == 'oslo':
        TRANSPORT = messaging.get_rpc_transport(
            conf, allowed_remote_exmods=ALLOWED_EXMODS)
    notification_transport = messaging.get_notification_transport(
        conf, allowed_remote_exmods=ALLOWED_EXMODS)
    driver = None  # the configured [oslo_messaging_notifications] driver
    if not conf.oslo_messaging_notifications.driver:
        driver = 'messagingv2' if transport_url_configured(conf) else 'noop'
    NOTIFIER = messaging.Notifier(
        notification_transport,
        serializer=RequestContextSerializer(messaging.NoOpSerializer()),
        driver=driver,
        topics=conf.versioned_notifications_topics)


def notifications_enabled():
    """Whether notifications go anywhere (the driver is not noop)."""
    return NOTIFIER is not None and NOTIFIER.is_enabled()


def cleanup():
    """Release the transports; the next ``init`` starts afresh."""
    global TRANSPORT, NOTIFIER, _LOCAL_ENDPOINT, _LOCAL_EXECUTOR
    if TRANSPORT is not None:
        TRANSPORT.cleanup()
    if NOTIFIER is not None:
        NOTIFIER.transport.cleanup()
    if _LOCAL_EXECUTOR is not None:
        _LOCAL_EXECUTOR.shutdown(wait=True)
    TRANSPORT = NOTIFIER = _LOCAL_ENDPOINT = _LOCAL_EXECUTOR = None


def set_local_endpoint(endpoint, workers):
    """Make ``endpoint`` the receiver of calls over the local transport."""
    global _LOCAL_ENDPOINT, _LOCAL_EXECUTOR
    _LOCAL_ENDPOINT = endpoint
    if _LOCAL_EXECUTOR is None:
        _LOCAL_EXECUTOR = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix='local-rpc')


def clear_local_endpoint():
    global _LOCAL_ENDPOINT
    _LOCAL_ENDPOINT = None


class RequestContextSerializer(messaging.Serializer):
    """Carries the request context with every message."""

    def __init__(self, base):
        self._base = base

    def serialize_entity(self, context, entity):
        return self._base.serialize_entity(context, entity)

    def deserialize_entity(self, context, entity):
        return self._base.deserialize_entity(context, entity)

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return valence_context.RequestContext.from_dict(context)


class LocalClient:
    """An RPC client calling the conductor manager of this process.

    It has the part of ``oslo_messaging.RPCClient`` that the RPC API uses.
    Arguments and results go through the serializer both ways, as they
    would over a broker, so the conductor never shares mutable objects with
    the API.
    """

    def __init__(self, target, serializer, version_cap=None):
        self.target = target
        self.version_cap = version_cap
        self._serializer = serializer

    def prepare(self, **kwargs):
        return self

    def can_send_version(self, version):
        if self.version_cap is None:
            return True
        cap_major, cap_minor = (int(p) for p in self.version_cap.split('.'))
        major, minor = (int(p) for p in version.split('.'))
        return major == cap_major and minor <= cap_minor

    def _dispatch(self, ctxt, method, kwargs):
        if _LOCAL_ENDPOINT is None:
            raise exception.NoConductorAvailable()
        s = self._serializer
        ctxt_copy = s.deserialize_context(s.serialize_context(ctxt))
        args = {name: s.deserialize_entity(ctxt_copy,
                                           s.serialize_entity(ctxt, value))
                for name, value in kwargs.items()}
        try:
            result = getattr(_LOCAL_ENDPOINT, method)(ctxt_copy, **args)
        except messaging.ExpectedException as e:
            # The RPC server unwraps these too; callers see the original.
            raise e.exc_info[1]
        return s.deserialize_entity(ctxt, s.serialize_entity(ctxt_copy,
                                                             result))

    def call(self, ctxt, method, **kwargs):
        return self._dispatch(ctxt, method, kwargs)

    def cast(self, ctxt, method, **kwargs):
        if _LOCAL_ENDPOINT is None or _LOCAL_EXECUTOR is None:
            raise exception.NoConductorAvailable()
        future = _LOCAL_EXECUTOR.submit(self._dispatch, ctxt, method, kwargs)
        future.add_done_callback(_log_cast_failure(method))


def _log_cast_failure(method):
    def check(future):
        error = future.exception()
        if error is not None:
            LOG.error('Asynchronous call %(method)s failed: %(error)s',
                      {'method': method, 'error': error})
    return check


def get_client(conf, target, serializer, version_cap=None):
    serializer = RequestContextSerializer(serializer)
    if conf.rpc_transport == 'local':
        return LocalClient(target, serializer, version_cap)
    return messaging.get_rpc_client(TRANSPORT, target,
                                    version_cap=version_cap,
                                    serializer=serializer)


def get_server(target, endpoints, serializer):
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints, executor='threading',
        serializer=RequestContextSerializer(serializer),
        access_policy=dispatcher.DefaultRPCAccessPolicy)


def get_notifier(publisher_id):
    return NOTIFIER.prepare(publisher_id=publisher_id)
