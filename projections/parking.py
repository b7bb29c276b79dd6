"""Events a projection could not apply, set aside so that the rest of the stream flows.

An event that still fails after a few tries is parked with its error, and its position is
passed; every later event of the same aggregate is parked behind it (order per aggregate is
kept), while every other aggregate goes on. An operator fixes the cause and retries: the parked
events of an aggregate are applied in their order, each removed as it applies, and the first
that fails again stays parked with the rest behind it. Parked events live in the read-model
database, for every projection (the analytics and the notifier's too), written in the same
transaction as the projection's rows where it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    select,
)

from infra.faults import is_transient
from projections.metadata import metadata
from projections.upcasting import current
from schemas.events import PublishedEvent

TRIES = 3
BEHIND = "waits behind an earlier parked event of its aggregate"

parked_events = Table(
    "parked_events",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("application", String(64), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("aggregate_id", String(64), nullable=False, index=True),
    Column("event_type", String(128), nullable=False),
    Column("event", Text, nullable=False),  # the published event, as JSON
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("parked_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Parked:
    projection: str
    event: PublishedEvent
    error: str
    attempts: int
    parked_at: datetime


def waiting_aggregates(conn: Connection, projections: Iterable[str]) -> set[tuple[str, str]]:
    """(projection, aggregate id) of every aggregate with a parked event."""
    rows = conn.execute(WAITING, {"p_projections": list(projections)})
    return {(row.projection, row.aggregate_id) for row in rows}


# Built once, as every batch asks it (see ``tracking.POSITIONS``).
WAITING = (
    select(parked_events.c.projection, parked_events.c.aggregate_id)
    .where(parked_events.c.projection.in_(bindparam("p_projections", expanding=True)))
    .distinct()
)


def failure_of(apply: Callable[[], object]) -> str | None:
    """None once ``apply`` succeeds within a few tries, else the last try's error; a transient
    fault is raised at once, to be retried with the batch rather than blamed on the event."""
    error: Exception | None = None
    for _ in range(TRIES):
        try:
            apply()
            return None
        except Exception as failed:
            if is_transient(failed):
                raise
            error = failed
    return repr(error)


def park(
    conn: Connection, projection: str, event: PublishedEvent, error: str, attempts: int = 0
) -> None:
    """Park an event; parking it again (a batch replayed after a crash) keeps one entry."""
    unpark(conn, projection, event)
    conn.execute(
        parked_events.insert().values(
            projection=projection,
            application=event.application,
            position=event.position,
            aggregate_id=event.aggregate_id,
            event_type=event.event_type,
            event=event.model_dump_json(by_alias=True),
            error=error[:4000],
            attempts=attempts,
            parked_at=datetime.now(UTC),
        )
    )


def parked(
    conn: Connection, projection: str | None = None, aggregate_id: str | None = None
) -> list[Parked]:
    """Parked events, oldest first; of one projection and one aggregate if given."""
    query = select(parked_events).order_by(parked_events.c.application, parked_events.c.position)
    if projection:
        query = query.where(parked_events.c.projection == projection)
    if aggregate_id:
        query = query.where(parked_events.c.aggregate_id == aggregate_id)
    return [
        Parked(
            row.projection,
            # Parked by an older Campus maybe: brought to today's shape, as Kafka's records are.
            current(PublishedEvent.model_validate_json(row.event)),
            row.error,
            row.attempts,
            row.parked_at,
        )
        for row in conn.execute(query)
    ]


def counts(conn: Connection) -> dict[str, int]:
    query = select(parked_events.c.projection, func.count()).group_by(parked_events.c.projection)
    return {projection: count for projection, count in conn.execute(query)}


def unpark(conn: Connection, projection: str, event: PublishedEvent) -> None:
    conn.execute(
        delete(parked_events).where(
            parked_events.c.projection == projection,
            parked_events.c.application == event.application,
            parked_events.c.position == event.position,
        )
    )


def failed_again(conn: Connection, projection: str, event: PublishedEvent, error: str) -> None:
    conn.execute(
        parked_events.update()
        .where(
            parked_events.c.projection == projection,
            parked_events.c.application == event.application,
            parked_events.c.position == event.position,
        )
        .values(error=error[:4000], attempts=parked_events.c.attempts + TRIES)
    )


def retry(
    conn: Connection,
    projection: str,
    aggregate_id: str | None,
    failure: Callable[[PublishedEvent], str | None],
) -> tuple[int, int]:
    """Apply parked events in their order with ``failure``; an aggregate stops at its first
    event that fails again. Answer how many applied and how many are still parked."""
    stuck: set[str] = set()
    applied = 0
    for entry in parked(conn, projection, aggregate_id):
        if entry.event.aggregate_id in stuck:
            continue
        if error := failure(entry.event):
            failed_again(conn, projection, entry.event, error)
            stuck.add(entry.event.aggregate_id)
        else:
            unpark(conn, projection, entry.event)
            applied += 1
    return applied, len(parked(conn, projection, aggregate_id))
