"""Create a course, optionally with its whole structure of modules and lessons at once, and
its rules for learners (lessons in sequence, prerequisite courses)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from commands.applications import Catalog
from commands.courses.prerequisite_courses import checked_prerequisites
from domain.actor import Actor
from domain.courses.course import Course


@dataclass(frozen=True)
class LessonDraft:
    title: str
    type: str
    url: str | None = None
    content: str | None = None
    status: str = "draft"
    duration_seconds: int | None = None


@dataclass(frozen=True)
class ModuleDraft:
    title: str
    status: str = "draft"
    lessons: tuple[LessonDraft, ...] = ()
    prerequisite_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreateCourse:
    actor: Actor
    title: str
    description: str
    category: str
    difficulty: str
    duration_minutes: int
    price: int
    currency: str = "NGN"
    cover_image_url: str | None = None
    instructor_id: UUID | None = None
    modules: tuple[ModuleDraft, ...] = ()
    publish: bool = False
    sequential: bool = False
    prerequisite_course_ids: tuple[UUID, ...] = ()


def create_course(cmd: CreateCourse, catalog: Catalog) -> UUID:
    cmd.actor.ensure_author()
    owner = cmd.instructor_id if cmd.actor.is_admin and cmd.instructor_id else cmd.actor.user_id
    course = Course(
        owner,
        cmd.title,
        cmd.description,
        cmd.category,
        cmd.difficulty,
        cmd.duration_minutes,
        cmd.price,
        cmd.currency,
        cmd.cover_image_url,
    )
    for module in cmd.modules:
        add_drafted_module(course, module)
    course.make_sequential(cmd.sequential)
    if cmd.prerequisite_course_ids:
        course.require_courses(
            checked_prerequisites(catalog, course.id, cmd.prerequisite_course_ids)
        )
    if cmd.publish:
        course.publish()
    catalog.save(course)
    return course.id


def add_drafted_module(
    course: Course, draft: ModuleDraft, module_id: str | None = None, position: int | None = None
) -> str:
    module_id = module_id or str(uuid.uuid4())
    course.add_module(module_id, draft.title, draft.status, position)
    for lesson in draft.lessons:
        course.add_lesson(
            module_id,
            str(uuid.uuid4()),
            lesson.title,
            lesson.type,
            lesson.url,
            lesson.content,
            lesson.status,
            duration_seconds=lesson.duration_seconds,
        )
    if draft.prerequisite_ids:
        course.require_modules(module_id, list(draft.prerequisite_ids))
    return module_id
