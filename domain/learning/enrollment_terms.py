"""The terms an enrollment is told in, apart from the Enrollment aggregate: where a learner
stands in a course, why they may take it, where they studied, the ids of an enrollment and of
its progress records, and the error for one that does not exist.

Read models and API answers speak these terms too; keeping them out of the aggregate's module
lets them do so without reaching into the aggregate.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import NotFoundError

COMPLETE = 1.0


class Device(StrEnum):
    """Where a study session happened, as the client says; ``unknown`` when it did not."""

    WEB = "web"
    IOS = "ios"
    ANDROID = "android"
    OTHER = "other"
    UNKNOWN = "unknown"


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DROPPED = "dropped"


class Source(StrEnum):
    """Why the learner may take the course."""

    PAYMENT = "payment"
    FREE = "free"
    GRANT = "grant"


def enrollment_id_of(user_id: UUID, course_id: UUID) -> UUID:
    """One enrollment per learner and course: the id says which, so no lookup is needed."""
    return uuid5(NAMESPACE_URL, f"campus:enrollment:{user_id}:{course_id}")


def progress_id(enrollment_id: UUID | str, lesson_id: str) -> str:
    """The spec's progress record: one per (enrollment, lesson)."""
    return str(uuid5(NAMESPACE_URL, f"campus:progress:{enrollment_id}:{lesson_id}"))


class EnrollmentNotFoundError(NotFoundError):
    message = "Enrollment not found"
