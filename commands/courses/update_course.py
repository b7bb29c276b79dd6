"""Change a course's details and its rules for learners: whether its lessons unlock in
sequence, and the courses enrolling requires. One command, saved as one change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from commands.applications import Catalog
from commands.courses.ports import OneAtATime
from commands.courses.prerequisite_courses import PREREQUISITES, checked_prerequisites
from domain.actor import Actor


@dataclass(frozen=True)
class UpdateCourse:
    actor: Actor
    course_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    sequential: bool | None = None
    prerequisite_course_ids: tuple[UUID, ...] | None = None


def update_course(cmd: UpdateCourse, catalog: Catalog, one_at_a_time: OneAtATime) -> None:
    if cmd.prerequisite_course_ids is None:
        change(cmd, catalog)
        return
    with one_at_a_time(PREREQUISITES):
        change(cmd, catalog)


def change(cmd: UpdateCourse, catalog: Catalog) -> None:
    course = catalog.get_course(cmd.course_id)
    cmd.actor.ensure_owns(course.instructor_id)
    course.update_details(**cmd.changes)
    if cmd.sequential is not None:
        course.make_sequential(cmd.sequential)
    if cmd.prerequisite_course_ids is not None:
        course.require_courses(
            checked_prerequisites(catalog, course.id, cmd.prerequisite_course_ids)
        )
    catalog.save(course)
