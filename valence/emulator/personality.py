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

"""The interface between the emulator's core and a pod personality.

A personality is what a pod looks like from the wire: the RSD 2.x pod
manager (``rsd.py``), the DMTF Composition Service (``dmtf.py``), the NEC
ExpEther manager (``expether.py``). The core (``server.Pod``) does the
rest, the same way for all of them:

* **Routing.** :meth:`Personality.add_routes` registers handlers on a
  :class:`~valence.emulator.routing.Router`; a handler is
  ``handler(req, **params)`` returning a ``dict`` (200 JSON) or a
  :class:`~valence.emulator.routing.Response`, and raising
  :class:`~valence.emulator.routing.HTTPError` to refuse. The core answers
  404 for unknown paths and 405 (with ``Allow``) for unknown methods.
* **Concurrency.** Every handler runs with ``pod.lock`` held, so a handler
  reads and changes the personality's state without further locking, and
  two requests can never hand the same resource to two owners. Handlers
  must build fresh documents (the core serialises them after the lock is
  released), never hand out the inner lists or dicts of their state.
* **Authentication.** The core checks HTTP basic credentials, and Redfish
  session tokens (``X-Auth-Token``) when :attr:`uses_sessions` is true,
  except for requests :meth:`is_public` lets through. ``req.user`` is the
  authenticated user name.
* **ETags.** The core puts a strong ``ETag`` on every 200 JSON answer to a
  GET, answers ``304`` to a matching ``If-None-Match``, and refuses a
  POST, PATCH, PUT or DELETE whose ``If-Match`` does not match the current
  ETag of the resource (the path before ``/Actions/``) with
  :attr:`stale_etag_status`. A handler that requires ``If-Match`` checks
  ``req.headers.get('if-match')`` itself.
* **Faults.** The core applies latency, injected errors, dropped or hung
  connections and malformed bodies. Named failure points and vanishing
  devices are the personality's business: call
  ``self.pod.faults.take_failure('assemble')`` or
  ``self.pod.faults.vanish_now()`` where the real pod would fail.
* **Persistence.** With a state file, the core saves
  :meth:`dump_state` after each successful change (non-GET request) and,
  at start-up, rebuilds the inventory with :meth:`build` from the saved
  seed and sizes before it hands the saved state to :meth:`load_state`.
  So the state holds only what requests changed, not the inventory.
* **Control endpoint.** ``/_emulator/allocations`` shows
  :meth:`allocations`, ``/_emulator/vanish`` calls :meth:`vanish` and
  ``/_emulator/reset`` calls :meth:`build` again.
* **Internal reads.** ``self.pod.render(path)`` returns the document a
  GET of ``path`` would return (or None), which ``$expand`` uses.

Register a new personality in ``PERSONALITIES`` of ``pod.py``.
"""


class Personality:
    """Base class of the pod personalities; subclass and fill it in."""

    #: The name used on the command line (``--personality NAME``).
    name = None
    #: Accept Redfish session tokens (``X-Auth-Token``) besides basic auth.
    uses_sessions = False
    #: Status of a request whose ``If-Match`` names an old ETag.
    stale_etag_status = 412
    #: Headers added to every answer of this personality.
    extra_headers = {}
    #: Inventory sizes used when the command line gives none.
    default_systems = 4
    default_devices = 12

    def __init__(self, pod):
        self.pod = pod

    def build(self, rng, systems, devices):
        """(Re)generate the whole inventory, dropping any previous state.

        ``rng`` is a ``random.Random`` seeded from the pod's seed, so the
        same seed and sizes always give the same inventory. Keep per-item
        records small and render documents on demand: the build must stay
        quick at 100,000 resources.
        """
        raise NotImplementedError

    def add_routes(self, router):
        """Register this personality's handlers on ``router``."""
        raise NotImplementedError

    def is_public(self, req):
        """True when ``req`` needs no credentials (service roots)."""
        return False

    def error_body(self, error):
        """The JSON body of an answer refusing with ``error`` (HTTPError)."""
        return {'message': error.message, 'code': error.status}

    def dump_state(self):
        """What requests changed, as JSON-able data (see load_state)."""
        return {}

    def load_state(self, state):
        """Re-apply a dump_state() result on a freshly built inventory."""

    def allocations(self):
        """``{resource URI: owner URI}`` for every resource in use."""
        return {}

    def vanish(self, uri):
        """Make the device at ``uri`` disappear; False when unknown."""
        return False
