"""Each lesson a learner opened, by enrollment: the bookkeeping behind resume and time spent.

One row per (enrollment, lesson). A study session sets the lesson's best share (the event
already carries the best so far), where playback stopped and when; its seconds are *added*
to the lesson's time spent. Rows a batch touches are loaded first, so sessions of one batch
accumulate in memory and each row is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

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
)

from projections.batch import TableBatch
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


def moment(value: str) -> datetime:
    """In UTC: SQLite keeps a datetime's wall time and drops its offset."""
    return datetime.fromisoformat(value).astimezone(UTC)


def lessons_of(conn: Connection, events: Sequence[PublishedEvent]) -> TableBatch:
    """The lesson rows the batch's sessions touch, loaded together, to be written once."""
    sessions = [e for e in events if e.event_type == EnrollmentLessonProgressed.NAME]
    lessons = TableBatch(lesson_progress, key=("enrollment_id", "lesson_id"))
    lessons.load(
        conn, {(e.aggregate_id, EnrollmentLessonProgressed.of(e).lesson_id) for e in sessions}
    )
    return lessons


def progressed(lessons: TableBatch, event: PublishedEvent) -> None:
    data = EnrollmentLessonProgressed.of(event)
    key = (event.aggregate_id, data.lesson_id)
    if (row := lessons.get(key)) is None:
        row = {"enrollment_id": key[0], "lesson_id": key[1], "time_spent": 0}
        lessons.insert(row)
    row.update(
        module_id=data.module_id,
        progress=data.lesson_progress,
        position_seconds=data.position_seconds,
        last_accessed=moment(data.accessed_at),
        time_spent=row["time_spent"] + data.time_spent,
        device=data.device,
    )
