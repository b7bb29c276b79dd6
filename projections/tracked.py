"""What every follower of the stream with tracked positions shares: the projection runner's and
the notifier's bookkeeping, apart from what each does with the events.

Positions live in ``projection_tracking`` under the runner's names, events that failed in
``parked_events``; the lock (``held``) keeps any other writer of those names waiting. A record
is new to a name only past its tracked (application, partition) position, which is what makes
a redelivered record change nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, inspect

from infra.database import ensure_tables, projection_held
from projections import parking
from projections.base import Record
from projections.metadata import metadata
from projections.migrations import migrate
from projections.tracking import (
    TrackingKey,
    applied_through,
    forget,
    load_positions,
    save_positions,
)
from schemas.events import PublishedEvent

log = logging.getLogger("campus.projections")

Park = Callable[[PublishedEvent, str, int], None]  # event, error, attempts


class TrackedRunner:
    """Positions, parked events and the lock of ``names``, in the read-model database."""

    def __init__(self, engine: Engine, names: Sequence[str], data_dir: Path) -> None:
        self.engine = engine
        self.names = list(names)
        self.data_dir = data_dir

    def tables(self) -> list[Table]:
        """The tables of what is tracked: none but the bookkeeping's own, unless it projects."""
        return []

    def create_tables(self) -> None:
        tables = [metadata.tables["projection_tracking"], parking.parked_events, *self.tables()]
        there = set(inspect(self.engine).get_table_names())
        ensure_tables(self.engine, tables)
        # Tables an older Campus made take today's shape; those just made have it.
        migrate(self.engine, made={table.name for table in tables} - there)

    @staticmethod
    def unseen(
        name: str, records: Sequence[Record], positions: dict[TrackingKey, int]
    ) -> list[PublishedEvent]:
        """The events past the projection's positions, advancing them (watermarks too)."""
        events = []
        for partition, record in records:
            key = (name, record.application, partition)
            if record.position > positions.get(key, 0):
                positions[key] = record.position
                if isinstance(record, PublishedEvent):
                    events.append(record)
        return events

    @staticmethod
    def not_waiting(
        name: str,
        events: list[PublishedEvent],
        waiting: set[tuple[str, str]],
        conn: Connection,
    ) -> list[PublishedEvent]:
        """The events free to apply; those behind a parked event of their aggregate are parked."""
        free: list[PublishedEvent] = []
        # Only the waiting are parked: the others "apply" by being kept, which never fails.
        keep: Callable[[PublishedEvent], None] = free.append
        TrackedRunner.park_failures(name, events, waiting, keep, parked_in(conn, name))
        return free

    @staticmethod
    def park_failures(
        name: str,
        events: Sequence[PublishedEvent],
        waiting: set[tuple[str, str]],
        failure: Callable[[PublishedEvent], str | None],
        park: Park,
    ) -> None:
        """Apply each event with ``failure``: one behind a parked event of its aggregate, or
        failing every try, is parked (and its aggregate waits from then on)."""
        for event in events:
            if (name, event.aggregate_id) in waiting:
                park(event, parking.BEHIND, 0)
            elif error := failure(event):
                log.error("parked %s %s for %s: %s", event.event_type, event.position, name, error)
                park(event, error, parking.TRIES)
                waiting.add((name, event.aggregate_id))

    def ensure_partitions(self, applications: Sequence[str], partitions: Sequence[int]) -> None:
        """Track every (application, partition) from the start, so the minimum is honest.
        Under the projections' lock: a rebuild swapping its positions in holds it, and a row
        added beside the swap would collide with the copy's and fail the rebuild."""
        with self.held(), self.engine.begin() as conn:
            known = load_positions(conn, self.names)
            missing = {
                (n, a, p): 0
                for n in self.names
                for a in applications
                for p in partitions
                if (n, a, p) not in known
            }
            save_positions(conn, missing, set())

    def positions(self, partition: int = 0) -> dict[str, int]:
        with self.engine.connect() as conn:
            known = load_positions(conn, self.names)
        applications = {a for (_, a, p) in known if p == partition}
        return {a: min(known.get((n, a, partition), 0) for n in self.names) for a in applications}

    def applied_through(self, application: str) -> int:
        with self.engine.connect() as conn:
            return min(applied_through(conn, n, application) for n in self.names)

    def held(self) -> AbstractContextManager[None]:
        return projection_held(self.engine, self.names, self.data_dir)

    def reset(self) -> set[tuple[str, int]]:
        """Forget the positions, drop and create the tables; answer the (application,
        partition)s tracked."""
        with self.engine.begin() as conn:
            partitions = set().union(*(forget(conn, name) for name in self.names))
        metadata.drop_all(self.engine, tables=self.tables())
        self.create_tables()
        return partitions

    def track(self, positions: dict[tuple[str, int], int]) -> None:
        with self.engine.begin() as conn:
            known = set(load_positions(conn, self.names))
            every = {(n, a, p): at for (a, p), at in positions.items() for n in self.names}
            save_positions(conn, every, known)


def parked_in(conn: Connection, name: str) -> Park:
    """Parking for ``name`` in the transaction of ``conn``, beside the rows it applies."""
    return lambda event, error, attempts: parking.park(conn, name, event, error, attempts)
