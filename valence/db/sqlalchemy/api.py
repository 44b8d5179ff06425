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

"""SQLAlchemy implementation of the database interface."""

import contextlib
import datetime
import functools
import sqlite3
import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa
from sqlalchemy import orm

from valence.common import exception
from valence.common import states
from valence.db import api
from valence.db.sqlalchemy import models

main_context = enginefacade.transaction_context()
# thread_checkin makes every connection returned to the pool sleep(0), so
# that eventlet's green threads take turns. Valence runs native threads,
# which take turns anyway: there the sleep only hands the interpreter to
# another thread mid-request and delays the answer.
main_context.configure(sqlite_fk=True, thread_checkin=False)
_CONTEXT = threading.local()


@sa.event.listens_for(sa.engine.Engine, 'connect')
def _sqlite_journal(dbapi_connection, record):
    """Write-ahead logging for SQLite databases (the all-in-one service).

    Readers then never wait for the writer, and a commit appends to the
    log instead of syncing the whole database file to disk: an operation
    that writes a few rows no longer waits a disk sync for each. A power
    cut may lose the last commits, never the database.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA synchronous=NORMAL')
        cursor.close()


# oslo.db gives SQLite files no connection pool: each transaction would
# open its own connection, and SQLite reads the whole schema again on a
# connection's first statement (a quarter of a millisecond, more than the
# small transactions themselves). SQLite also checkpoints and removes the
# write-ahead log whenever the last connection to a database closes. The
# first connection of an engine to a database file therefore gives the
# engine a queue pool instead, built as SQLAlchemy's own Pool.recreate()
# builds its replacement, so that every listener oslo.db registered stays.
# Idle pooled connections keep the log open; the pool never makes a
# caller wait (SQLite serialises writers itself).
_POOLED_LOCK = threading.Lock()


@sa.event.listens_for(sa.engine.Engine, 'engine_connect')
def _pool_sqlite_file(connection):
    engine = connection.engine
    if (engine.dialect.name != 'sqlite'
            or engine.url.database in (None, '', ':memory:')
            or not isinstance(engine.pool, sa.pool.NullPool)):
        return
    with _POOLED_LOCK:
        if not isinstance(engine.pool, sa.pool.NullPool):
            return
        unpooled = engine.pool
        engine.pool = sa.pool.QueuePool(
            unpooled._creator, pool_size=8, max_overflow=-1,
            recycle=unpooled._recycle,
            reset_on_return=unpooled._reset_on_return,
            logging_name=unpooled._orig_logging_name,
            _dispatch=unpooled.dispatch, dialect=unpooled._dialect)


def _session_for_read():
    return main_context.reader.using(_CONTEXT)


def _connection_for_read():
    """A Core connection; within a transaction, the transaction's."""
    return main_context.reader.connection.using(_CONTEXT)


# SQLite has one writer at a time, and a transaction that reads before it
# writes fails at once with "database is locked" when another writes
# meanwhile. The all-in-one service writes from many threads: on SQLite,
# its writing transactions take turns, and each takes the database's write
# lock as it begins, so that it waits for another process (valence-manage,
# a second service on the same file) instead of failing.
_SQLITE_WRITES = threading.RLock()


@sa.event.listens_for(sa.engine.Engine, 'begin', insert=True)
def _sqlite_begin(connection):
    # oslo.db begins SQLite transactions itself unless "in_transaction" is
    # set; this runs before it. Writing transactions begin IMMEDIATE (see
    # above); reading ones plainly, as oslo.db would, but as a statement
    # for the driver: oslo.db's is a new text() construct each time, and
    # compiling it cost a tenth of reading a node.
    if (connection.dialect.name == 'sqlite'
            and 'in_transaction' not in connection.info):
        writing = getattr(_CONTEXT, 'sqlite_writing', False)
        connection.exec_driver_sql('BEGIN IMMEDIATE' if writing else 'BEGIN')
        connection.info['in_transaction'] = True


@contextlib.contextmanager
def _session_for_write():
    if get_engine().dialect.name != 'sqlite':
        with main_context.writer.using(_CONTEXT) as session:
            yield session
        return
    with _SQLITE_WRITES:
        outermost = not getattr(_CONTEXT, 'sqlite_writing', False)
        _CONTEXT.sqlite_writing = True
        try:
            with main_context.writer.using(_CONTEXT) as session:
                yield session
        finally:
            if outermost:
                _CONTEXT.sqlite_writing = False


def get_engine():
    return main_context.writer.get_engine()


def _paginate(session, model, query, limit, marker, sort_key, sort_dir):
    if marker is not None:
        marker = session.scalar(sa.select(model).filter_by(uuid=marker))
        if marker is None:
            raise exception.InvalidMarker(marker=marker,
                                          resource=model.__tablename__)
    # The id makes the order total, so pages never overlap.
    sort_keys = [sort_key or 'id']
    if 'id' not in sort_keys:
        sort_keys.append('id')
    query = db_utils.paginate_query(query, model, limit, sort_keys,
                                    marker=marker, sort_dir=sort_dir or 'asc')
    return list(query)


INVENTORY_MODELS = {
    'racks': models.Rack,
    'systems': models.System,
    'storages': models.Storage,
    'devices': models.Device,
    'resource_blocks': models.ResourceBlock,
    'resource_zones': models.ResourceZone,
}
# Columns a sync never writes from a pod's records.
_KEPT_COLUMNS = {'id', 'uuid', 'podmanager_id', 'created_at', 'updated_at'}
_CHUNK = 1000


class _ClaimLost(Exception):
    """Another node took a resource first."""


def _apply_kind(session, model, podm_id, records, node_ids, now, counts):
    """Insert, update and delete one kind of rows to match ``records``."""
    table = model.__table__
    columns = [c for c in table.columns.keys() if c not in _KEPT_COLUMNS]
    allocatable = 'node_id' in columns
    incoming = {}
    for record in records:
        row = {c: record.get(c) for c in columns}
        if allocatable:
            row['node_id'] = node_ids.get(row['pod_node_uri'])
        incoming[row['pod_uri']] = row
    # Rows come back as (id, *columns); comparing them as tuples keeps a
    # sync of 100,000 unchanged rows cheap.
    existing = {
        row.pod_uri: row for row in session.execute(
            sa.select(table.c.id, *[table.c[c] for c in columns])
            .where(table.c.podmanager_id == podm_id))}

    # A row being attached or detached belongs to that operation until it
    # ends: the pod may not show its outcome yet.
    if allocatable:
        busy = {uri for uri, row in existing.items()
                if row.state in states.TRANSIENT_DEVICE_STATES}
        existing = {uri: row for uri, row in existing.items()
                    if uri not in busy}
        incoming = {uri: row for uri, row in incoming.items()
                    if uri not in busy}
    removed = [row.id for uri, row in existing.items()
               if uri not in incoming]
    added, updated = [], []
    for uri, row in incoming.items():
        old = existing.get(uri)
        if old is None:
            added.append(dict(row, uuid=uuidutils.generate_uuid(),
                              podmanager_id=podm_id, created_at=now))
        elif tuple(old)[1:] != tuple(row[c] for c in columns):
            updated.append(dict(row, row_id=old.id, updated_at=now))

    for start in range(0, len(removed), _CHUNK):
        session.execute(sa.delete(table).where(
            table.c.id.in_(removed[start:start + _CHUNK])))
    if added:
        session.execute(sa.insert(table), added)
    if updated:
        session.execute(
            sa.update(table).where(table.c.id == sa.bindparam('row_id'))
            .values({c: sa.bindparam(c) for c in columns + ['updated_at']}),
            updated)
    counts['added'] += len(added)
    counts['updated'] += len(updated)
    counts['removed'] += len(removed)


# Made once: an alias built for each query costs more than the query.
_RACK = orm.aliased(models.Rack)


def _with_references(query, model):
    """Add the uuids of the row's pod manager, node and rack."""
    query = query.join(models.PodManager,
                       models.PodManager.id == model.podmanager_id)
    columns = [models.PodManager.uuid.label('podm_uuid')]
    if hasattr(model, 'node_id'):
        rack = _RACK
        query = query.outerjoin(models.Node,
                                models.Node.id == model.node_id)
        query = query.outerjoin(
            rack, sa.and_(rack.podmanager_id == model.podmanager_id,
                          rack.pod_uri == model.rack_uri))
        columns += [models.Node.uuid.label('node_uuid'),
                    rack.uuid.label('rack_uuid')]
    else:
        columns += [sa.null().label('node_uuid'),
                    sa.null().label('rack_uuid')]
    return query.add_columns(*columns)


def _with_reference_values(row):
    """``(item, podm_uuid, node_uuid, rack_uuid)`` of a row read on a
    connection with ``_with_references``: the item is the row itself."""
    return row, row.podm_uuid, row.node_uuid, row.rack_uuid


def _filter_inventory(query, model, filters):
    related = {'podm_uuid': models.PodManager.uuid,
               'node_uuid': models.Node.uuid}
    for name, column in related.items():
        if name in filters:
            query = query.filter(column == filters.pop(name))
    if 'rack_uuid' in filters:
        rack_uri = sa.select(models.Rack.pod_uri).where(
            models.Rack.uuid == filters.pop('rack_uuid'),
            models.Rack.podmanager_id == model.podmanager_id)
        query = query.filter(model.rack_uri == rack_uri.scalar_subquery())
    for name, value in filters.items():
        if name.startswith('min_'):
            query = query.filter(getattr(model, name[4:]) >= value)
        elif name.startswith('like_'):
            query = query.filter(
                getattr(model, name[5:]).ilike('%%%s%%' % value))
        elif name.startswith('any_'):
            query = query.filter(getattr(model, name[4:]).in_(value))
        else:
            query = query.filter(getattr(model, name) == value)
    return query


# The statements of every request's reads and writes are built once, with
# bound parameters: SQLAlchemy keeps the compiled SQL of a statement
# object, and building a statement with its cache key on each call cost
# more than running it on SQLite. An UPDATE built on a table and run
# without values() sets the columns named by the other parameters.
_NODES = models.Node.__table__
_NODE_ACTIONS = models.NodeAction.__table__
_POD_MANAGERS = models.PodManager.__table__
# The rows read by key on every request (a node and its pod manager's
# uuid, a pod manager, an inventory item and the uuids it refers to) are
# read on a bare connection, as rows with the columns as attributes: an
# ORM session and entity cost as much again as the read.
_NODE_BY_UUID = sa.select(
    _NODES, _POD_MANAGERS.c.uuid.label('podm_uuid')
).join_from(
    _NODES, _POD_MANAGERS, _POD_MANAGERS.c.id == _NODES.c.podmanager_id
).where(_NODES.c.uuid == sa.bindparam('match_uuid'))
_POD_MANAGER_BY = {
    column: sa.select(_POD_MANAGERS).where(
        _POD_MANAGERS.c[column] == sa.bindparam('match'))
    for column in ('uuid', 'name', 'id')}
_ITEM_BY_UUID = {
    kind: _with_references(sa.select(model), model).where(
        model.uuid == sa.bindparam('match_uuid'))
    for kind, model in INVENTORY_MODELS.items()}
_ITEM_BY_POD_URI = {
    kind: _with_references(sa.select(model), model).where(
        models.PodManager.uuid == sa.bindparam('match_podm'),
        model.pod_uri == sa.bindparam('match_uri'))
    for kind, model in INVENTORY_MODELS.items()}
_RESERVE_NODE = sa.update(_NODES).where(
    _NODES.c.uuid == sa.bindparam('match_uuid'),
    _NODES.c.reservation.is_(None))
_RELEASE_NODE = sa.update(_NODES).where(
    _NODES.c.uuid == sa.bindparam('match_uuid'),
    _NODES.c.reservation == sa.bindparam('holder'))
_INSERT_NODE_ACTION = sa.insert(_NODE_ACTIONS)
_UPDATE_NODE_ACTION = sa.update(_NODE_ACTIONS).where(
    _NODE_ACTIONS.c.id == sa.bindparam('match_id'))


def _node_update(check_states, check_reservation):
    conditions = [_NODES.c.uuid == sa.bindparam('match_uuid')]
    if check_states:
        conditions.append(_NODES.c.state.in_(
            sa.bindparam('allowed_states', expanding=True)))
    if check_reservation:
        conditions.append(_NODES.c.reservation == sa.bindparam('holder'))
    return sa.update(_NODES).where(*conditions)


_UPDATE_NODE = {(states, reservation): _node_update(states, reservation)
                for states in (False, True) for reservation in (False, True)}


@functools.lru_cache(maxsize=None)
def _item_update(kind, expected):
    """UPDATE of one inventory row by uuid, if the columns ``expected``
    names (``(column, is_null)`` pairs) still hold their values."""
    table = INVENTORY_MODELS[kind].__table__
    conditions = [table.c.uuid == sa.bindparam('match_uuid')]
    for column, is_null in expected:
        conditions.append(table.c[column].is_(None) if is_null else
                          table.c[column] == sa.bindparam('was_' + column))
    return sa.update(table).where(*conditions)


def _pod_node_taken(values):
    return exception.Conflict(
        reason='the pod node %s is already a Valence node'
        % values.get('pod_node_uri'))


class Connection(api.Connection):

    @contextlib.contextmanager
    def transaction(self):
        # Calls made in the block join this transaction: the enginefacade
        # context is this thread's.
        with _session_for_write():
            yield

    # Pod managers

    def create_pod_manager(self, values):
        podm = models.PodManager(**values)
        try:
            with _session_for_write() as session:
                session.add(podm)
                session.flush()
        except db_exc.DBDuplicateEntry as e:
            if 'url' in e.columns:
                raise exception.DuplicatePodManagerURL(url=values['url'])
            if 'name' in e.columns:
                raise exception.DuplicateName(resource='pod manager',
                                              name=values['name'])
            raise exception.Conflict(
                reason='pod manager %s already exists' % values['uuid'])
        return podm

    def _get_pod_manager(self, column, value):
        with _connection_for_read() as connection:
            podm = connection.execute(_POD_MANAGER_BY[column],
                                      {'match': value}).first()
        if podm is None:
            raise exception.PodManagerNotFound(podm=value)
        return podm

    def get_pod_manager_by_uuid(self, uuid):
        return self._get_pod_manager('uuid', uuid)

    def get_pod_manager_by_name(self, name):
        return self._get_pod_manager('name', name)

    def get_pod_manager_by_id(self, podm_id):
        return self._get_pod_manager('id', podm_id)

    def list_pod_managers(self, filters=None, limit=None, marker=None,
                          sort_key=None, sort_dir=None):
        with _session_for_read() as session:
            query = session.query(models.PodManager).filter_by(
                **(filters or {}))
            return _paginate(session, models.PodManager, query, limit,
                             marker, sort_key, sort_dir)

    def update_pod_manager(self, uuid, values):
        try:
            with _session_for_write() as session:
                podm = session.scalar(
                    sa.select(models.PodManager).filter_by(uuid=uuid))
                if podm is None:
                    raise exception.PodManagerNotFound(podm=uuid)
                for key, value in values.items():
                    setattr(podm, key, value)
                session.flush()
        except db_exc.DBDuplicateEntry as e:
            if 'url' in e.columns:
                raise exception.DuplicatePodManagerURL(url=values['url'])
            raise exception.DuplicateName(resource='pod manager',
                                          name=values.get('name'))
        return podm

    def replace_pod_manager_password(self, uuid, old, new):
        with _session_for_write() as session:
            result = session.execute(
                sa.update(models.PodManager)
                .where(models.PodManager.uuid == uuid,
                       models.PodManager.password == old)
                .values(password=new))
            return result.rowcount == 1

    def destroy_pod_manager(self, uuid):
        with _session_for_write() as session:
            podm = session.scalar(
                sa.select(models.PodManager).filter_by(uuid=uuid)
                .with_for_update())
            if podm is None:
                raise exception.PodManagerNotFound(podm=uuid)
            count = session.scalar(
                sa.select(sa.func.count(models.Node.id))
                .filter_by(podmanager_id=podm.id))
            if count:
                raise exception.PodManagerInUse(podm=uuid, count=count)
            for model in INVENTORY_MODELS.values():
                session.execute(sa.delete(model).where(
                    model.podmanager_id == podm.id))
            session.delete(podm)

    # Composed nodes

    def create_node(self, values):
        node = models.Node(**values)
        try:
            with _session_for_write() as session:
                session.add(node)
                session.flush()
                podm_uuid = session.scalar(
                    sa.select(models.PodManager.uuid).where(
                        models.PodManager.id == node.podmanager_id))
        except db_exc.DBDuplicateEntry:
            raise _pod_node_taken(values)
        return node, podm_uuid

    @staticmethod
    def _node_query(session):
        return session.query(models.Node, models.PodManager.uuid).join(
            models.PodManager,
            models.PodManager.id == models.Node.podmanager_id)

    def get_node_by_uuid(self, uuid):
        with _connection_for_read() as connection:
            row = connection.execute(_NODE_BY_UUID,
                                     {'match_uuid': uuid}).first()
        if row is None:
            raise exception.NodeNotFound(node=uuid)
        return row, row.podm_uuid

    def get_node_by_name(self, name):
        with _session_for_read() as session:
            rows = self._node_query(session).filter(
                models.Node.name == name).limit(2).all()
        if not rows:
            raise exception.NodeNotFound(node=name)
        if len(rows) > 1:
            raise exception.Conflict(
                reason='several nodes are named "%s"; use the uuid' % name)
        return tuple(rows[0])

    def list_nodes(self, filters=None, limit=None, marker=None,
                   sort_key=None, sort_dir=None):
        filters = dict(filters or {})
        with _session_for_read() as session:
            query = self._node_query(session)
            if 'podm_uuid' in filters:
                query = query.filter(
                    models.PodManager.uuid == filters.pop('podm_uuid'))
            for name, value in filters.items():
                query = query.filter(getattr(models.Node, name) == value)
            if marker is not None:
                marker_row = session.scalar(
                    sa.select(models.Node).filter_by(uuid=marker))
                if marker_row is None:
                    raise exception.InvalidMarker(marker=marker,
                                                  resource='node')
                marker = marker_row
            sort_keys = [sort_key or 'id']
            if 'id' not in sort_keys:
                sort_keys.append('id')
            query = db_utils.paginate_query(query, models.Node, limit,
                                            sort_keys, marker=marker,
                                            sort_dir=sort_dir or 'asc')
            return [tuple(row) for row in query]

    def update_node(self, uuid, values, states=None, reservation=None):
        values = dict(values, updated_at=timeutils.utcnow())
        parameters = dict(values, match_uuid=uuid)
        if states is not None:
            parameters['allowed_states'] = list(states)
        if reservation is not None:
            parameters['holder'] = reservation
        statement = _UPDATE_NODE[states is not None, reservation is not None]
        try:
            with _session_for_write() as session:
                changed = session.execute(statement, parameters).rowcount
        except db_exc.DBDuplicateEntry:
            # A pod can give a new node the address of one it lost, while
            # Valence still has the old one.
            raise _pod_node_taken(values)
        if not changed:
            # Say which condition failed.
            node, _podm = self.get_node_by_uuid(uuid)
            if states is not None and node.state not in states:
                raise exception.InvalidState(node=uuid, state=node.state)
            raise exception.NodeLocked(node=uuid,
                                       host=node.reservation or 'nobody')
        return values['updated_at']

    def destroy_node(self, uuid):
        with _session_for_write() as session:
            node = session.scalar(sa.select(models.Node).filter_by(
                uuid=uuid).with_for_update())
            if node is None:
                raise exception.NodeNotFound(node=uuid)
            self._release_inventory(session, node.id)
            session.delete(node)

    def reserve_node(self, uuid, host):
        with _session_for_write() as session:
            count = session.execute(_RESERVE_NODE, {
                'match_uuid': uuid, 'reservation': host}).rowcount
        if not count:
            node, _podm = self.get_node_by_uuid(uuid)
            raise exception.NodeLocked(node=uuid, host=node.reservation)

    def take_over_node(self, uuid, host, stale_holder):
        with _session_for_write() as session:
            count = session.execute(
                sa.update(models.Node)
                .where(models.Node.uuid == uuid,
                       sa.or_(models.Node.reservation.is_(None),
                              models.Node.reservation == stale_holder))
                .values(reservation=host)).rowcount
        if not count:
            node, _podm = self.get_node_by_uuid(uuid)
            raise exception.NodeLocked(node=uuid, host=node.reservation)

    def release_node(self, uuid, host):
        with _session_for_write() as session:
            session.execute(_RELEASE_NODE, {
                'match_uuid': uuid, 'holder': host, 'reservation': None})

    def list_orphaned_nodes(self, states, alive_hosts, unreserved_before):
        node = models.Node
        with _session_for_read() as session:
            query = self._node_query(session).filter(sa.or_(
                sa.and_(node.reservation.is_not(None),
                        node.reservation.not_in(alive_hosts)),
                sa.and_(node.reservation.is_(None),
                        node.state.in_(states),
                        sa.func.coalesce(node.updated_at, node.created_at)
                        < unreserved_before)))
            return [tuple(row) for row in query]

    def claim_inventory(self, kind, podm_id, pod_uris, node_id):
        table = INVENTORY_MODELS[kind].__table__
        try:
            with _session_for_write() as session:
                claimed = session.execute(
                    sa.update(table)
                    .where(table.c.podmanager_id == podm_id,
                           table.c.pod_uri.in_(pod_uris),
                           table.c.state == 'free')
                    .values(state='allocated', node_id=node_id)).rowcount
                if claimed != len(set(pod_uris)):
                    # Raising rolls the partial claim back.
                    raise _ClaimLost()
        except _ClaimLost:
            return False
        return True

    def release_inventory(self, node_id):
        with _session_for_write() as session:
            self._release_inventory(session, node_id)

    @staticmethod
    def _release_inventory(session, node_id):
        for model in INVENTORY_MODELS.values():
            if hasattr(model, 'node_id'):
                session.execute(
                    sa.update(model).where(model.node_id == node_id)
                    .values(node_id=None, pod_node_uri=None, state='free'))

    def create_node_action(self, values):
        with _session_for_write() as session:
            result = session.execute(_INSERT_NODE_ACTION, values)
        # The row as written, its defaults (created_at) included.
        return models.NodeAction(id=result.inserted_primary_key[0],
                                 **result.last_inserted_params())

    def update_node_action(self, action_id, values):
        with _session_for_write() as session:
            session.execute(_UPDATE_NODE_ACTION,
                            dict(values, match_id=action_id))

    def list_node_actions(self, node_uuid):
        with _session_for_read() as session:
            return list(session.scalars(
                sa.select(models.NodeAction)
                .where(models.NodeAction.node_uuid == node_uuid)
                .order_by(models.NodeAction.id)))

    # Flavors

    def create_flavor(self, values):
        flavor = models.Flavor(**values)
        try:
            with _session_for_write() as session:
                session.add(flavor)
                session.flush()
        except db_exc.DBDuplicateEntry as e:
            if 'name' in e.columns:
                raise exception.DuplicateName(resource='flavor',
                                              name=values['name'])
            raise exception.Conflict(
                reason='flavor %s already exists' % values['uuid'])
        return flavor

    def _get_flavor(self, **filters):
        with _session_for_read() as session:
            flavor = session.scalar(
                sa.select(models.Flavor).filter_by(**filters))
        if flavor is None:
            raise exception.FlavorNotFound(flavor=next(iter(
                filters.values())))
        return flavor

    def get_flavor_by_uuid(self, uuid):
        return self._get_flavor(uuid=uuid)

    def get_flavor_by_name(self, name):
        return self._get_flavor(name=name)

    def list_flavors(self, filters=None, limit=None, marker=None,
                     sort_key=None, sort_dir=None, visible_to=None):
        with _session_for_read() as session:
            query = session.query(models.Flavor).filter_by(
                **(filters or {}))
            if visible_to is not None:
                query = query.filter(sa.or_(
                    models.Flavor.project_id.is_(None),
                    models.Flavor.project_id == visible_to))
            return _paginate(session, models.Flavor, query, limit, marker,
                             sort_key, sort_dir)

    def update_flavor(self, uuid, values):
        try:
            with _session_for_write() as session:
                flavor = session.scalar(
                    sa.select(models.Flavor).filter_by(uuid=uuid))
                if flavor is None:
                    raise exception.FlavorNotFound(flavor=uuid)
                for key, value in values.items():
                    setattr(flavor, key, value)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.DuplicateName(resource='flavor',
                                          name=values.get('name'))
        return flavor

    def destroy_flavor(self, uuid):
        with _session_for_write() as session:
            # The row lock orders this delete with a compose that locks
            # the flavor while it records its node.
            flavor = session.scalar(
                sa.select(models.Flavor).filter_by(uuid=uuid)
                .with_for_update())
            if flavor is None:
                raise exception.FlavorNotFound(flavor=uuid)
            count = session.scalar(
                sa.select(sa.func.count(models.Node.id))
                .where(models.Node.flavor_id == uuid,
                       models.Node.state.in_(states.COMPOSE_STATES)))
            if count:
                raise exception.FlavorInUse(flavor=uuid, count=count)
            session.delete(flavor)

    # Inventory

    def apply_inventory(self, podm_id, inventory):
        counts = {'added': 0, 'updated': 0, 'removed': 0}
        now = timeutils.utcnow()
        with _session_for_write() as session:
            node_ids = dict(session.execute(
                sa.select(models.Node.pod_node_uri, models.Node.id)
                .where(models.Node.podmanager_id == podm_id,
                       models.Node.pod_node_uri.is_not(None))).all())
            for kind, records in inventory.items():
                _apply_kind(session, INVENTORY_MODELS[kind], podm_id,
                            records, node_ids, now, counts)
        return counts

    def list_inventory(self, kind, filters=None, limit=None, marker=None,
                       sort_key=None, sort_dir=None):
        model = INVENTORY_MODELS[kind]
        with _session_for_read() as session:
            query = _with_references(session.query(model), model)
            query = _filter_inventory(query, model, dict(filters or {}))
            if marker is not None:
                marker_row = session.scalar(
                    sa.select(model).filter_by(uuid=marker))
                if marker_row is None:
                    raise exception.InvalidMarker(marker=marker,
                                                  resource=kind)
                marker = marker_row
            sort_keys = [sort_key or 'id']
            if 'id' not in sort_keys:
                sort_keys.append('id')
            query = db_utils.paginate_query(query, model, limit, sort_keys,
                                            marker=marker,
                                            sort_dir=sort_dir or 'asc')
            return [tuple(row) for row in query]

    def update_inventory_item(self, kind, uuid, values, expected=None):
        expected = expected or {}
        statement = _item_update(kind, tuple(sorted(
            (column, value is None) for column, value in expected.items())))
        parameters = dict(values, updated_at=timeutils.utcnow(),
                          match_uuid=uuid)
        parameters.update(('was_' + column, value)
                          for column, value in expected.items()
                          if value is not None)
        with _session_for_write() as session:
            return session.execute(statement, parameters).rowcount == 1

    def get_inventory_item(self, kind, uuid):
        with _connection_for_read() as connection:
            row = connection.execute(_ITEM_BY_UUID[kind],
                                     {'match_uuid': uuid}).first()
        if row is None:
            raise exception.InventoryNotFound(
                kind=kind[:-1].replace('_', ' '), uuid=uuid)
        return _with_reference_values(row)

    def find_inventory_item_by_pod_uri(self, kind, podm_uuid, pod_uri):
        with _connection_for_read() as connection:
            row = connection.execute(_ITEM_BY_POD_URI[kind], {
                'match_podm': podm_uuid, 'match_uri': pod_uri}).first()
        return _with_reference_values(row) if row is not None else None

    # Conductors

    def register_conductor(self, hostname, drivers):
        with _session_for_write() as session:
            conductor = session.scalar(
                sa.select(models.Conductor).filter_by(hostname=hostname))
            if conductor is None:
                conductor = models.Conductor(hostname=hostname)
                session.add(conductor)
            conductor.drivers = list(drivers)
            conductor.online = True
            conductor.heartbeat_at = timeutils.utcnow()
            session.flush()
        return conductor

    def touch_conductor(self, hostname):
        with _session_for_write() as session:
            count = session.execute(
                sa.update(models.Conductor)
                .where(models.Conductor.hostname == hostname)
                .values(heartbeat_at=timeutils.utcnow(), online=True)
            ).rowcount
        if not count:
            raise exception.ConductorNotFound(hostname=hostname)

    def unregister_conductor(self, hostname):
        with _session_for_write() as session:
            session.execute(sa.delete(models.Conductor)
                            .where(models.Conductor.hostname == hostname))

    def list_conductors(self, alive_within=None):
        query = sa.select(models.Conductor).order_by(models.Conductor.id)
        if alive_within is not None:
            cutoff = timeutils.utcnow() - datetime.timedelta(
                seconds=alive_within)
            query = query.where(models.Conductor.online.is_(True),
                                models.Conductor.heartbeat_at > cutoff)
        with _session_for_read() as session:
            return list(session.scalars(query))
