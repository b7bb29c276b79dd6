"""Which learners went quiet: in-progress enrollments not opened since a moment, from the
enrollments read model (the reminder policy's ``IdleEnrollments`` port)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, func, select

from commands.notifications.remind_idle_learners import IdleEnrollment
from domain.learning.enrollment_terms import Status
from projections.catalog import courses
from projections.enrollments import enrollments


class IdleEnrollmentsQuery:
    def __init__(self, engine: Engine, limit: int = 10_000) -> None:
        self.engine, self.limit = engine, limit  # a check takes at most limit, oldest first

    def __call__(self, before: datetime) -> list[IdleEnrollment]:
        last_active = func.coalesce(enrollments.c.last_accessed, enrollments.c.enrolled_at)
        before = before.astimezone(UTC)  # SQLite compares UTC wall times
        query = (
            select(
                enrollments.c.enrollment_id,
                enrollments.c.user_id,
                enrollments.c.course_id,
                courses.c.title,
                last_active.label("last_active"),
            )
            .join(courses, courses.c.id == enrollments.c.course_id)
            .where(enrollments.c.status == Status.IN_PROGRESS.value, last_active < before)
            .order_by(last_active)
            .limit(self.limit)
        )
        with self.engine.connect() as conn:
            return [
                IdleEnrollment(
                    UUID(r.enrollment_id),
                    UUID(r.user_id),
                    UUID(r.course_id),
                    r.title,
                    as_utc(r.last_active),
                )
                for r in conn.execute(query)
            ]


def as_utc(value: datetime | str) -> datetime:
    """SQLite keeps UTC wall times without an offset and may answer coalesce() as text."""
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
