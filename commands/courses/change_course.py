"""Every change to an existing course: a named command that knows which aggregate method it
calls, and one handler that loads the course, authorizes the actor, applies, and saves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from commands.applications import Catalog
from commands.courses.author_course import LessonDraft, ModuleDraft, add_drafted_module
from domain.actor import Actor
from domain.courses.course import Course
from domain.courses.quiz import Quiz


@dataclass(frozen=True)
class CourseChange:
    actor: Actor
    course_id: UUID

    def apply(self, course: Course) -> Any:
        raise NotImplementedError


def change_course(cmd: CourseChange, catalog: Catalog) -> Any:
    course = catalog.get_course(cmd.course_id)
    cmd.actor.ensure_owns(course.instructor_id)
    result = cmd.apply(course)
    catalog.save(course)
    return result


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class PublishCourse(CourseChange):
    def apply(self, course: Course) -> None:
        course.publish()


@dataclass(frozen=True)
class UnpublishCourse(CourseChange):
    def apply(self, course: Course) -> None:
        course.unpublish()


@dataclass(frozen=True)
class ArchiveCourse(CourseChange):
    def apply(self, course: Course) -> None:
        course.archive()


@dataclass(frozen=True)
class AddModule(CourseChange):
    title: str = ""
    status: str = "draft"
    order: int | None = None
    lessons: tuple[LessonDraft, ...] = ()
    module_id: str = field(default_factory=new_id)
    prerequisite_module_ids: tuple[str, ...] = ()

    def apply(self, course: Course) -> str:
        draft = ModuleDraft(self.title, self.status, self.lessons, self.prerequisite_module_ids)
        return add_drafted_module(course, draft, self.module_id, self.order)


@dataclass(frozen=True)
class UpdateModule(CourseChange):
    module_id: str = ""
    title: str | None = None
    status: str | None = None
    order: int | None = None
    prerequisite_module_ids: tuple[str, ...] | None = None

    def apply(self, course: Course) -> None:
        course.update_module(self.module_id, self.title, self.status, self.order)
        if self.prerequisite_module_ids is not None:
            course.require_modules(self.module_id, list(self.prerequisite_module_ids))


@dataclass(frozen=True)
class RemoveModule(CourseChange):
    module_id: str = ""

    def apply(self, course: Course) -> None:
        course.remove_module(self.module_id)


@dataclass(frozen=True)
class ReorderModules(CourseChange):
    module_ids: tuple[str, ...] = ()

    def apply(self, course: Course) -> None:
        course.reorder_modules(list(self.module_ids))


@dataclass(frozen=True)
class AddLesson(CourseChange):
    module_id: str = ""
    title: str = ""
    type: str = "ARTICLE"
    url: str | None = None
    content: str | None = None
    status: str = "draft"
    order: int | None = None
    lesson_id: str = field(default_factory=new_id)
    duration_seconds: int | None = None

    def apply(self, course: Course) -> str:
        course.add_lesson(
            self.module_id,
            self.lesson_id,
            self.title,
            self.type,
            self.url,
            self.content,
            self.status,
            self.order,
            self.duration_seconds,
        )
        return self.lesson_id


@dataclass(frozen=True)
class UpdateLesson(CourseChange):
    module_id: str = ""
    lesson_id: str = ""
    changes: dict[str, Any] = field(default_factory=dict)

    def apply(self, course: Course) -> None:
        course.update_lesson(self.module_id, self.lesson_id, **self.changes)


@dataclass(frozen=True)
class RemoveLesson(CourseChange):
    module_id: str = ""
    lesson_id: str = ""

    def apply(self, course: Course) -> None:
        course.remove_lesson(self.module_id, self.lesson_id)


@dataclass(frozen=True)
class ReorderLessons(CourseChange):
    module_id: str = ""
    lesson_ids: tuple[str, ...] = ()

    def apply(self, course: Course) -> None:
        course.reorder_lessons(self.module_id, list(self.lesson_ids))


@dataclass(frozen=True)
class SetQuiz(CourseChange):
    module_id: str = ""
    lesson_id: str = ""
    quiz: Quiz | None = None

    def apply(self, course: Course) -> Quiz:
        assert self.quiz is not None  # the router always gives one
        course.set_quiz(self.module_id, self.lesson_id, self.quiz)
        return self.quiz


@dataclass(frozen=True)
class RemoveQuiz(CourseChange):
    module_id: str = ""
    lesson_id: str = ""

    def apply(self, course: Course) -> None:
        course.remove_quiz(self.module_id, self.lesson_id)
