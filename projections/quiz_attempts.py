"""Each graded attempt at a quiz, by enrollment: what progress and the dashboard show of it.

One row per (enrollment, lesson, attempt), with the score, whether it passed, and which
questions were right. Attempts only add rows: the best score and the count are read off them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    insert,
)

from projections.lesson_progress import moment
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.learning import EnrollmentQuizAttempted

quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    Column("enrollment_id", String(36), primary_key=True),
    Column("lesson_id", String(64), primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("module_id", String(64), nullable=False),
    Column("score", Float, nullable=False),  # percent of the questions right
    Column("passed", Boolean, nullable=False),
    Column("results", JSON, nullable=False),  # [{"questionId", "correct"}] in the quiz's order
    Column("attempted_at", DateTime(timezone=True), nullable=False),
)


def quiz_attempted(event: PublishedEvent) -> dict[str, object]:
    data = EnrollmentQuizAttempted.of(event)
    return {
        "enrollment_id": event.aggregate_id,
        "lesson_id": data.lesson_id,
        "attempt": data.attempt,
        "module_id": data.module_id,
        "score": data.score,
        "passed": data.passed,
        "results": data.results,
        "attempted_at": moment(data.attempted_at),
    }


def record_attempts(conn: Connection, events: Sequence[PublishedEvent]) -> None:
    rows = [
        quiz_attempted(event)
        for event in events
        if event.event_type == EnrollmentQuizAttempted.NAME
    ]
    if rows:
        conn.execute(insert(quiz_attempts), rows)
