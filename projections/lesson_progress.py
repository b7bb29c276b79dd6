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

Session = EnrollmentLessonProgressed

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


def sessions_of(events: Sequence[PublishedEvent]) -> dict[tuple[str, int], Session]:
    """The batch's lesson sessions by (application, position), each payload read once (a
    session moves two rows)."""
    return {
        (e.application, e.position): EnrollmentLessonProgressed.of(e)
        for e in events
        if e.event_type == EnrollmentLessonProgressed.NAME
    }


def lessons_of(
    conn: Connection, events: Sequence[PublishedEvent], sessions: dict[tuple[str, int], Session]
) -> TableBatch:
    """The lesson rows the batch's sessions touch, loaded together, to be written once."""
    touched = {
        (e.aggregate_id, sessions[key].lesson_id)
        for e in events
        if (key := (e.application, e.position)) in sessions
    }
    lessons = TableBatch(lesson_progress, key=("enrollment_id", "lesson_id"))
    lessons.load(conn, touched)
    return lessons


def progressed(lessons: TableBatch, enrollment_id: str, data: Session) -> None:
    key = (enrollment_id, data.lesson_id)
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
