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

"""valence-notification-listener: print Valence's versioned notifications.

It reads the same configuration file as the services: the transport of
``[oslo_messaging_notifications] transport_url`` (or ``[DEFAULT]
transport_url``) and the topics of ``[DEFAULT]
versioned_notifications_topics``. Each event is printed on standard output
as one JSON line::

    {"event_type": "valence.node.compose.end", "priority": "INFO",
     "publisher_id": "valence-conductor.host-1", "timestamp": "...",
     "message_id": "...", "payload": {"valence_object.name": ...}}

It is also the smallest example of a consumer: an oslo.messaging
notification listener whose endpoint has one method per priority.
"""

import fnmatch
import json
import signal
import sys
import threading

from oslo_config import cfg
import oslo_messaging as messaging

from valence import conf
from valence.common import rpc
from valence.common import service as valence_service

CLI_OPTS = [
    cfg.MultiStrOpt('event-type', default=[],
                    help='Print only the events of this type; shell '
                         'patterns such as "valence.node.*" match several. '
                         'Repeat the option for more.'),
    cfg.IntOpt('count', min=1,
               help='Exit after printing this many events.'),
    cfg.StrOpt('pool',
               help='Listen in a pool of this name: every pool receives '
                    'each event, while listeners without a pool share the '
                    'events between them. The pool\'s queue stays on the '
                    'broker after the listener exits.'),
]

PRIORITIES = ('audit', 'debug', 'info', 'warn', 'error', 'critical',
              'sample')


class Printer:
    """The listener's endpoint: one JSON line per matching event."""

    def __init__(self, patterns, count, out, done):
        self.patterns = patterns
        self.left = count
        self.out = out
        self.done = done
        # The executor calls the endpoint from several threads.
        self._lock = threading.Lock()
        for priority in PRIORITIES:
            setattr(self, priority, self._printer(priority.upper()))

    def matches(self, event_type):
        return not self.patterns or any(
            fnmatch.fnmatchcase(event_type, p) for p in self.patterns)

    def _printer(self, priority):
        def handle(ctxt, publisher_id, event_type, payload, metadata):
            # The context is left out: it carries the caller's token.
            if not self.matches(event_type):
                return None
            line = json.dumps({
                'event_type': event_type, 'priority': priority,
                'publisher_id': publisher_id,
                'timestamp': metadata.get('timestamp'),
                'message_id': metadata.get('message_id'),
                'payload': payload}, default=str, sort_keys=True)
            with self._lock:
                if self.done.is_set():
                    return None
                self.out.write(line + '\n')
                self.out.flush()
                if self.left is not None:
                    self.left -= 1
                    if self.left == 0:
                        self.done.set()
            return None
        return handle


def listen(config, out=sys.stdout, done=None):
    """Print events until ``done`` is set (by a signal or by --count)."""
    done = done or threading.Event()
    transport = messaging.get_notification_transport(config)
    targets = [messaging.Target(topic=topic)
               for topic in config.versioned_notifications_topics]
    printer = Printer(config.event_type, config.count, out, done)
    listener = messaging.get_notification_listener(
        transport, targets, [printer], executor='threading',
        pool=config.pool)
    listener.start()
    try:
        # Waiting with a timeout lets the signal handlers run.
        while not done.wait(0.5):
            pass
    finally:
        listener.stop()
        listener.wait()
        transport.cleanup()


def main():
    conf.CONF.register_cli_opts(CLI_OPTS)
    # oslo.messaging's options are registered before parsing, so that the
    # transport can be checked before connecting.
    rpc.register_opts(conf.CONF)
    valence_service.prepare_service(sys.argv)
    if not rpc.transport_url_configured(conf.CONF):
        sys.exit('No transport to listen on: set [oslo_messaging_'
                 'notifications] transport_url or [DEFAULT] transport_url '
                 'in the file given with --config-file.')
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *args: done.set())
    listen(conf.CONF, done=done)
