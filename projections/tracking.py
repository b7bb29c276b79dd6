"""How far each projection has got: the last applied position per application and partition.

Written in the same transaction as the projection's rows, so a replayed or duplicated event
(position not above the tracked one) changes nothing. Kafka spreads one application's events
over partitions; the relay's watermarks move every partition forward, so the minimum over a
projection's partitions is a position up to which *everything* has been applied.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import BigInteger, Column, Connection, Integer, String, Table, delete, func, select

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
    rows = conn.execute(select(tracking).where(tracking.c.projection.in_(list(projections))))
    return {(r.projection, r.application, r.partition): r.position for r in rows}


def save_positions(
    conn: Connection, positions: dict[TrackingKey, int], known: set[TrackingKey]
) -> None:
    for (projection, application, partition), position in positions.items():
        key = tracking.c.projection == projection, tracking.c.application == application
        if (projection, application, partition) in known:
            conn.execute(
                tracking.update()
                .where(*key, tracking.c.partition == partition)
                .values(position=position)
            )
        else:
            conn.execute(
                tracking.insert().values(
                    projection=projection,
                    application=application,
                    partition=partition,
                    position=position,
                )
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
    query = (
        select(tracking.c.application, func.min(tracking.c.position))
        .where(tracking.c.projection == projection)
        .group_by(tracking.c.application)
    )
    return {application: position for application, position in conn.execute(query)}
