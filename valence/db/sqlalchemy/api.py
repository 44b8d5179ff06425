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

import datetime
import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import timeutils
import sqlalchemy as sa

from valence.common import exception
from valence.db import api
from valence.db.sqlalchemy import models

main_context = enginefacade.transaction_context()
main_context.configure(sqlite_fk=True)
_CONTEXT = threading.local()


def _session_for_read():
    return main_context.reader.using(_CONTEXT)


def _session_for_write():
    return main_context.writer.using(_CONTEXT)


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


class Connection(api.Connection):

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

    def _get_pod_manager(self, **filters):
        with _session_for_read() as session:
            podm = session.scalar(
                sa.select(models.PodManager).filter_by(**filters))
        if podm is None:
            raise exception.PodManagerNotFound(podm=next(iter(
                filters.values())))
        return podm

    def get_pod_manager_by_uuid(self, uuid):
        return self._get_pod_manager(uuid=uuid)

    def get_pod_manager_by_name(self, name):
        return self._get_pod_manager(name=name)

    def get_pod_manager_by_id(self, podm_id):
        return self._get_pod_manager(id=podm_id)

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
            session.delete(podm)

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
