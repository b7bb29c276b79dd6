"""An enrolled learner rates a course 1-5 stars; rating again changes their rating."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Learning
from commands.contention import retried
from domain.actor import Actor
from domain.errors import ForbiddenError
from domain.learning.enrollment import Enrollment


class NotEnrolledError(ForbiddenError):
    message = "Only learners enrolled in this course may rate it"


@dataclass(frozen=True)
class RateCourse:
    actor: Actor
    course_id: UUID
    stars: int


def rate_course(cmd: RateCourse, learning: Learning) -> Enrollment:
    def attempt() -> Enrollment:
        enrollment = learning.find(Enrollment.create_id(cmd.actor.user_id, cmd.course_id))
        if enrollment is None:
            raise NotEnrolledError
        enrollment.rate(cmd.stars)
        learning.save(enrollment)
        return enrollment

    return retried(attempt)
