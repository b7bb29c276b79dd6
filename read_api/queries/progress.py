"""Queries on lesson progress: an enrollment's resume point, totals and every lesson opened."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from domain.learning.enrollment import progress_id
from projections.lesson_progress import lesson_progress
from schemas.base import iso_utc
from schemas.learning_views import LessonProgressView, ProgressView


def progress_view(conn: Connection, enrollment: Any) -> ProgressView | None:
    """The progress of an enrollment row (``queries.enrollments``); None before a first lesson."""
    lessons = conn.execute(
        select(lesson_progress)
        .where(lesson_progress.c.enrollment_id == enrollment.enrollment_id)
        .order_by(lesson_progress.c.last_accessed.desc(), lesson_progress.c.lesson_id)
    ).all()
    current = next((x for x in lessons if x.lesson_id == enrollment.current_lesson_id), None)
    if current is None:
        return None
    return ProgressView(
        progress_id=progress_id(enrollment.enrollment_id, current.lesson_id),
        enrollment_id=enrollment.enrollment_id,
        module_id=current.module_id,
        lesson_id=current.lesson_id,
        progress=current.progress,
        course_progress=enrollment.progress,
        last_accessed=iso_utc(enrollment.last_accessed),
        time_spent=enrollment.time_spent,
        position_seconds=enrollment.position_seconds,
        device=current.device,
        lessons=[lesson_view(enrollment.enrollment_id, x) for x in lessons],
    )


def lesson_view(enrollment_id: str, row: Any) -> LessonProgressView:
    return LessonProgressView(
        progress_id=progress_id(enrollment_id, row.lesson_id),
        module_id=row.module_id,
        lesson_id=row.lesson_id,
        progress=row.progress,
        time_spent=row.time_spent,
        position_seconds=row.position_seconds,
        last_accessed=iso_utc(row.last_accessed),
        device=row.device,
    )
