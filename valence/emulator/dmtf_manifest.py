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

"""The ``Compose`` action of the CompositionService, and reservations.

A manifest holds stanzas (``ComposeSystem`` and ``DecomposeSystem``).
Every stanza is planned, in order, before anything changes: when one
cannot be fulfilled the action is refused with that stanza's error and the
pod is left as it was (all or none). ``Preview`` answers what would be
composed, ``PreviewReserve`` also holds the chosen blocks in a
CompositionReservation, and ``Apply`` composes, with a manifest or with
the ``ReservationId`` of a reservation (which is then consumed).

A reservation expires ``ReservationDuration`` after its
``ReservationTime``; the duration is read when expiry is checked, at the
start of every request, so a PATCH of the CompositionService to ``PT0S``
makes every reservation expire at once.
"""

import datetime
import time

from valence.emulator import dmtf_compose as compose
from valence.emulator import dmtf_errors as errors
from valence.emulator import dmtf_inventory as inv
from valence.emulator import redfish
from valence.emulator import routing

RESERVATIONS = inv.COMPOSITION + '/CompositionReservations'
COMPOSE_TARGET = inv.COMPOSITION + '/Actions/CompositionService.Compose'
ACTION_INFO = inv.COMPOSITION + '/ComposeActionInfo'
REQUEST_TYPES = ('Preview', 'PreviewReserve', 'Apply')
STANZA_TYPES = ('ComposeSystem', 'DecomposeSystem')
_ACTION = 'CompositionService.Compose'
_PARAMS = ('RequestFormat', 'RequestType', 'Manifest', 'ReservationId')
_EXPAND = ('None', 'All', 'Relevant')


def _valid_timestamp(text):
    try:
        datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except (AttributeError, ValueError):
        return False
    return True


def _shown(manifest):
    """A stored manifest as a reservation shows it: without requests.

    ``Manifest.Request`` is an open type, but the Redfish Service
    Validator refuses any property in it, so the requests (which the
    reservation holds as ReservedResourceBlocks) are not echoed.
    """
    shown = {k: v for k, v in manifest.items() if k != 'Stanzas'}
    shown['Stanzas'] = [{k: v for k, v in s.items() if k != 'Request'}
                        for s in manifest['Stanzas']]
    return shown


class Stanza:
    """One stanza of a manifest, parsed; ``blocks`` once planned."""

    def __init__(self, kind, stanza_id, request, parsed, pointer):
        self.kind = kind
        self.id = stanza_id
        self.request = request
        # A compose Request, or the record of the system to decompose.
        self.parsed = parsed
        self.pointer = pointer
        self.blocks = []
        self.response = None

    def echo(self, with_response=True):
        """The stanza as answered, or as a reservation stores it."""
        doc = {'StanzaType': self.kind}
        if self.id is not None:
            doc['StanzaId'] = self.id
        doc['Request'] = self.request
        if with_response and self.response is not None:
            doc['Response'] = self.response
        return doc


class Manifests(inv.Records):
    """The Compose action and the reservations of one pod."""

    def __init__(self, pod, systems, settings, clock=time.time):
        self.pod = pod
        self.systems = systems
        self.settings = settings
        self.clock = clock

    def add_routes(self, add):
        add('POST', COMPOSE_TARGET, self.compose)
        add('GET', ACTION_INFO, self.get_action_info)
        add('GET', RESERVATIONS, self.list_reservations)
        add('GET', RESERVATIONS + '/{reservation}', self.get_reservation)
        add('DELETE', RESERVATIONS + '/{reservation}',
            self.delete_reservation)

    # -- state --------------------------------------------------------------

    def dump(self):
        return {'reservations': [dict(r) for r in self.records.values()],
                'next_reservation': self.next_number}

    def load(self, state):
        self.next_number = state.get('next_reservation', self.next_number)
        for saved in state.get('reservations', []):
            record = dict(saved)
            self.records[record['id']] = record
            for block in self._held(record, free_only=True):
                self.inv.hold(block, reservation=record['id'])

    def allocations(self):
        result = {}
        for record in self.records.values():
            for block in self._held(record):
                result[block.uri] = RESERVATIONS + '/' + record['id']
        return result

    def expire(self):
        """Drop the reservations whose time is up."""
        deadline = self.clock() - self.settings['seconds']
        # Records are kept in the order they were made, oldest first, so
        # a request that finds nothing expired pays for one look only.
        while self.records:
            record = next(iter(self.records.values()))
            if record['time'] > deadline:
                break
            self._release(record)

    def _held(self, record, free_only=False):
        """The blocks that ``record`` holds (or would hold, when free)."""
        found = []
        for uris in record['blocks'].values():
            for uri in uris:
                block = self.inv.block_by_uri(uri)
                if block is None:
                    continue
                if free_only and block.free:
                    found.append(block)
                elif not free_only and block.reservation == record['id']:
                    found.append(block)
        return found

    def _release(self, record):
        for block in self._held(record):
            self.inv.hold(block, system=block.system)
        del self.records[record['id']]

    # -- the action ---------------------------------------------------------

    def compose(self, req):
        """Preview, reserve or apply a manifest; 200 with the manifest."""
        body = req.json_object()
        for key in body:
            if key not in _PARAMS:
                raise errors.action_invalid(key, _ACTION, 'unknown parameter')
        if body.get('RequestFormat', 'Manifest') != 'Manifest':
            raise errors.action_bad_value(body['RequestFormat'],
                                          'RequestFormat', _ACTION)
        if 'RequestType' not in body:
            raise errors.action_missing(_ACTION, 'RequestType')
        request_type = body['RequestType']
        if request_type not in REQUEST_TYPES:
            raise errors.action_bad_value(request_type, 'RequestType',
                                          _ACTION)
        if 'ReservationId' in body:
            return self._apply_reservation(body, req.user)
        if 'Manifest' not in body:
            raise errors.action_missing(_ACTION, 'Manifest')
        manifest = body['Manifest']
        stanzas = self._stanzas(manifest)
        self._plan(stanzas, apply=request_type == 'Apply')
        reservation_id = None
        if request_type == 'Apply':
            if self.pod.faults.take_failure('compose'):
                raise errors.failed('apply the manifest')
            self._apply(stanzas, req.user)
        else:
            self._preview(stanzas)
        if request_type == 'PreviewReserve':
            reservation_id = self._reserve(manifest, stanzas, req.user)
        return self._answer(request_type, manifest, stanzas, reservation_id)

    def _apply_reservation(self, body, user):
        reservation_id = body['ReservationId']
        if body['RequestType'] != 'Apply':
            raise errors.action_invalid(
                'ReservationId', _ACTION, 'a reservation is applied with '
                'RequestType Apply')
        if not isinstance(reservation_id, str):
            raise errors.action_bad_type(reservation_id, 'ReservationId',
                                         _ACTION)
        record = self.records.get(reservation_id)
        if record is None:
            raise errors.reservation_not_found(reservation_id)
        stanzas = self._stanzas(record['manifest'])
        self._plan(stanzas, apply=True, reservation=record)
        if self.pod.faults.take_failure('compose'):
            raise errors.failed('apply the reservation')
        self._apply(stanzas, user)
        self._release(record)
        return self._answer('Apply', record['manifest'], stanzas)

    def _stanzas(self, manifest):
        """The parsed stanzas of a manifest, or 400."""
        if not isinstance(manifest, dict):
            raise errors.action_bad_type(manifest, 'Manifest', _ACTION)
        for key in manifest:
            if key not in ('Description', 'Timestamp', 'Expand', 'Stanzas'):
                raise errors.unknown_property('Manifest/' + key,
                                              '#/Manifest/' + key)
        if 'Description' in manifest and not isinstance(
                manifest['Description'], str):
            raise errors.bad_type(manifest['Description'], 'Description',
                                  '#/Manifest/Description')
        if 'Timestamp' in manifest and not _valid_timestamp(
                manifest['Timestamp']):
            raise errors.bad_type(manifest['Timestamp'], 'Timestamp',
                                  '#/Manifest/Timestamp')
        if manifest.get('Expand', 'None') not in _EXPAND:
            raise errors.not_in_list(manifest['Expand'], 'Expand',
                                     '#/Manifest/Expand')
        stanzas = manifest.get('Stanzas')
        if not isinstance(stanzas, list) or not stanzas:
            raise errors.empty_manifest('#/Manifest/Stanzas')
        return [self._stanza(s, '#/Manifest/Stanzas/%d' % n)
                for n, s in enumerate(stanzas)]

    def _stanza(self, stanza, pointer):
        if not isinstance(stanza, dict):
            raise errors.bad_type(stanza, 'Stanzas', pointer)
        for key in stanza:
            if key not in ('StanzaType', 'StanzaId', 'Request'):
                raise errors.unknown_property(key, pointer + '/' + key)
        kind = stanza.get('StanzaType')
        if kind is None:
            raise errors.missing('StanzaType', pointer + '/StanzaType')
        if kind not in STANZA_TYPES:
            raise errors.not_in_list(kind, 'StanzaType',
                                     pointer + '/StanzaType')
        stanza_id = stanza.get('StanzaId')
        if stanza_id is not None and not isinstance(stanza_id, str):
            raise errors.bad_type(stanza_id, 'StanzaId',
                                  pointer + '/StanzaId')
        request = stanza.get('Request')
        if not isinstance(request, dict) or not request:
            raise errors.empty_manifest(pointer + '/Request')
        here = pointer + '/Request'
        if kind == 'ComposeSystem':
            parsed = self.systems.parse(request, here)
        else:
            parsed = self._system_at(request, here)
        return Stanza(kind, stanza_id, request, parsed, pointer)

    def _system_at(self, reference, pointer):
        uri = reference.get('@odata.id')
        if not isinstance(uri, str) or len(reference) != 1:
            raise errors.bad_type(reference, 'Request', pointer)
        prefix = inv.SYSTEMS + '/'
        uri = '/' + uri.strip('/')
        record = None
        if uri.startswith(prefix):
            record = self.systems.records.get(uri[len(prefix):])
        if record is None:
            raise errors.system_not_found(uri, pointer + '/@odata.id')
        return record

    def _plan(self, stanzas, apply=False, reservation=None):
        """Choose every stanza's blocks, in order; change nothing.

        ``apply`` tells that the blocks are about to be taken, when a
        vanishing device may strike.
        """
        plan = compose.Plan(self.inv, reservation and reservation['id'])
        decomposed = set()
        for n, stanza in enumerate(stanzas):
            if stanza.kind == 'DecomposeSystem':
                record = stanza.parsed
                if record['id'] in decomposed:
                    raise errors.system_twice(
                        inv.SYSTEMS + '/' + record['id'],
                        stanza.pointer + '/Request')
                decomposed.add(record['id'])
                plan.release(self.systems.blocks_of(record))
                continue
            request = stanza.parsed
            if reservation is not None:
                # Apply exactly what was reserved.
                request.uris = reservation['blocks'][str(n)]
                request.requirements = []
            stanza.blocks = self.systems.plan(plan, request, vanish=apply)

    def _apply(self, stanzas, user):
        for stanza in stanzas:
            if stanza.kind == 'ComposeSystem':
                record = self.systems.compose(stanza.parsed, stanza.blocks,
                                              user)
                stanza.response = self.systems.doc(record)
            else:
                stanza.response = self.systems.doc(stanza.parsed)
                self.systems.decompose(stanza.parsed)

    def _preview(self, stanzas):
        for stanza in stanzas:
            if stanza.kind == 'ComposeSystem':
                stanza.response = self.systems.preview(stanza.parsed,
                                                       stanza.blocks)
            else:
                stanza.response = self.systems.doc(stanza.parsed)

    def _reserve(self, manifest, stanzas, user):
        reservation_id = str(self.next_number)
        self.next_number += 1
        stored = {k: manifest[k] for k in ('Description', 'Timestamp',
                                           'Expand') if k in manifest}
        stored['Stanzas'] = [s.echo(with_response=False) for s in stanzas]
        record = {
            'id': reservation_id,
            'client': user or 'anonymous',
            'time': self.clock(),
            'manifest': stored,
            'blocks': {str(n): [b.uri for b in s.blocks]
                       for n, s in enumerate(stanzas)
                       if s.kind == 'ComposeSystem'},
        }
        self.records[reservation_id] = record
        # Blocks of systems that the manifest decomposes stay with their
        # systems until the reservation is applied.
        for block in self._held(record, free_only=True):
            self.inv.hold(block, reservation=reservation_id)
        return reservation_id

    def _answer(self, request_type, manifest, stanzas, reservation_id=None):
        echoed = {k: manifest[k] for k in ('Description', 'Timestamp',
                                           'Expand') if k in manifest}
        echoed['Stanzas'] = [s.echo() for s in stanzas]
        doc = {'RequestFormat': 'Manifest', 'RequestType': request_type,
               'Manifest': echoed}
        if reservation_id is not None:
            doc['ReservationId'] = reservation_id
        return doc

    # -- reservations ---------------------------------------------------------

    def list_reservations(self, req):
        return redfish.collection(
            req, self.pod, RESERVATIONS,
            '#CompositionReservationCollection.'
            'CompositionReservationCollection',
            'Composition Reservation Collection',
            redfish.UriList(RESERVATIONS, list(self.records)))

    def get_reservation(self, req, reservation):
        record = self._record(req, reservation)
        return {
            '@odata.id': RESERVATIONS + '/' + record['id'],
            '@odata.type': '#CompositionReservation.v1_0_2.'
                           'CompositionReservation',
            'Id': record['id'],
            'Name': 'Composition Reservation %s' % record['id'],
            'ReservationTime': inv.timestamp(record['time']),
            'Client': record['client'],
            'ReservedResourceBlocks': inv.links(
                b.uri for b in self._held(record)),
            'Manifest': _shown(record['manifest']),
        }

    def delete_reservation(self, req, reservation):
        """Release the reserved blocks; on success return 204."""
        self._release(self._record(req, reservation))
        return routing.Response.no_content()

    def get_action_info(self, req):
        return {
            '@odata.id': ACTION_INFO,
            '@odata.type': '#ActionInfo.v1_5_0.ActionInfo',
            'Id': 'ComposeActionInfo',
            'Name': 'Compose Action Info',
            'Parameters': [
                {'Name': 'Manifest', 'Required': False,
                 'DataType': 'Object'},
                {'Name': 'RequestFormat', 'Required': False,
                 'DataType': 'String', 'AllowableValues': ['Manifest']},
                {'Name': 'RequestType', 'Required': True,
                 'DataType': 'String',
                 'AllowableValues': list(REQUEST_TYPES)},
                {'Name': 'ReservationId', 'Required': False,
                 'DataType': 'String'},
            ],
        }
