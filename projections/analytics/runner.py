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
from projections.analytics.schema import PROJECTED, TABLES, fresh_copy_statements
from projections.base import Beside, Record
from projections.tracked import TrackedRunner
from schemas.events import PublishedEvent

ANALYTICS = "analytics"
log = logging.getLogger("campus.analytics")

POSITIONS = """
    SELECT application, partition, max(position) AS position
    FROM {tracking} GROUP BY application, partition
"""
# A rebuild writes into copies of the projected tables under this suffix, then exchanges them.
COPIES = "__rebuild"


def create_tables(store: AnalyticsStore) -> None:
    for create in TABLES.values():
        store.command(create)


def load_positions(store: AnalyticsStore, suffix: str = "") -> dict[tuple[str, int], int]:
    """(application, partition) -> position; several rows of a key until ClickHouse merges."""
    rows = store.query(POSITIONS.format(tracking=f"analytics_tracking{suffix}"))
    return {(r["application"], r["partition"]): r["position"] for r in rows}


def applied_by_application(store: AnalyticsStore) -> dict[str, int]:
    """For each application, the position up to which everything is in the analytics tables."""
    applied: dict[str, int] = {}
    for (application, _), position in load_positions(store).items():
        applied[application] = min(position, applied.get(application, position))
    return applied


def load_dimensions(store: AnalyticsStore, wanted: dict[str, set[str]], suffix: str = "") -> Known:
    known: Known = {}
    for kind, keys in wanted.items():
        table, key = DIMENSIONS[kind]
        rows = store.query(
            f"SELECT * FROM {table}{suffix} FINAL WHERE {key} IN {{keys:Array(String)}}",
            {"keys": sorted(keys)},
        )
        known[kind] = {row[key]: row for row in rows}
    return known


class AnalyticsRunner:
    def __init__(
        self, store: AnalyticsStore, engine: Engine, data_dir: Path, suffix: str = ""
    ) -> None:
        self.store, self.engine, self.data_dir = store, engine, data_dir
        self.suffix = suffix  # of the tables written: COPIES while rebuilding beside the live
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
            if events := TrackedRunner.unseen(ANALYTICS, records, positions):
                self.write_or_park(events)
            changed = {key: at for key, at in positions.items() if known.get(key) != at}
            self.track({(a, p): at for (_, a, p), at in changed.items()})

    def write_or_park(self, events: list[PublishedEvent]) -> None:
        """Write the facts; an event that cannot be written is parked (see projections.parking)
        with its aggregate's later events, and the others are written."""
        with self.engine.begin() as conn:
            waiting = parking.waiting_aggregates(conn, self.names)
            events = TrackedRunner.not_waiting(ANALYTICS, events, waiting, conn)
        try:
            self.write(events)
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("an analytics batch failed (%r); writing it event by event", error)
            self.write_each(events, waiting)

    def write_each(self, events: list[PublishedEvent], waiting: set[tuple[str, str]]) -> None:
        TrackedRunner.park_failures(ANALYTICS, events, waiting, self.failure, self.park)

    def park(self, event: PublishedEvent, error: str, attempts: int) -> None:
        with self.engine.begin() as conn:
            parking.park(conn, ANALYTICS, event, error, attempts)

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
        known = load_dimensions(self.store, references(events), self.suffix)
        for table, table_rows in project(events, known).items():  # facts, then the position
            self.store.insert(table + self.suffix, table_rows)

    def load(self) -> dict[tuple[str, int], int]:
        self.seen = load_positions(self.store, self.suffix)
        return self.seen

    def positions(self, partition: int = 0) -> dict[str, int]:
        seen = self.load() if self.seen is None else self.seen
        return {a: at for (a, p), at in seen.items() if p == partition}

    def applied_through(self, application: str) -> int:
        return applied_by_application(self.store).get(application, 0)

    def ensure_partitions(self, applications: Sequence[str], partitions: Sequence[int]) -> None:
        with self.held():  # as the read models' (TrackedRunner.ensure_partitions)
            known = self.load()
            self.track({(a, p): 0 for a in applications for p in partitions if (a, p) not in known})

    @contextmanager
    def held(self) -> Iterator[None]:
        with projection_held(self.engine, [ANALYTICS], self.data_dir):
            yield

    def beside(self) -> Beside:
        """Empty copies of the projected tables, to rebuild into while the live ones serve."""
        for table in PROJECTED:
            for statement in fresh_copy_statements(table, table + COPIES):
                self.store.command(statement)
        copies = AnalyticsRunner(self.store, self.engine, self.data_dir, COPIES)
        copies.upgraded, copies.seen = True, {}
        return Beside(copies, self.swap_in)

    def swap_in(self) -> set[tuple[str, int]]:
        """Exchange each live table with its copy (hold the projection first), then drop the
        old ones. ClickHouse exchanges one pair at a time, atomically: a reader meets each
        table whole, old or new, and the new are at the head."""
        partitions = set(self.load())
        for table in PROJECTED:
            self.store.command(f"EXCHANGE TABLES {table} AND {table}{COPIES}")
        for table in PROJECTED:
            self.store.command(f"DROP TABLE {table}{COPIES}")
        self.seen = None
        return partitions

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
        self.store.insert("analytics_tracking" + self.suffix, rows)
        if self.seen is not None:
            self.seen.update(positions)
