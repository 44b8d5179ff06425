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

"""The control endpoint ``/_emulator``: what tests flip at run time.

It needs no credentials and is never subject to faults or latency, so a
test can always reach it. Errors are ``{"error": "..."}``.

``GET /_emulator``
    the pod: personality, seed, sizes, session count, faults.
``GET|PUT|PATCH|DELETE /_emulator/faults``
    read, replace, merge into or clear the faults (see ``faults.py``).
``GET /_emulator/allocations``
    ``{"allocations": {resource URI: owner URI}, "count": N}``.
``POST /_emulator/vanish`` with ``{"uri": "..."}``
    the device at that URI disappears (204; 404 when unknown).
``POST /_emulator/reset``
    regenerate the inventory from the seed: compositions, sessions and
    faults are gone (204).
``GET /_emulator/state``
    what the state file would hold for this pod.
"""

from valence.emulator import routing

PREFIX = '/_emulator'


class ControlError(routing.HTTPError):
    pass


def error_body(error):
    return {'error': error.message}


class Control:
    """Handlers of the control endpoint of one pod."""

    def __init__(self, pod):
        self.pod = pod
        self.router = routing.Router()
        add = self.router.add
        add('GET', PREFIX, self.get_pod)
        add('GET', PREFIX + '/faults', self.get_faults)
        add('PUT', PREFIX + '/faults', self.put_faults)
        add('PATCH', PREFIX + '/faults', self.patch_faults)
        add('DELETE', PREFIX + '/faults', self.delete_faults)
        add('GET', PREFIX + '/allocations', self.get_allocations)
        add('POST', PREFIX + '/vanish', self.vanish)
        add('POST', PREFIX + '/reset', self.reset)
        add('GET', PREFIX + '/state', self.get_state)

    def get_pod(self, req):
        pod = self.pod
        return {
            'personality': pod.personality.name,
            'seed': pod.seed,
            'systems': pod.systems,
            'devices': pod.devices,
            'sessions': len(pod.sessions.ids()),
            'faults': pod.faults.as_dict(),
        }

    def get_faults(self, req):
        return self.pod.faults.as_dict()

    def put_faults(self, req):
        return self._change(req, self.pod.faults.replace)

    def patch_faults(self, req):
        return self._change(req, self.pod.faults.update)

    def _change(self, req, how):
        try:
            how(req.json_object())
        except ValueError as e:
            raise ControlError(400, str(e))
        return self.pod.faults.as_dict()

    def delete_faults(self, req):
        self.pod.faults.clear()
        return routing.Response.no_content()

    def get_allocations(self, req):
        allocations = self.pod.personality.allocations()
        return {'allocations': allocations, 'count': len(allocations)}

    def vanish(self, req):
        uri = req.json_object().get('uri')
        if not isinstance(uri, str):
            raise ControlError(400, 'give the device as {"uri": "..."}')
        if not self.pod.personality.vanish(routing.normalise(uri)):
            raise ControlError(404, 'no device at %s' % uri)
        return routing.Response.no_content()

    def reset(self, req):
        self.pod.reset()
        return routing.Response.no_content()

    def get_state(self, req):
        return self.pod.record()
