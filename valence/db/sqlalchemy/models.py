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

"""SQLAlchemy models of the Valence database."""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm


def _utcnow():
    return timeutils.utcnow()


# InnoDB and full UTF-8 on MariaDB; ignored by the other engines.
TABLE_OPTIONS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


class Base(orm.DeclarativeBase):
    # Naive UTC datetimes, as the rest of OpenStack stores them.
    type_annotation_map = {datetime.datetime: sa.DateTime()}

    def as_dict(self):
        return {c.key: getattr(self, c.key)
                for c in sa.inspect(self).mapper.column_attrs}


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_utcnow)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        onupdate=_utcnow)


class PodManager(TimestampMixin, Base):
    __tablename__ = 'pod_managers'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_pod_managers0uuid'),
        sa.UniqueConstraint('name', name='uniq_pod_managers0name'),
        sa.UniqueConstraint('url', name='uniq_pod_managers0url'),
        TABLE_OPTIONS,
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    url: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    driver: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    auth_type: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    username: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    password: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    verify_tls: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    status_reason: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    last_sync_at: orm.Mapped[datetime.datetime | None]
    conductor_affinity: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))


class Conductor(TimestampMixin, Base):
    __tablename__ = 'conductors'
    __table_args__ = (
        sa.UniqueConstraint('hostname', name='uniq_conductors0hostname'),
        TABLE_OPTIONS,
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    hostname: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    drivers: orm.Mapped[list] = orm.mapped_column(sa.JSON)
    online: orm.Mapped[bool] = orm.mapped_column(default=True)
    heartbeat_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_utcnow)


class Flavor(TimestampMixin, Base):
    """What a node is composed of; public, or private to one project."""

    __tablename__ = 'flavors'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_flavors0uuid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
        sa.Index('flavors_project_id_idx', 'project_id'),
        TABLE_OPTIONS,
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    properties: orm.Mapped[dict] = orm.mapped_column(sa.JSON)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))


class Node(TimestampMixin, Base):
    """A composed node: built here from a pod's pools, or imported."""

    __tablename__ = 'nodes'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_nodes0uuid'),
        sa.UniqueConstraint('podmanager_id', 'pod_node_uri',
                            name='uniq_nodes0podmanager_id0pod_node_uri'),
        sa.Index('nodes_state_idx', 'state'),
        sa.Index('nodes_project_id_idx', 'project_id'),
        # Found by flavor: the nodes list filter, the flavor in-use check.
        sa.Index('nodes_flavor_id_idx', 'flavor_id'),
        TABLE_OPTIONS,
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    podmanager_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('pod_managers.id'))
    pod_node_uri: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    flavor_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    requested: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    composed: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    power_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    last_error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    reservation: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    provision_driver: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(64))
    ironic_node_uuid: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    managed: orm.Mapped[bool] = orm.mapped_column(default=False)


class NodeAction(TimestampMixin, Base):
    """One lifecycle operation on a node, or one step of it: the audit.

    Rows outlive their node (no foreign key), so that what happened to a
    deleted node can still be read.
    """

    __tablename__ = 'node_actions'
    __table_args__ = (
        sa.Index('node_actions_node_uuid_idx', 'node_uuid'),
        TABLE_OPTIONS,
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    node_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    action: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    step: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    request_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    conductor: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    started_at: orm.Mapped[datetime.datetime]
    finished_at: orm.Mapped[datetime.datetime | None]
    result: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


class InventoryMixin(TimestampMixin):
    """What every inventory row has: its pod manager and the pod's URI.

    Inventory rows are written only by a sync of their pod manager, which
    replaces them with what the pod reports. ``pod_node_uri`` is the
    composed node the pod says the resource belongs to; ``node_id`` the
    Valence node with that URI, if Valence knows it.
    """

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    podmanager_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('pod_managers.id'))
    pod_uri: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class Rack(InventoryMixin, Base):
    """A chassis of a pod: the pod itself, racks, drawers, sleds."""

    __tablename__ = 'racks'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_racks0uuid'),
        sa.UniqueConstraint('podmanager_id', 'pod_uri',
                            name='uniq_racks0podmanager_id0pod_uri'),
        TABLE_OPTIONS,
    )

    chassis_type: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    parent_uri: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    location: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    manufacturer: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    model: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    serial_number: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))


class AllocatableMixin(InventoryMixin):
    """Inventory that can be free, allocated to a node, or unavailable."""

    state: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    pod_node_uri: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    node_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey('nodes.id'))
    rack_uri: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class System(AllocatableMixin, Base):
    """A compute system of a pod."""

    __tablename__ = 'systems'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_systems0uuid'),
        sa.UniqueConstraint('podmanager_id', 'pod_uri',
                            name='uniq_systems0podmanager_id0pod_uri'),
        sa.Index('systems_state_idx', 'state'),
        sa.Index('systems_podmanager_id_idx', 'podmanager_id', 'id'),
        TABLE_OPTIONS,
    )

    hw_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    manufacturer: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    model: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    processor_model: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    processors: orm.Mapped[int] = orm.mapped_column(default=0)
    cores: orm.Mapped[int] = orm.mapped_column(default=0)
    arch: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    memory_mib: orm.Mapped[int] = orm.mapped_column(sa.BigInteger,
                                                    default=0)
    local_gb: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    mac_addresses: orm.Mapped[list | None] = orm.mapped_column(sa.JSON)
    power_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))


class Storage(AllocatableMixin, Base):
    """Pooled storage of a pod: drives, volumes, storage services."""

    __tablename__ = 'storages'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_storages0uuid'),
        sa.UniqueConstraint('podmanager_id', 'pod_uri',
                            name='uniq_storages0podmanager_id0pod_uri'),
        sa.Index('storages_state_idx', 'state'),
        sa.Index('storages_podmanager_id_idx', 'podmanager_id', 'id'),
        TABLE_OPTIONS,
    )

    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    capacity_gib: orm.Mapped[int] = orm.mapped_column(sa.BigInteger,
                                                      default=0)
    protocol: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    media_type: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    vendor: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    model: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class Device(AllocatableMixin, Base):
    """A pooled PCIe device of a pod: GPU, NVMe drive, NIC, FPGA."""

    __tablename__ = 'devices'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_devices0uuid'),
        sa.UniqueConstraint('podmanager_id', 'pod_uri',
                            name='uniq_devices0podmanager_id0pod_uri'),
        sa.Index('devices_state_type_idx', 'state', 'type'),
        sa.Index('devices_podmanager_id_idx', 'podmanager_id', 'id'),
        TABLE_OPTIONS,
    )

    type: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    vendor: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    model: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    zone_uri: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    properties: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)


class ResourceBlock(AllocatableMixin, Base):
    """A DMTF resource block."""

    __tablename__ = 'resource_blocks'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_resource_blocks0uuid'),
        sa.UniqueConstraint(
            'podmanager_id', 'pod_uri',
            name='uniq_resource_blocks0podmanager_id0pod_uri'),
        sa.Index('resource_blocks_podmanager_id_idx', 'podmanager_id', 'id'),
        TABLE_OPTIONS,
    )

    block_types: orm.Mapped[list | None] = orm.mapped_column(sa.JSON)
    zone_uris: orm.Mapped[list | None] = orm.mapped_column(sa.JSON)
    reserved: orm.Mapped[bool] = orm.mapped_column(default=False)
    sharing_capable: orm.Mapped[bool] = orm.mapped_column(default=False)


class ResourceZone(InventoryMixin, Base):
    """A DMTF resource zone: blocks that may be composed together."""

    __tablename__ = 'resource_zones'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_resource_zones0uuid'),
        sa.UniqueConstraint(
            'podmanager_id', 'pod_uri',
            name='uniq_resource_zones0podmanager_id0pod_uri'),
        TABLE_OPTIONS,
    )

    block_uris: orm.Mapped[list | None] = orm.mapped_column(sa.JSON)
