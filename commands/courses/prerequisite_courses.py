"""The courses a course may require: each one a course, and none leading back to it.

Checked on the write side, from the event store: creating and updating a course both call it.
Two updates that check at the same moment would each miss the other's new requirement, so an
update's check and save run one command at a time (``PREREQUISITES``); a course being created
cannot close a cycle, as no course requires it yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from commands.applications import Catalog
from domain.courses.course import Course
from domain.courses.structure import InvalidStructureError
from domain.courses.unlocking import reaches

PREREQUISITES = "course-prerequisites"  # the section a requirement's check and save share


def checked_prerequisites(catalog: Catalog, course_id: UUID, required: Sequence[UUID]) -> list[str]:
    """The ids of ``required``, once each, if a course may require them all."""
    wanted = list(dict.fromkeys(str(c) for c in required))
    current = catalog.find(course_id)
    kept = set(current.prerequisite_course_ids) if isinstance(current, Course) else set()

    def course_of(other: str) -> Course:
        found = catalog.find(UUID(other))
        if not isinstance(found, Course):
            raise InvalidStructureError(f"No course {other}")
        return found

    for other in wanted:
        # The course itself is for its own rule to refuse; a requirement it already had stays
        # when that course is archived since, so editing the course is not blocked by it.
        if other != str(course_id) and course_of(other).is_archived and other not in kept:
            raise InvalidStructureError(
                f"Course {other} is archived: no new learner could complete it"
            )
    others = (c for c in wanted if c != str(course_id))
    if reaches(others, str(course_id), lambda c: course_of(c).prerequisite_course_ids):
        raise InvalidStructureError("Course prerequisites cannot form a cycle")
    return wanted
