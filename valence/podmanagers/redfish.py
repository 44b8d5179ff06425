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

"""What the Redfish drivers share: a sushy connection and its errors."""

from oslo_log import log
import sushy
from sushy import auth as sushy_auth
from sushy import exceptions as sushy_exc

from valence import conf
from valence.common import exception
from valence.podmanagers import base

LOG = log.getLogger(__name__)

ROOT_PREFIX = '/redfish/v1/'


def base_url(url):
    """The pod's URL without the Redfish root, which sushy adds itself."""
    url = url.rstrip('/')
    if url.endswith('/redfish/v1'):
        url = url[:-len('/redfish/v1')]
    return url


def tls_verify(connection):
    if not connection.verify_tls:
        return False
    return conf.CONF.podmanager.ca_bundle or True


def connect(connection):
    """Open a sushy root for the pod; reads the service root once."""
    if connection.auth_type == 'session':
        auth = sushy_auth.SessionAuth(connection.username,
                                      connection.password)
    else:
        auth = sushy_auth.BasicAuth(connection.username, connection.password)
    opts = conf.CONF.podmanager
    return sushy.Sushy(base_url(connection.url),
                       auth=auth,
                       root_prefix=ROOT_PREFIX,
                       verify=tls_verify(connection),
                       # sushy counts attempts, and takes 0 as its default.
                       server_side_retries=opts.retries + 1,
                       server_side_retries_delay=opts.retry_interval,
                       read_timeout=opts.request_timeout,
                       connect_timeout=opts.connect_timeout)


def extended_info(error):
    """The pod's own words from a sushy HTTP error."""
    messages = [m.get('Message') for m in
                (getattr(error, 'extended_info', None) or [])
                if isinstance(m, dict) and m.get('Message')]
    detail = getattr(error, 'detail', None)
    if messages:
        return '; '.join(messages)
    return detail or str(error)


def message_ids(error):
    """The registry-free MessageIds of a sushy HTTP error ('ResourceInUse')."""
    return [m['MessageId'].rsplit('.', 1)[-1] for m in
            (getattr(error, 'extended_info', None) or [])
            if isinstance(m, dict) and isinstance(m.get('MessageId'), str)]


def missing_uri(error):
    """The URI a Redfish error says is missing, or None.

    Pods answer 404 for the URI requested, and 400 ``ResourceMissingAtURI``
    for a URI named in the body (a device to attach that has vanished).
    """
    for m in getattr(error, 'extended_info', None) or []:
        if (isinstance(m, dict) and str(m.get('MessageId', '')).endswith(
                '.ResourceMissingAtURI') and m.get('MessageArgs')):
            return str(m['MessageArgs'][0])
    return None


def pod_error(error, connection, uri=None):
    """The Valence exception for a sushy error raised while asking ``uri``.

    The pod's own words (``@Message.ExtendedInfo``) are kept; a missing
    resource is PodResourceNotFound, any other 4xx a refusal, a 5xx or
    anything else a pod manager error.
    """
    if isinstance(error, sushy_exc.ConnectionError):
        return exception.PodManagerUnreachable(
            url=connection.url, reason=base.connection_failure(error))
    if isinstance(error, sushy_exc.AccessError):
        return exception.PodManagerError(
            reason='the pod manager at %s refused the credentials (HTTP '
                   '%s)' % (connection.url, error.status_code))
    if isinstance(error, sushy_exc.HTTPError):
        status = error.status_code or 0
        gone = missing_uri(error)
        if gone or status in (404, 410):
            return exception.PodResourceNotFound(uri=gone or uri)
        if 400 <= status < 500:
            return exception.PodRequestRefused(reason=extended_info(error))
        return exception.PodManagerError(
            reason='%s answered HTTP %s: %s' % (uri or connection.url, status,
                                               extended_info(error)))
    return exception.PodManagerError(reason=str(error))


def check_service(connection, find_service, service, kind):
    """Status of a Redfish pod whose root must link to ``service``.

    ``find_service(root_document)`` returns the link or None. The service
    root is public in Redfish, so the check then reads the Systems
    collection, which needs valid credentials.
    """
    try:
        root = connect(connection)
        if not find_service(root.json):
            return base.PodStatus.error(
                'The Redfish service at %s is not %s: its service root has '
                'no %s.' % (connection.url, kind, service))
        systems = root.json.get('Systems', {}).get('@odata.id')
        if systems:
            root._conn.get(systems)
    except sushy_exc.ConnectionError as e:
        return base.PodStatus.offline(
            'Cannot connect to %s: %s' % (connection.url,
                                          base.connection_failure(e)))
    except sushy_exc.AccessError:
        return base.PodStatus.error(
            'The pod manager at %s refused the credentials.'
            % connection.url)
    except sushy_exc.HTTPError as e:
        return base.PodStatus.error(
            'The pod manager at %s answered HTTP %s: %s'
            % (connection.url, e.status_code, extended_info(e)))
    except (sushy_exc.SushyError, ValueError) as e:
        return base.PodStatus.error(
            'The pod manager at %s did not answer as a Redfish service: %s'
            % (connection.url, e))
    return base.PodStatus.online()
