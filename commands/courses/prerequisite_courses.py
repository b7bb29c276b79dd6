"""The courses a course may require: each one a course, and none leading back to it.

Checked on the write side, from the event store: creating and updating a course both call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from commands.applications import Catalog
from domain.courses.course import Course
from domain.courses.structure import InvalidStructureError
from domain.courses.unlocking import reaches


def checked_prerequisites(catalog: Catalog, course_id: UUID, required: Sequence[UUID]) -> list[str]:
    """The ids of ``required``, once each, if a course may require them all."""
    wanted = list(dict.fromkeys(str(c) for c in required))

    def requires(other: str) -> list[str]:
        found = catalog.find(UUID(other))
        if not isinstance(found, Course):
            raise InvalidStructureError(f"No course {other}")
        return found.prerequisite_course_ids

    for other in wanted:
        if other != str(course_id):  # the course itself is for its own rule to refuse
            requires(other)
    if reaches((c for c in wanted if c != str(course_id)), str(course_id), requires):
        raise InvalidStructureError("Course prerequisites cannot form a cycle")
    return wanted
