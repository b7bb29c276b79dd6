"""Record a learner's progress in a lesson: how far, how long, and where to resume.

A lesson the course's rules keep locked for this learner is refused, saying what unlocks it,
and a lesson holding a quiz is not completed by progress (its quiz is passed instead); the
course's instructor and admins are held by neither. Two devices of one learner may report at
once; the loser of the race for the enrollment's next version reloads and records again, since
sessions add up rather than overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Catalog, Learning
from commands.contention import retried
from domain.actor import Actor
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import EnrollmentNotFoundError


@dataclass(frozen=True)
class UpdateProgress:
    actor: Actor
    enrollment_id: UUID
    module_id: str
    lesson_id: str
    progress: float
    time_spent: int = 0
    position_seconds: int | None = None
    device: str = "unknown"


def update_progress(
    cmd: UpdateProgress, learning: Learning, catalog: Catalog, clock: Callable[[], datetime]
) -> Enrollment:
    def attempt() -> Enrollment:
        enrollment = learning.get_enrollment(cmd.enrollment_id)
        if enrollment.user_id != cmd.actor.user_id:
            raise EnrollmentNotFoundError  # another learner's enrollment does not exist for them
        with catalog.reading_course(enrollment.course_id) as course:
            staff = cmd.actor.is_staff_of(course.instructor_id)
            lessons, plan = course.published_lessons(), course.plan()
            quizzes = course.quiz_lessons()
        enrollment.record_progress(
            cmd.module_id,
            cmd.lesson_id,
            cmd.progress,
            cmd.time_spent,
            cmd.position_seconds,
            clock(),
            lessons,
            cmd.device,
            None if staff else plan,
            frozenset() if staff else quizzes,
        )
        learning.save(enrollment)
        return enrollment

    return retried(attempt)
