"""Queries on lesson progress: an enrollment's resume point, totals, every lesson opened, the
course's outline with what is locked for its learner, and the quizzes attempted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from domain.courses.unlocking import Unlocking
from domain.learning.enrollment_terms import COMPLETE, progress_id
from projections.lesson_progress import lesson_progress
from projections.structure_document import published_only
from read_api.queries.courses import course_row
from read_api.queries.quizzes import attempts_of, quiz_progress
from read_api.queries.unlocking import enrollment_unlocking, unlocked_by
from schemas.base import iso_utc
from schemas.learning_views import (
    LessonProgressView,
    LessonUnlockingView,
    ModuleUnlockingView,
    ProgressView,
)


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
        outline=outline(conn, enrollment, {x.lesson_id for x in lessons if x.progress >= COMPLETE}),
        quizzes=quiz_progress(enrollment, attempts_of(conn, enrollment.enrollment_id)),
    )


def outline(conn: Connection, enrollment: Any, completed: set[str]) -> list[ModuleUnlockingView]:
    """The course's published modules and lessons with the learner's locks (none while the
    catalog has not caught up with the course)."""
    course = course_row(conn, enrollment.course_id)
    if course is None:
        return []
    unlocking = enrollment_unlocking(conn, course, enrollment.user_id, completed)
    return [module_unlocking(m, completed, unlocking) for m in published_only(course.structure)]


def module_unlocking(
    module: dict[str, Any], completed: set[str], unlocking: Unlocking
) -> ModuleUnlockingView:
    lock = unlocking.module(module["id"])
    return ModuleUnlockingView(
        module_id=module["id"],
        locked=lock.locked,
        unlocked_by=unlocked_by(lock),
        lessons=[
            LessonUnlockingView(
                lesson_id=x["id"],
                completed=x["id"] in completed,
                locked=unlocking.lesson(x["id"]).locked,
                unlocked_by=unlocked_by(unlocking.lesson(x["id"])),
            )
            for x in module["lessons"]
        ],
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
