"""Apply a batch of published records to projections in one transaction, exactly once.

Each record comes with the partition it was read from (0 when following the event store
directly). Rows and tracking positions commit together, so a crash loses nothing and a
redelivered record, whose position is not above the tracked one, is skipped.

A batch that fails for anything but a transient fault is applied again event by event, each in
a savepoint: an event that fails every try is parked (``projections.parking``) with the events
of its aggregate behind it, and the rest of the batch commits. The fast path stays one
transaction with no savepoints. Positions, parking and the lock are ``projections.tracked``'s,
shared with the notifier.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import Connection, Engine, Table

from infra.database import projection_locked
from infra.faults import is_transient
from projections import parking, shadow
from projections.base import Beside, Projection, Record, Reveal
from projections.tracked import TrackedRunner, parked_in
from projections.tracking import load_positions, save_positions
from schemas.events import PublishedEvent

log = logging.getLogger("campus.projections")


class ProjectionRunner(TrackedRunner):
    def __init__(
        self,
        engine: Engine,
        projections: Sequence[Projection],
        data_dir: Path,
        on_changed: Callable[[str], None] | None = None,
        reveal: Reveal = list,
    ) -> None:
        super().__init__(engine, [p.name for p in projections], data_dir)
        self.projections = list(projections)
        self.on_changed = on_changed  # told, after commit, which projections took events
        self.reveal = reveal  # opens sealed personal fields while their keys exist

    def tables(self) -> list[Table]:
        return [t for p in self.projections for t in p.tables]

    def apply(self, records: Sequence[Record], lock: bool = True) -> None:
        """Apply records; ``lock=False`` only for a caller already holding the projections."""
        try:
            self.apply_batch(records, lock, careful=False)
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("a batch failed (%r); applying it event by event", error)
            self.apply_batch(records, lock, careful=True)

    def apply_batch(self, records: Sequence[Record], lock: bool, careful: bool) -> None:
        with self.engine.begin() as conn, ExitStack() as locks:
            for name in self.names if lock else ():
                locks.enter_context(projection_locked(conn, name, self.data_dir))
            known = load_positions(conn, self.names)
            waiting = parking.waiting_aggregates(conn, self.names)
            positions, touched = dict(known), []
            opened = self.opener(records)
            for projection in self.projections:
                events = self.unseen(projection.name, records, positions)
                if events := self.not_waiting(projection.name, events, waiting, conn):
                    if careful:
                        self.apply_each(projection, events, waiting, conn, opened)
                    else:
                        projection.process(opened(events), conn)
                    touched.append(projection.name)
            changed = {k: v for k, v in positions.items() if known.get(k) != v}
            save_positions(conn, changed, set(known))
        for name in touched if self.on_changed else ():
            self.on_changed(name)

    def opener(
        self, records: Sequence[Record]
    ) -> Callable[[list[PublishedEvent]], list[PublishedEvent]]:
        """What opens the batch's sealed values for a projection: all of them at the first
        call, once, however many projections then read the batch (parking keeps them sealed)."""
        events = [record for _, record in records if isinstance(record, PublishedEvent)]
        found: dict[tuple[str, int], PublishedEvent] = {}

        def opened(chosen: list[PublishedEvent]) -> list[PublishedEvent]:
            if not found:
                found.update({(e.application, e.position): e for e in self.reveal(events)})
            return [found[e.application, e.position] for e in chosen]

        return opened

    def apply_each(
        self,
        projection: Projection,
        events: list[PublishedEvent],
        waiting: set[tuple[str, str]],
        conn: Connection,
        opened: Reveal,
    ) -> None:
        def failure(event: PublishedEvent) -> str | None:
            return self.failure(projection, event, conn, opened)

        park = parked_in(conn, projection.name)
        self.park_failures(projection.name, events, waiting, failure, park)

    def failure(
        self,
        projection: Projection,
        event: PublishedEvent,
        conn: Connection,
        opened: Reveal | None = None,
    ) -> str | None:
        """None once the event applies (in a savepoint), else the last try's error. ``opened``:
        the batch's opener, whose keys were looked up once for all its events."""

        def apply() -> None:
            with conn.begin_nested():
                projection.process((opened or self.reveal)([event]), conn)

        return parking.failure_of(apply)

    def retry_parked(self, name: str, aggregate_id: str | None = None) -> tuple[int, int]:
        """Apply the parked events of projection ``name`` (of one aggregate if given) in their
        order; answer how many applied and how many are still parked."""
        projection = next(p for p in self.projections if p.name == name)
        with self.engine.begin() as conn, projection_locked(conn, name, self.data_dir):
            applied, still = parking.retry(
                conn, name, aggregate_id, lambda event: self.failure(projection, event, conn)
            )
        if applied and self.on_changed:
            self.on_changed(name)
        return applied, still

    def beside(self) -> Beside | None:
        """Empty copies of these projections' tables to rebuild into while the live ones serve
        (projections.shadow); None where this database cannot hold them."""
        engine = shadow.shadow_engine(self.engine, self.names)
        if engine is None:
            return None
        shadow.make_empty(engine, self.tables())
        copies = ProjectionRunner(engine, self.projections, self.data_dir, reveal=self.reveal)
        own = engine.pool is not self.engine.pool  # SQLite's copies: an engine of their own
        return Beside(copies, lambda: self.swap_in(copies), engine.dispose if own else lambda: None)

    def swap_in(self, copies: ProjectionRunner) -> set[tuple[str, int]]:
        """Replace the live rows with the copies' (hold the projections first); answer the
        (application, partition)s the live projections tracked."""
        with self.engine.connect() as conn:
            partitions = {(a, p) for (_, a, p) in load_positions(conn, self.names)}
        shadow.swap_in(copies.engine, self.tables(), self.names)
        for name in self.names if self.on_changed else ():
            self.on_changed(name)
        return partitions
