"""Each lesson a learner opened, by enrollment: the bookkeeping behind resume and time spent.

One row per (enrollment, lesson). A study session sets the lesson's best share (the event
already carries the best so far), where playback stopped and when; its seconds are *added*
to the lesson's time spent. Rows a batch touches are loaded first, so sessions of one batch
accumulate in memory and each row is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    insert,
    select,
    tuple_,
    update,
)

from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.learning import EnrollmentLessonProgressed

lesson_progress = Table(
    "lesson_progress",
    metadata,
    Column("enrollment_id", String(36), primary_key=True),
    Column("lesson_id", String(64), primary_key=True),
    Column("module_id", String(64), nullable=False),
    Column("progress", Float, nullable=False),  # the best share of the lesson reached, 0..1
    Column("time_spent", BigInteger, nullable=False),  # seconds, over every session
    Column("position_seconds", Integer, nullable=False),
    Column("last_accessed", DateTime(timezone=True), nullable=False),
    # Where the lesson's latest session happened (added by a migration: see projections.migrations)
    Column("device", String(16)),
    # Serves an enrollment's lessons and a learner's recent activity, newest first.
    Index("ix_lesson_progress_accessed", "enrollment_id", "last_accessed"),
)

SESSION_COLUMNS = (
    "module_id",
    "progress",
    "time_spent",
    "position_seconds",
    "last_accessed",
    "device",
)
LOAD_CHUNK = 400  # keys per IN list (two parameters each): below SQLite's bound
LessonKey = tuple[str, str]  # enrollment id, lesson id
Row = dict[str, Any]


def moment(value: str) -> datetime:
    """In UTC: SQLite keeps a datetime's wall time and drops its offset."""
    return datetime.fromisoformat(value).astimezone(UTC)


class LessonsBatch:
    """The lesson rows a batch's sessions touch, loaded together and written once."""

    def __init__(self, conn: Connection, keys: Iterable[LessonKey]) -> None:
        self.conn = conn
        self.stored = load(conn, keys)
        self.rows: dict[LessonKey, Row] = {}

    def progressed(self, event: PublishedEvent) -> None:
        data = EnrollmentLessonProgressed.of(event)
        key = (event.aggregate_id, data.lesson_id)
        row = self.rows.get(key) or dict(self.stored.get(key) or fresh(key))
        row.update(
            module_id=data.module_id,
            progress=data.lesson_progress,
            position_seconds=data.position_seconds,
            last_accessed=moment(data.accessed_at),
            time_spent=row["time_spent"] + data.time_spent,
            device=data.device,
        )
        self.rows[key] = row

    def flush(self) -> None:
        new = [row for key, row in self.rows.items() if key not in self.stored]
        if new:
            self.conn.execute(insert(lesson_progress), new)
        changed = [
            {**row, "_enrollment": key[0], "_lesson": key[1]}
            for key, row in self.rows.items()
            if key in self.stored
        ]
        if changed:
            self.conn.execute(SET_LESSON, changed)


def fresh(key: LessonKey) -> Row:
    return {"enrollment_id": key[0], "lesson_id": key[1], "time_spent": 0}


SET_LESSON = (
    update(lesson_progress)
    .where(
        and_(
            lesson_progress.c.enrollment_id == bindparam("_enrollment"),
            lesson_progress.c.lesson_id == bindparam("_lesson"),
        )
    )
    .values({name: bindparam(name) for name in SESSION_COLUMNS})
)


def load(conn: Connection, keys: Iterable[LessonKey]) -> dict[LessonKey, Row]:
    wanted, rows = sorted(set(keys)), {}
    key = tuple_(lesson_progress.c.enrollment_id, lesson_progress.c.lesson_id)
    for start in range(0, len(wanted), LOAD_CHUNK):
        found = conn.execute(
            select(lesson_progress).where(key.in_(wanted[start : start + LOAD_CHUNK]))
        )
        rows.update({(r.enrollment_id, r.lesson_id): dict(r._mapping) for r in found})
    return rows
