"""A learner's locks as the read models show them: the course's rules (catalog) and what the
learner completed (enrollments), judged by the very rule the write side applies
(``domain.courses.unlocking``), so an answer never shows open what a write would refuse."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from domain.courses.unlocking import NOTHING_LOCKED, OPEN, Lock, Unlocking, missing_courses
from domain.learning.enrollment_terms import COMPLETE, Status
from projections.enrollments import enrollments
from projections.lesson_progress import lesson_progress
from projections.structure_document import plan
from projections.users import users
from schemas.courses import UnlockedByView


def learner_unlocking(conn: Connection, course: Any, enrollment_id: str) -> Unlocking:
    """The locks of the course's row for the learner of ``enrollment_id`` (enrolled or not)."""
    done = conn.execute(
        select(lesson_progress.c.lesson_id).where(
            lesson_progress.c.enrollment_id == enrollment_id,
            lesson_progress.c.progress >= COMPLETE,
        )
    ).scalars()
    return unlocking_after(course, set(done))


def unlocking_after(course: Any, completed: set[str]) -> Unlocking:
    """The locks of the course's row for a learner who completed the lessons ``completed``."""
    return plan(course.structure, bool(course.sequential)).unlocking(completed)


def enrolling_lock(conn: Connection, course: Any, user_id: str) -> Lock:
    """The courses the learner lacks to enroll; nothing once enrolled, since rules changed
    later take nothing away."""
    required = list(course.prerequisite_course_ids or [])
    if not required:
        return OPEN
    rows = conn.execute(
        select(enrollments.c.course_id, enrollments.c.status).where(
            enrollments.c.user_id == user_id,
            enrollments.c.course_id.in_([*required, course.id]),
        )
    ).all()
    if any(row.course_id == course.id for row in rows):
        return OPEN
    completed = {row.course_id for row in rows if row.status == Status.COMPLETED.value}
    return missing_courses(required, completed)


def enrollment_unlocking(
    conn: Connection, course: Any, user_id: str, completed: set[str]
) -> Unlocking:
    """The locks of an enrollment's learner, who completed the lessons ``completed``: none
    for the course's instructor or an admin."""
    if course.instructor_id == user_id:
        return NOTHING_LOCKED
    role = conn.execute(select(users.c.role).where(users.c.id == user_id)).scalar()
    return NOTHING_LOCKED if role == "admin" else unlocking_after(course, completed)


def unlocked_by(lock: Lock) -> UnlockedByView:
    return UnlockedByView(
        lesson_ids=list(lock.lesson_ids),
        module_ids=list(lock.module_ids),
        course_ids=list(lock.course_ids),
    )
