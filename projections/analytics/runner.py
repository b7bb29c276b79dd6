"""Apply published records to the analytics tables, each event's facts exactly once in effect.

ClickHouse has no transaction spanning the facts and the position, so the facts are written
first and the position last: a crash in between replays events whose rows carry the same
keys and collapse (``ReplacingMergeTree``), and a record at or below the tracked position is
skipped as by the read models' runner. The same lock as theirs (an advisory lock on
PostgreSQL, a file lock otherwise) keeps a rebuild and a live projector apart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine

from infra.analytics.store import AnalyticsStore
from infra.database import projection_held
from infra.faults import is_transient
from projections import parking
from projections.analytics.dimensions import DIMENSIONS, Known
from projections.analytics.layout import upgrade
from projections.analytics.projector import project, references
from projections.analytics.schema import PROJECTED, TABLES
from projections.base import Record
from projections.runner import ProjectionRunner
from schemas.events import PublishedEvent

ANALYTICS = "analytics"
log = logging.getLogger("campus.analytics")

POSITIONS = """
    SELECT application, partition, max(position) AS position
    FROM analytics_tracking GROUP BY application, partition
"""


def create_tables(store: AnalyticsStore) -> None:
    for create in TABLES.values():
        store.command(create)


def load_positions(store: AnalyticsStore) -> dict[tuple[str, int], int]:
    """(application, partition) -> position; several rows of a key until ClickHouse merges."""
    return {(r["application"], r["partition"]): r["position"] for r in store.query(POSITIONS)}


def applied_by_application(store: AnalyticsStore) -> dict[str, int]:
    """For each application, the position up to which everything is in the analytics tables."""
    applied: dict[str, int] = {}
    for (application, _), position in load_positions(store).items():
        applied[application] = min(position, applied.get(application, position))
    return applied


def load_dimensions(store: AnalyticsStore, wanted: dict[str, set[str]]) -> Known:
    known: Known = {}
    for kind, keys in wanted.items():
        table, key = DIMENSIONS[kind]
        rows = store.query(
            f"SELECT * FROM {table} FINAL WHERE {key} IN {{keys:Array(String)}}",
            {"keys": sorted(keys)},
        )
        known[kind] = {row[key]: row for row in rows}
    return known


class AnalyticsRunner:
    def __init__(self, store: AnalyticsStore, engine: Engine, data_dir: Path) -> None:
        self.store, self.engine, self.data_dir = store, engine, data_dir
        self.names = [ANALYTICS]
        # What this runner last read or wrote, so that neither a poll nor a batch queries the
        # positions again. Only the lock's holder writes, and a rebuild elsewhere leaves the
        # positions at the head: a position remembered here is at worst behind, and the events
        # in between are written again under the same keys, which collapse.
        self.seen: dict[tuple[str, int], int] | None = None
        self.upgraded = False

    def create_tables(self) -> None:
        create_tables(self.store)

    def apply(self, records: Sequence[Record], lock: bool = True) -> None:
        with self.held() if lock else nullcontext():
            if not self.upgraded:  # under the lock: no fact is written beside the copy
                upgrade(self.store)
                self.upgraded = True
            seen = self.load() if self.seen is None else self.seen
            known = {(ANALYTICS, a, p): at for (a, p), at in seen.items()}
            positions = dict(known)
            if events := ProjectionRunner.unseen(ANALYTICS, records, positions):
                self.write_or_park(events)
            changed = {key: at for key, at in positions.items() if known.get(key) != at}
            self.track({(a, p): at for (_, a, p), at in changed.items()})

    def write_or_park(self, events: list[PublishedEvent]) -> None:
        """Write the facts; an event that cannot be written is parked (see projections.parking)
        with its aggregate's later events, and the others are written."""
        with self.engine.begin() as conn:
            waiting = parking.waiting_aggregates(conn, self.names)
            events = ProjectionRunner.not_waiting(ANALYTICS, events, waiting, conn)
        try:
            self.write(events)
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("an analytics batch failed (%r); writing it event by event", error)
            self.write_each(events, waiting)

    def write_each(self, events: list[PublishedEvent], waiting: set[tuple[str, str]]) -> None:
        for event in events:
            if (ANALYTICS, event.aggregate_id) in waiting:
                with self.engine.begin() as conn:
                    parking.park(conn, ANALYTICS, event, parking.BEHIND)
            elif error := self.failure(event):
                log.error("parked %s %s for analytics: %s", event.event_type, event.position, error)
                with self.engine.begin() as conn:
                    parking.park(conn, ANALYTICS, event, error, parking.TRIES)
                waiting.add((ANALYTICS, event.aggregate_id))

    def failure(self, event: PublishedEvent) -> str | None:
        # Facts are keyed by position: a retry rewrites them, never adds.
        return parking.failure_of(lambda: self.write([event]))

    def retry_parked(
        self, name: str = ANALYTICS, aggregate_id: str | None = None
    ) -> tuple[int, int]:
        """Write the parked events (of one aggregate if given) in their order; answer how many
        were written and how many are still parked."""
        with self.held(), self.engine.begin() as conn:
            return parking.retry(conn, ANALYTICS, aggregate_id, self.failure)

    def write(self, events: Sequence[PublishedEvent]) -> None:
        rows = project(events, load_dimensions(self.store, references(events)))
        for table, table_rows in rows.items():  # facts first, the position after (see above)
            self.store.insert(table, table_rows)

    def load(self) -> dict[tuple[str, int], int]:
        self.seen = load_positions(self.store)
        return self.seen

    def positions(self, partition: int = 0) -> dict[str, int]:
        seen = self.load() if self.seen is None else self.seen
        return {a: at for (a, p), at in seen.items() if p == partition}

    def applied_through(self, application: str) -> int:
        return applied_by_application(self.store).get(application, 0)

    def ensure_partitions(self, applications: Sequence[str], partitions: Sequence[int]) -> None:
        known = self.load()
        self.track({(a, p): 0 for a in applications for p in partitions if (a, p) not in known})

    @contextmanager
    def held(self) -> Iterator[None]:
        with projection_held(self.engine, [ANALYTICS], self.data_dir):
            yield

    def beside(self) -> None:
        """None: the analytics tables are rebuilt in place, dropped and replayed."""
        return None

    def reset(self) -> set[tuple[str, int]]:
        partitions = set(self.load())
        for table in PROJECTED:  # never analytics_reports: reports are generated, not projected
            self.store.command(f"DROP TABLE IF EXISTS {table}")
        self.create_tables()
        self.seen = {}
        return partitions

    def track(self, positions: dict[tuple[str, int], int]) -> None:
        rows = [
            {"application": a, "partition": p, "position": at} for (a, p), at in positions.items()
        ]
        self.store.insert("analytics_tracking", rows)
        if self.seen is not None:
            self.seen.update(positions)
