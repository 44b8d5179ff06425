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


"""The notifications of node operations: valence.node.<action>.<phase>."""

from valence import objects
from valence.objects import notification


def node_event(context, node, action, phase, **details):
    """Announce a step of an operation on ``node``.

    :param details: what the event is about beyond the node (a reset
        type, a device, an error), sent as strings.
    """
    if not notification.enabled():
        return
    notification.emit(
        context, notification.EventType('node', action, phase),
        objects.NodePayload.from_object(
            node, details={k: str(v) for k, v in details.items()} or None))
