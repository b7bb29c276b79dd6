"""Course authoring (spec §2, §10): create with a whole structure, edit, publish, archive,
shape the ordered modules and lessons, and set what learners must do first (lessons in
sequence, prerequisite modules and courses). The write side checks who may change a course."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from commands.courses import change_course as change
from commands.courses.author_course import CreateCourse, LessonDraft, ModuleDraft
from commands.courses.update_course import UpdateCourse
from domain.actor import Actor
from domain.errors import InvalidInputError
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.courses import (
    CourseCreateRequest,
    CourseUpdateRequest,
    CreatedResponse,
    LessonCreateRequest,
    LessonOrderRequest,
    LessonUpdateRequest,
    ModuleCreateRequest,
    ModuleOrderRequest,
    ModuleUpdateRequest,
)
from write_api.deps import Bus

router = APIRouter(tags=["courses"])
COURSE = "/api/courses/{course_id}"
MODULE = COURSE + "/modules/{module_id}"


def actor(user: CurrentUser) -> Actor:
    return Actor(user.user_id, user.role)


def minor(price: Decimal) -> int:
    return int(price * 100)


def done(message: str, status_code: int = 200, **ids: Any) -> EnvelopeResponse:
    answer = CreatedResponse(message=message, **{k: str(v) for k, v in ids.items()})
    return success(answer.model_dump(by_alias=True, exclude_none=True), status_code)


@router.post("/api/admin/courses", status_code=201, responses=documented(CreatedResponse, 201))
def create_course(body: CourseCreateRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Create a course (instructors and admins), optionally with its modules and lessons."""
    modules = tuple(
        ModuleDraft(
            m.title,
            m.status,
            tuple(drafted(x) for x in m.lessons),
            tuple(m.prerequisite_module_ids),
        )
        for m in body.modules
    )
    course_id = bus.handle(
        CreateCourse(
            actor(user),
            body.title,
            body.description,
            body.category,
            body.difficulty,
            body.duration,
            minor(body.price),
            body.currency,
            body.cover_image_url,
            instructor(body.instructor_id),
            modules,
            publish=body.status == "published",
            sequential=body.sequential,
            prerequisite_course_ids=tuple(body.prerequisite_course_ids),
        )
    )
    return done("Course created successfully", 201, course_id=course_id)


def drafted(lesson: LessonCreateRequest) -> LessonDraft:
    return LessonDraft(
        lesson.title,
        lesson.type,
        lesson.url,
        lesson.content,
        lesson.status,
        lesson.duration_seconds,
    )


def instructor(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        raise InvalidInputError("instructorId must be a UUID") from None


@router.put(COURSE, responses=documented(CreatedResponse))
def update_course(
    course_id: UUID, body: CourseUpdateRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Change a course's details, whether it is sequential, and the courses it requires."""
    names = {"duration": "duration_minutes", "cover_image_url": "cover_image_url"}
    rules = {"sequential", "prerequisite_course_ids"}
    changes = {
        names.get(k, k): minor(v) if k == "price" else v
        for k, v in body.model_dump(exclude_none=True, exclude=rules).items()
    }
    required = body.prerequisite_course_ids
    bus.handle(
        UpdateCourse(
            actor(user),
            course_id,
            changes,
            body.sequential,
            None if required is None else tuple(required),
        )
    )
    return done("Course updated successfully", course_id=course_id)


@router.delete(COURSE, responses=documented(CreatedResponse))
def archive_course(course_id: UUID, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Archive a course: it leaves the catalog; its history stays."""
    bus.handle(change.ArchiveCourse(actor(user), course_id))
    return done("Course archived", course_id=course_id)


@router.post(COURSE + "/publish", responses=documented(CreatedResponse))
def publish_course(course_id: UUID, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Publish a course that has a published module with a published lesson."""
    bus.handle(change.PublishCourse(actor(user), course_id))
    return done("Course published", course_id=course_id)


@router.post(COURSE + "/unpublish", responses=documented(CreatedResponse))
def unpublish_course(course_id: UUID, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Take a course back to draft: it leaves the catalog."""
    bus.handle(change.UnpublishCourse(actor(user), course_id))
    return done("Course unpublished", course_id=course_id)


@router.post(COURSE + "/modules", status_code=201, responses=documented(CreatedResponse, 201))
def add_module(
    course_id: UUID, body: ModuleCreateRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Add a module (at ``order``, or last), with its lessons and the modules it requires."""
    lessons = tuple(drafted(x) for x in body.lessons)
    command = change.AddModule(
        actor(user),
        course_id,
        body.title,
        body.status,
        body.order,
        lessons,
        prerequisite_module_ids=tuple(body.prerequisite_module_ids),
    )
    module_id = bus.handle(command)
    return done("Module added", 201, module_id=module_id)


@router.put(MODULE, responses=documented(CreatedResponse))
def update_module(
    course_id: UUID, module_id: str, body: ModuleUpdateRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Rename, (un)publish or move a module, or set the modules it requires."""
    required = body.prerequisite_module_ids
    bus.handle(
        change.UpdateModule(
            actor(user),
            course_id,
            module_id,
            body.title,
            body.status,
            body.order,
            None if required is None else tuple(required),
        )
    )
    return done("Module updated", module_id=module_id)


@router.delete(MODULE, responses=documented(CreatedResponse))
def remove_module(course_id: UUID, module_id: str, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Remove a module and its lessons; the others close ranks."""
    bus.handle(change.RemoveModule(actor(user), course_id, module_id))
    return done("Module removed", module_id=module_id)


@router.post(COURSE + "/modules/reorder", responses=documented(CreatedResponse))
def reorder_modules(
    course_id: UUID, body: ModuleOrderRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Put every module of the course in the given order."""
    bus.handle(change.ReorderModules(actor(user), course_id, tuple(body.module_ids)))
    return done("Modules reordered", course_id=course_id)


@router.post(MODULE + "/lessons", status_code=201, responses=documented(CreatedResponse, 201))
def add_lesson(
    course_id: UUID, module_id: str, body: LessonCreateRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Add a lesson to a module (at ``order``, or last)."""
    command = change.AddLesson(
        actor(user),
        course_id,
        module_id,
        body.title,
        body.type,
        body.url,
        body.content,
        body.status,
        body.order,
        duration_seconds=body.duration_seconds,
    )
    lesson_id = bus.handle(command)
    return done("Lesson added", 201, lesson_id=lesson_id)


@router.put(MODULE + "/lessons/{lesson_id}", responses=documented(CreatedResponse))
def update_lesson(
    course_id: UUID,
    module_id: str,
    lesson_id: str,
    body: LessonUpdateRequest,
    user: CurrentUser,
    bus: Bus,
) -> EnvelopeResponse:
    """Change a lesson, or move it (``order``, ``moduleId``)."""
    changes = body.model_dump(exclude_none=True)
    if "module_id" in changes:
        changes["to_module_id"] = changes.pop("module_id")
    bus.handle(change.UpdateLesson(actor(user), course_id, module_id, lesson_id, changes))
    return done("Lesson updated", lesson_id=lesson_id)


@router.delete(MODULE + "/lessons/{lesson_id}", responses=documented(CreatedResponse))
def remove_lesson(
    course_id: UUID, module_id: str, lesson_id: str, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Remove a lesson; the others close ranks."""
    bus.handle(change.RemoveLesson(actor(user), course_id, module_id, lesson_id))
    return done("Lesson removed", lesson_id=lesson_id)


@router.post(MODULE + "/lessons/reorder", responses=documented(CreatedResponse))
def reorder_lessons(
    course_id: UUID, module_id: str, body: LessonOrderRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Put every lesson of the module in the given order."""
    bus.handle(change.ReorderLessons(actor(user), course_id, module_id, tuple(body.lesson_ids)))
    return done("Lessons reordered", module_id=module_id)
