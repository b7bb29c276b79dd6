"""How far each projection has got: the last applied position per application and partition.

Written in the same transaction as the projection's rows, so a replayed or duplicated event
(position not above the tracked one) changes nothing. Kafka spreads one application's events
over partitions; the relay's watermarks move every partition forward, so the minimum over a
projection's partitions is a position up to which *everything* has been applied.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    select,
)

from projections.metadata import metadata

TrackingKey = tuple[str, str, int]  # projection, application, partition

tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("application", String(64), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
)


def load_positions(conn: Connection, projections: Iterable[str]) -> dict[TrackingKey, int]:
    rows = conn.execute(POSITIONS, {"p_projections": list(projections)})
    return {(r.projection, r.application, r.partition): r.position for r in rows}


# Built once: every batch of every follower reads its positions, and building the statement
# cost more than running it.
POSITIONS = select(tracking).where(
    tracking.c.projection.in_(bindparam("p_projections", expanding=True))
)


def save_positions(
    conn: Connection, positions: dict[TrackingKey, int], known: set[TrackingKey]
) -> None:
    """Write positions: those in ``known`` by update, the others by insert (each kind as one
    statement with many parameter sets: a batch moves every projection of a group)."""
    updates, inserts = [], []
    for key, position in positions.items():
        projection, application, partition = key
        row = {"p_projection": projection, "p_application": application, "p_partition": partition}
        (updates if key in known else inserts).append(row | {"p_position": position})
    if updates:
        conn.execute(UPDATE, updates)
    if inserts:
        conn.execute(INSERT, inserts)


UPDATE = (
    tracking.update()
    .where(
        tracking.c.projection == bindparam("p_projection"),
        tracking.c.application == bindparam("p_application"),
        tracking.c.partition == bindparam("p_partition"),
    )
    .values(position=bindparam("p_position"))
)
INSERT = tracking.insert().values(
    projection=bindparam("p_projection"),
    application=bindparam("p_application"),
    partition=bindparam("p_partition"),
    position=bindparam("p_position"),
)


def applied_through(conn: Connection, projection: str, application: str) -> int:
    """The position up to which every event of ``application`` is in the projection."""
    query = select(func.min(tracking.c.position)).where(
        tracking.c.projection == projection, tracking.c.application == application
    )
    return conn.execute(query).scalar() or 0


def forget(conn: Connection, projection: str) -> set[tuple[str, int]]:
    """Drop a projection's positions; answer which (application, partition) it had."""
    had = {(a, p) for (_, a, p) in load_positions(conn, [projection])}
    conn.execute(delete(tracking).where(tracking.c.projection == projection))
    return had


def applied_by_application(conn: Connection, projection: str) -> dict[str, int]:
    """For each application, the position up to which everything is in the projection."""
    rows = conn.execute(APPLIED_BY_APPLICATION, {"p_projection": projection})
    return {application: position for application, position in rows}


# A read that waits for its writer's events asks this at each look.
APPLIED_BY_APPLICATION = (
    select(tracking.c.application, func.min(tracking.c.position))
    .where(tracking.c.projection == bindparam("p_projection"))
    .group_by(tracking.c.application)
)
