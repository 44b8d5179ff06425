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

"""Waiting for the end of an asynchronous operation on a node.

Compose, delete, attach, detach, register and unregister answer 202 and
go on in a conductor. While it works, the node is in a transient state
(or holds a reservation); the node's action records, kept under the id of
the request that started the operation, then say how it ended. When no
record of the request can be found, the node's state and fields decide.
"""

import time

from valence.osc import client as valence_client

# States in which a conductor still works on a node.
TRANSIENT_STATES = frozenset((
    'composing', 'allocated', 'assembling', 'deleting', 'attaching',
    'detaching', 'registering', 'unregistering'))
FAILED_STATES = frozenset(('compose failed', 'cleanup_needed'))
IN_PROGRESS = 'in progress'
# Polls of a node at rest, without a record of the request, before its
# state alone is trusted: the conductor may not have started yet.
AT_REST_POLLS = 3


class OperationFailed(Exception):
    """The operation ended in failure; the message is the node's error."""

    def __init__(self, message, node=None):
        super().__init__(message)
        self.node = node


class WaitTimeout(Exception):
    pass


def busy(node):
    """Whether a conductor is working on the node."""
    return node.get('state') in TRANSIENT_STATES or bool(
        node.get('reservation'))


def label(node):
    return node.get('name') or node['uuid']


def progress_line(node, device=None):
    """What a user is shown while waiting: the states that change."""
    line = 'node %s: %s' % (label(node), node['state'])
    if device is not None:
        line += '; device %s: %s' % (device['uuid'], device.get('state'))
    return line


def find_record(actions, request_id, device_id=None):
    """The record of the operation started by ``request_id``, or None.

    A compose also records each of its steps under the same request; an
    attach or detach is recorded with its device as the step.
    """
    if not request_id:
        return None
    found = [a for a in actions if a.get('request_id') == request_id
             and a.get('step') in (None, device_id)]
    return found[-1] if found else None


def succeeded_by_state(operation, node, device=None):
    """Whether ``operation`` reached its end, judging from the node (and
    the device of an attach or detach) alone."""
    if node.get('state') in FAILED_STATES:
        return False
    if operation == 'delete':
        # A node deleted has gone: one that is still here was not.
        return False
    if operation in ('attach', 'detach') and device is not None:
        attached = device.get('node_id') == node['uuid']
        return attached if operation == 'attach' else not attached
    if operation == 'register':
        return bool(node.get('ironic_node_uuid'))
    if operation == 'unregister':
        return not node.get('ironic_node_uuid')
    return node.get('state') == 'available' and not node.get('last_error')


def failure_message(operation, node, record=None):
    error = node.get('last_error') or (record or {}).get('error')
    if not error:
        error = 'the node is %s' % node.get('state')
    return '%s of node %s failed: %s' % (operation.capitalize(),
                                         node['uuid'], error)


def wait_for_node(client, node, operation, request_id=None, device_id=None,
                  timeout=None, interval=2.0, report=None, sleep=time.sleep,
                  clock=time.monotonic):
    """Poll a node until ``operation`` on it has ended.

    :param client: a valence.osc.client.Client.
    :param node: the node as the 202 answer showed it.
    :param operation: compose, delete, attach, detach, register or
        unregister.
    :param request_id: the id of the request that started the operation.
    :param device_id: the device of an attach or detach.
    :param timeout: seconds to wait at most; None or 0 for no limit.
    :param report: called with a line of text whenever the node's (or the
        device's) state changes.
    :returns: the node at the end; None once a deleted node has gone.
    :raises OperationFailed: the operation failed (with the node's error).
    :raises WaitTimeout: it has not ended within ``timeout``.
    """
    uuid = node['uuid']
    deadline = clock() + timeout if timeout else None
    was_busy = busy(node)
    at_rest = 0
    shown = None
    while True:
        try:
            node = client.get_node(uuid)
        except valence_client.ValenceClientError as e:
            if e.status == 404 and operation == 'delete':
                if report:
                    report('node %s: deleted' % label(node))
                return None
            raise
        device = client.get_device(device_id) if device_id else None
        line = progress_line(node, device)
        if report and line != shown:
            report(line)
        shown = line
        if busy(node):
            was_busy = True
        else:
            record = find_record(client.list_node_actions(uuid), request_id,
                                 device_id)
            if record is not None and record.get('result') != IN_PROGRESS:
                if record.get('result') == 'error':
                    raise OperationFailed(
                        failure_message(operation, node, record), node)
                return node
            if record is None and (was_busy or at_rest >= AT_REST_POLLS):
                if succeeded_by_state(operation, node, device):
                    return node
                raise OperationFailed(failure_message(operation, node),
                                      node)
            at_rest += 1
        if deadline is not None and clock() >= deadline:
            raise WaitTimeout('%s of node %s has not ended after %s '
                              'seconds; it is %s' % (
                                  operation.capitalize(), uuid, timeout,
                                  node.get('state')))
        sleep(interval)
