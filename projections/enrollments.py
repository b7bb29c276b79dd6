"""The enrollments read model: one row per enrollment, and a row per lesson its learner opened.

An enrollment row says where its learner stands: status, the course's progress, the lesson
last *visited* and the offset to resume at, and the total time spent. The per-lesson rows
(``projections.lesson_progress``) keep each lesson's best share and accumulated time, and
``projections.quiz_attempts`` each graded quiz attempt. All are written in the same
transaction as the projection's position, so each session and attempt counts once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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

from domain.learning.enrollment_terms import Status
from projections.batch import Row, TableBatch
from projections.lesson_progress import (
    Session,
    lesson_progress,
    lessons_of,
    moment,
    progressed,
    sessions_of,
)
from projections.metadata import metadata
from projections.quiz_attempts import quiz_attempts, record_attempts
from schemas.events import PublishedEvent
from schemas.published.learning import (
    EnrollmentCompleted,
    EnrollmentDropped,
    EnrollmentEnrolled,
    EnrollmentLessonProgressed,
    EnrollmentQuizAttempted,
    EnrollmentRated,
    EnrollmentReadmitted,
    EnrollmentWelcomeRequested,
)

enrollments = Table(
    "enrollments",
    metadata,
    Column("enrollment_id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("course_id", String(36), nullable=False),
    Column("source", String(16), nullable=False),
    Column("payment_id", String(36)),
    Column("status", String(16), nullable=False),
    Column("progress", Float, nullable=False),  # share of the course's published lessons done
    Column("current_module_id", String(64)),
    Column("current_lesson_id", String(64)),
    Column("position_seconds", Integer, nullable=False),
    Column("time_spent", BigInteger, nullable=False),  # seconds, over every lesson
    Column("last_accessed", DateTime(timezone=True)),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    Column("rating", Integer),
    Column("version", Integer, nullable=False),
    Index("ix_enrollments_user_enrolled", "user_id", "enrolled_at"),
    Index("ix_enrollments_course", "course_id"),
)


def enrolled(event: PublishedEvent) -> Row:
    data = EnrollmentEnrolled.of(event)
    return {
        "enrollment_id": event.aggregate_id,
        "user_id": data.user_id,
        "course_id": data.course_id,
        "source": data.source,
        "payment_id": data.payment_id,
        "status": Status.IN_PROGRESS.value,
        "progress": 0.0,
        "current_module_id": None,
        "current_lesson_id": None,
        "position_seconds": 0,
        "time_spent": 0,
        "last_accessed": None,
        "enrolled_at": event.timestamp,
        "completed_at": None,
        "rating": None,
        "version": event.aggregate_version,
    }


def lesson_progressed(row: Row, data: Session) -> None:
    row.update(
        progress=data.course_progress,
        current_module_id=data.module_id,
        current_lesson_id=data.lesson_id,
        position_seconds=data.position_seconds,
        last_accessed=moment(data.accessed_at),
        time_spent=row["time_spent"] + data.time_spent,
    )


def completed(row: Row, event: PublishedEvent) -> None:
    completed_at = EnrollmentCompleted.of(event).completed_at
    row.update(status=Status.COMPLETED.value, completed_at=moment(completed_at))


def dropped(row: Row, _: PublishedEvent) -> None:
    row["status"] = Status.DROPPED.value


def readmitted(row: Row, event: PublishedEvent) -> None:
    data = EnrollmentReadmitted.of(event)
    status = Status.COMPLETED if row["completed_at"] else Status.IN_PROGRESS
    row.update(source=data.source, payment_id=data.payment_id, status=status.value)


def rated(row: Row, event: PublishedEvent) -> None:
    row["rating"] = EnrollmentRated.of(event).stars


def welcome_requested(row: Row, _: PublishedEvent) -> None:
    """Only the notification service acts on it; the row just takes the new version."""


def quiz_attempted(row: Row, _: PublishedEvent) -> None:
    """The attempt is a row of quiz_attempts; a pass is also a session, which moves the row."""


ROW_HANDLERS: dict[str, Callable[[Row, PublishedEvent], None]] = {
    EnrollmentCompleted.NAME: completed,
    EnrollmentDropped.NAME: dropped,
    EnrollmentReadmitted.NAME: readmitted,
    EnrollmentRated.NAME: rated,
    EnrollmentWelcomeRequested.NAME: welcome_requested,
    EnrollmentQuizAttempted.NAME: quiz_attempted,
}


class EnrollmentsProjection:
    name = "enrollments"
    tables = (enrollments, lesson_progress, quiz_attempts)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        sessions = sessions_of(events)
        rows = TableBatch(enrollments, key="enrollment_id")
        lessons = lessons_of(conn, events, sessions)
        changed = ROW_HANDLERS.keys() | {EnrollmentLessonProgressed.NAME}
        rows.load(conn, {e.aggregate_id for e in events if e.event_type in changed})
        for event in events:
            if event.event_type == EnrollmentEnrolled.NAME:
                rows.insert(enrolled(event))
                continue
            row = rows.get(event.aggregate_id)
            if session := sessions.get((event.application, event.position)):
                lesson_progressed(row, session)
                progressed(lessons, event.aggregate_id, session)
            elif handler := ROW_HANDLERS.get(event.event_type):
                handler(row, event)
            else:
                continue
            row["version"] = event.aggregate_version
        rows.flush(conn)
        lessons.flush(conn)
        record_attempts(conn, events)
