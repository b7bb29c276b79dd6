"""What every peer-review use case checks: the configured rules, enrollment and teaching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from commands.applications import Catalog, Learning
from domain.actor import Actor
from domain.courses.course import Course
from domain.errors import ForbiddenError
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Status
from domain.reviews.review_queue import ReviewQueue


@dataclass(frozen=True)
class ReviewRules:
    """From settings: how long a reviewer holds work, and how many reviews each work needs."""

    lease: timedelta = timedelta(hours=8)
    reviews_needed: int = 2


class NotEnrolledError(ForbiddenError):
    message = "Only learners enrolled in this course take part in its peer reviews"


class NotTeachingError(ForbiddenError):
    message = "Only the course's instructor or an admin may do this"


def is_enrolled(learning: Learning, user_id: UUID, course_id: UUID) -> bool:
    enrollment: Enrollment | None = learning.find(Enrollment.create_id(user_id, course_id))
    return enrollment is not None and enrollment.status is not Status.DROPPED


def ensure_enrolled(learning: Learning, user_id: UUID, course_id: UUID) -> None:
    if not is_enrolled(learning, user_id, course_id):
        raise NotEnrolledError


def ensure_teaches(actor: Actor, catalog: Catalog, course_id: UUID, module_id: str) -> Course:
    """The course, if ``actor`` teaches it (or is an admin) and it has the module."""
    course = catalog.get_course(course_id)
    if not actor.is_admin and actor.user_id != course.instructor_id:
        raise NotTeachingError
    course.module(module_id)
    return course


def queue_of(
    learning: Learning, course_id: UUID, module_id: str, rules: ReviewRules
) -> ReviewQueue:
    """The module's review queue, or a new one for its first submission or rubric."""
    found = learning.find(ReviewQueue.create_id(course_id, module_id))
    return found or ReviewQueue(course_id, module_id, rules.reviews_needed)
