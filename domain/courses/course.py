"""The Course aggregate: metadata, status, and the ordered structure of modules and lessons.

Every change is an event, so the course's history holds every version of its structure.
Rules: orders stay dense (see structure.py); a course is published only while it has a
published module with a published lesson, so changes that would break that are refused
until it is unpublished; an archived course takes no changes. The course also holds what
learners must do first (see unlocking.py): whether its lessons unlock in sequence, each
module's prerequisite modules (existing ones, never in a cycle, and in a sequential course only
modules before it, so a learner can always go on) and the courses enrolling requires. A QUIZ
lesson may hold a graded quiz (see quiz.py); it stays a QUIZ lesson while it does.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.courses.quiz import Quiz, QuizNotFoundError
from domain.courses.structure import (
    CourseArchivedError,
    CourseStatus,
    Difficulty,
    InvalidStructureError,
    Lesson,
    LessonNotFoundError,
    LessonType,
    Module,
    ModuleNotFoundError,
    NotPublishableError,
    PartStatus,
    permuted,
    place,
)
from domain.courses.unlocking import Lock, Plan, PlannedModule, missing_courses, reaches
from domain.errors import ConflictError

DETAILS = (
    "title",
    "description",
    "category",
    "difficulty",
    "duration_minutes",
    "price",
    "currency",
    "cover_image_url",
)


class Course(Aggregate):
    @event("Created")
    def __init__(
        self,
        instructor_id: UUID,
        title: str,
        description: str,
        category: str,
        difficulty: str,
        duration_minutes: int,
        price: int,
        currency: str,
        cover_image_url: str | None,
    ) -> None:
        self.instructor_id = instructor_id
        self.status = CourseStatus.DRAFT
        self.modules: list[Module] = []
        self.sequential = False
        self.prerequisite_course_ids: list[str] = []
        self.certificate_template_id: str | None = None  # None: the default certificate
        self._set_details(
            dict(
                title=title,
                description=description,
                category=category,
                difficulty=difficulty,
                duration_minutes=duration_minutes,
                price=price,
                currency=currency,
                cover_image_url=cover_image_url,
            )
        )

    def _set_details(self, details: dict[str, Any]) -> None:
        for name, value in details.items():
            setattr(self, name, Difficulty(value) if name == "difficulty" else value)

    # -- metadata and status ------------------------------------------------------------
    def update_details(self, **changes: Any) -> None:
        self.ensure_open()
        changed = {k: v for k, v in changes.items() if k in DETAILS and getattr(self, k) != v}
        if changed:
            self._update_details(changes=changed)

    @event("DetailsUpdated")
    def _update_details(self, changes: dict[str, Any]) -> None:
        self._set_details(changes)

    def publish(self) -> None:
        self.ensure_open()
        if not self.publishable(self.modules):
            raise NotPublishableError
        if self.status is not CourseStatus.PUBLISHED:
            self._publish()

    @event("Published")
    def _publish(self) -> None:
        self.status = CourseStatus.PUBLISHED

    def unpublish(self) -> None:
        self.ensure_open()
        if self.status is CourseStatus.PUBLISHED:
            self._unpublish()

    @event("Unpublished")
    def _unpublish(self) -> None:
        self.status = CourseStatus.DRAFT

    def archive(self) -> None:
        if self.status is not CourseStatus.ARCHIVED:
            self._archive()

    @event("Archived")
    def _archive(self) -> None:
        self.status = CourseStatus.ARCHIVED

    @property
    def is_published(self) -> bool:
        return self.status is CourseStatus.PUBLISHED

    @property
    def is_archived(self) -> bool:
        return self.status is CourseStatus.ARCHIVED

    def published_lessons(self) -> dict[str, str]:
        """Lesson id -> module id of the lessons learners see: what completing the course takes."""
        return {
            lesson.id: module.id
            for module in self.modules
            if module.is_published
            for lesson in module.lessons
            if lesson.is_published
        }

    def ensure_open(self) -> None:
        if self.status is CourseStatus.ARCHIVED:
            raise CourseArchivedError

    @staticmethod
    def publishable(modules: list[Module]) -> bool:
        return any(m.is_published and m.has_published_lesson() for m in modules)

    def ensure_still_publishable(self, modules: list[Module]) -> None:
        """Refuse a change that would leave a published course with nothing published."""
        if self.is_published and not self.publishable(modules):
            raise NotPublishableError(
                "Unpublish the course before removing its last published content"
            )

    # -- modules ------------------------------------------------------------------------
    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise ModuleNotFoundError

    def add_module(
        self, module_id: str, title: str, status: str = "draft", position: int | None = None
    ) -> None:
        self.ensure_open()
        place(list(self.modules), None, position)  # checks the position before the event
        self._add_module(
            module_id=module_id, title=title, status=PartStatus(status).value, position=position
        )

    @event("ModuleAdded")
    def _add_module(self, module_id: str, title: str, status: str, position: int | None) -> None:
        place(self.modules, Module(module_id, title, PartStatus(status)), position)

    def update_module(
        self,
        module_id: str,
        title: str | None = None,
        status: str | None = None,
        position: int | None = None,
    ) -> None:
        self.ensure_open()
        module = self.module(module_id)
        changes = {
            k: v
            for k, v in (("title", title), ("status", status))
            if v is not None and v != getattr(module, k)
        }
        if changes.get("status") == PartStatus.DRAFT.value:
            self.ensure_still_publishable([m for m in self.modules if m.id != module_id])
        if changes:
            self._update_module(module_id=module_id, changes=changes)
        if position is not None and position != self.modules.index(module) + 1:
            self.move_module(module_id, position)

    @event("ModuleUpdated")
    def _update_module(self, module_id: str, changes: dict[str, str]) -> None:
        module = self.module(module_id)
        module.title = changes.get("title", module.title)
        module.status = PartStatus(changes.get("status", module.status))

    def move_module(self, module_id: str, position: int) -> None:
        self.ensure_open()
        others = [m for m in self.modules if m.id != module_id]
        place(others, self.module(module_id), position)
        self.ensure_learners_can_go_on(others, self.sequential)
        self._reorder_modules(module_ids=[m.id for m in others])

    def reorder_modules(self, module_ids: list[str]) -> None:
        self.ensure_open()
        self.ensure_learners_can_go_on(permuted(self.modules, module_ids), self.sequential)
        self._reorder_modules(module_ids=module_ids)

    @event("ModulesReordered")
    def _reorder_modules(self, module_ids: list[str]) -> None:
        self.modules = permuted(self.modules, module_ids)

    def remove_module(self, module_id: str) -> None:
        self.ensure_open()
        self.module(module_id)
        self.ensure_still_publishable([m for m in self.modules if m.id != module_id])
        self._remove_module(module_id=module_id)

    @event("ModuleRemoved")
    def _remove_module(self, module_id: str) -> None:
        self.modules = [m for m in self.modules if m.id != module_id]
        for module in self.modules:  # what is gone can no longer be required
            if module_id in module.prerequisite_ids:
                module.prerequisite_ids.remove(module_id)

    # -- what learners must do first ------------------------------------------------------
    def plan(self) -> Plan:
        """The published outline and its rules, from which each learner's locks follow."""
        return Plan(
            tuple(
                PlannedModule(
                    m.id,
                    tuple(x.id for x in m.lessons if x.is_published),
                    tuple(m.prerequisite_ids),
                )
                for m in self.modules
                if m.is_published
            ),
            self.sequential,
        )

    def make_sequential(self, sequential: bool) -> None:
        self.ensure_open()
        if sequential == self.sequential:
            return
        self.ensure_learners_can_go_on(self.modules, sequential)
        self._change_sequencing(sequential=sequential)

    @event("SequencingChanged")
    def _change_sequencing(self, sequential: bool) -> None:
        self.sequential = sequential

    def require_modules(self, module_id: str, prerequisite_ids: list[str]) -> None:
        """Set the modules to complete before ``module_id`` unlocks (none: it is open)."""
        self.ensure_open()
        module = self.module(module_id)
        wanted = list(dict.fromkeys(prerequisite_ids))
        known = {m.id for m in self.modules}
        unknown = [p for p in wanted if p not in known]
        if unknown:
            raise InvalidStructureError(f"No module {', '.join(unknown)} in this course")
        requires = {m.id: m.prerequisite_ids for m in self.modules} | {module_id: wanted}
        if reaches(wanted, module_id, requires.__getitem__):
            raise InvalidStructureError("Module prerequisites cannot form a cycle")
        self.ensure_learners_can_go_on(self.modules, self.sequential, requires)
        if wanted != module.prerequisite_ids:
            self._require_modules(module_id=module_id, prerequisite_module_ids=wanted)

    @event("ModulePrerequisitesSet")
    def _require_modules(self, module_id: str, prerequisite_module_ids: list[str]) -> None:
        self.module(module_id).prerequisite_ids = list(prerequisite_module_ids)

    def require_courses(self, course_ids: list[str]) -> None:
        """Set the courses whose completion enrolling takes. That they exist and close no
        cycle through other courses is for the handler to check: it can read them."""
        self.ensure_open()
        wanted = list(dict.fromkeys(course_ids))
        if str(self.id) in wanted:
            raise InvalidStructureError("A course cannot require itself")
        if wanted != self.prerequisite_course_ids:
            self._require_courses(prerequisite_course_ids=wanted)

    @event("CoursePrerequisitesSet")
    def _require_courses(self, prerequisite_course_ids: list[str]) -> None:
        self.prerequisite_course_ids = list(prerequisite_course_ids)

    # -- certificate --------------------------------------------------------------------
    def assign_certificate_template(self, template_id: str | None) -> None:
        """The template this course's certificates are issued with from now on (None: the
        default); certificates already issued keep theirs. That it exists is for the handler
        to check: it can load it."""
        self.ensure_open()
        if template_id != self.certificate_template_id:
            self._assign_certificate_template(template_id=template_id)

    @event("CertificateTemplateAssigned")
    def _assign_certificate_template(self, template_id: str | None) -> None:
        self.certificate_template_id = template_id

    def missing_prerequisites(self, completed_course_ids: set[str]) -> Lock:
        return missing_courses(self.prerequisite_course_ids, completed_course_ids)

    @staticmethod
    def ensure_learners_can_go_on(
        modules: list[Module], sequential: bool, requires: dict[str, list[str]] | None = None
    ) -> None:
        """In a sequential course a module may require only modules before it: one after it
        would wait for a lesson that waits for the module, and no learner could go on."""
        if not sequential:
            return
        requires = requires or {m.id: m.prerequisite_ids for m in modules}
        earlier: set[str] = set()
        for module in modules:
            if any(p not in earlier for p in requires.get(module.id, ())):
                raise InvalidStructureError(
                    "In a sequential course a module can only require modules before it"
                )
            earlier.add(module.id)

    # -- lessons ------------------------------------------------------------------------
    def find_lesson(self, lesson_id: str) -> tuple[Module, Lesson]:
        for module in self.modules:
            for lesson in module.lessons:
                if lesson.id == lesson_id:
                    return module, lesson
        raise LessonNotFoundError

    def lesson_in(self, module_id: str, lesson_id: str) -> Lesson:
        module, lesson = self.find_lesson(lesson_id)
        if module.id != module_id:
            raise LessonNotFoundError
        return lesson

    def add_lesson(
        self,
        module_id: str,
        lesson_id: str,
        title: str,
        type: str,
        url: str | None = None,
        content: str | None = None,
        status: str = "draft",
        position: int | None = None,
        duration_seconds: int | None = None,
    ) -> None:
        self.ensure_open()
        ensure_material(url, content)
        ensure_duration(duration_seconds)
        place(list(self.module(module_id).lessons), None, position)
        self._add_lesson(
            module_id=module_id,
            lesson_id=lesson_id,
            title=title,
            type=LessonType(type).value,
            url=url,
            content=content,
            status=PartStatus(status).value,
            position=position,
            duration_seconds=duration_seconds,
        )

    class LessonAdded(Aggregate.Event):
        """Version 2: lessons gained ``duration_seconds``; a lesson added before has none."""

        class_version = 2
        module_id: str
        lesson_id: str
        title: str
        type: str
        url: str | None
        content: str | None
        status: str
        position: int | None
        duration_seconds: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["duration_seconds"] = None

    @event(LessonAdded)
    def _add_lesson(
        self,
        module_id: str,
        lesson_id: str,
        title: str,
        type: str,
        url: str | None,
        content: str | None,
        status: str,
        position: int | None,
        duration_seconds: int | None,
    ) -> None:
        lesson = Lesson(
            lesson_id, title, LessonType(type), url, content, PartStatus(status), duration_seconds
        )
        place(self.module(module_id).lessons, lesson, position)

    def update_lesson(self, module_id: str, lesson_id: str, **changes: Any) -> None:
        """Change any of title, type, url, content, status, duration_seconds;
        ``to_module_id``/``order`` in ``changes`` move the lesson (to another module, or within
        its own)."""
        self.ensure_open()
        lesson = self.lesson_in(module_id, lesson_id)
        target, position = changes.pop("to_module_id", None), changes.pop("order", None)
        fields: dict[str, Any] = {
            k: str(v)
            for k, v in changes.items()
            if k in ("title", "type", "url", "content", "status")
            and v is not None
            and v != getattr(lesson, k)
        }
        duration = changes.get("duration_seconds")
        if duration is not None and duration != lesson.duration_seconds:
            ensure_duration(duration)
            fields["duration_seconds"] = duration
        if "type" in fields:
            LessonType(fields["type"])
            if lesson.quiz is not None:
                raise QuizHeldError
        if "status" in fields:
            PartStatus(fields["status"])
        ensure_material(fields.get("url", lesson.url), fields.get("content", lesson.content))
        if fields.get("status") == PartStatus.DRAFT.value:
            self.ensure_still_publishable(self.without_lesson(lesson_id))
        if fields:
            self._update_lesson(lesson_id=lesson_id, changes=fields)
        if target not in (None, module_id) or position is not None:
            self.move_lesson(lesson_id, target or module_id, position)

    @event("LessonUpdated")
    def _update_lesson(self, lesson_id: str, changes: dict[str, Any]) -> None:
        _, lesson = self.find_lesson(lesson_id)
        for name, value in changes.items():
            converted = LESSON_FIELD_TYPES.get(name, str)(value)
            setattr(lesson, name, converted)

    def move_lesson(self, lesson_id: str, module_id: str, position: int | None) -> None:
        self.ensure_open()
        source, lesson = self.find_lesson(lesson_id)
        target = self.module(module_id)
        staying = [x for x in target.lessons if x.id != lesson_id]
        place(staying, lesson, position)
        if source is target and staying == target.lessons:
            return
        if source is not target and lesson.is_published:
            moved = self.without_lesson(lesson_id)
            self.ensure_still_publishable(moved + ([target] if target.is_published else []))
        self._move_lesson(
            lesson_id=lesson_id, module_id=module_id, position=staying.index(lesson) + 1
        )

    @event("LessonMoved")
    def _move_lesson(self, lesson_id: str, module_id: str, position: int) -> None:
        source, lesson = self.find_lesson(lesson_id)
        source.lessons.remove(lesson)
        place(self.module(module_id).lessons, lesson, position)

    def reorder_lessons(self, module_id: str, lesson_ids: list[str]) -> None:
        self.ensure_open()
        permuted(self.module(module_id).lessons, lesson_ids)
        self._reorder_lessons(module_id=module_id, lesson_ids=lesson_ids)

    @event("LessonsReordered")
    def _reorder_lessons(self, module_id: str, lesson_ids: list[str]) -> None:
        module = self.module(module_id)
        module.lessons = permuted(module.lessons, lesson_ids)

    def remove_lesson(self, module_id: str, lesson_id: str) -> None:
        self.ensure_open()
        self.lesson_in(module_id, lesson_id)
        self.ensure_still_publishable(self.without_lesson(lesson_id))
        self._remove_lesson(lesson_id=lesson_id)

    @event("LessonRemoved")
    def _remove_lesson(self, lesson_id: str) -> None:
        module, lesson = self.find_lesson(lesson_id)
        module.lessons.remove(lesson)

    # -- quizzes ------------------------------------------------------------------------
    def set_quiz(self, module_id: str, lesson_id: str, quiz: Quiz) -> None:
        """Give a QUIZ lesson its questions, pass mark, attempt limit and shuffling (replacing
        any it had: attempts already made keep the grade they got)."""
        self.ensure_open()
        lesson = self.lesson_in(module_id, lesson_id)
        if lesson.type is not LessonType.QUIZ:
            raise InvalidStructureError("Only a QUIZ lesson holds a quiz")
        if quiz != lesson.quiz:
            self._set_quiz(lesson_id=lesson_id, quiz=quiz.as_dict())

    @event("QuizSet")
    def _set_quiz(self, lesson_id: str, quiz: dict[str, Any]) -> None:
        self.find_lesson(lesson_id)[1].quiz = Quiz.from_dict(quiz)

    def remove_quiz(self, module_id: str, lesson_id: str) -> None:
        self.ensure_open()
        if self.lesson_in(module_id, lesson_id).quiz is None:
            raise QuizNotFoundError
        self._remove_quiz(lesson_id=lesson_id)

    @event("QuizRemoved")
    def _remove_quiz(self, lesson_id: str) -> None:
        self.find_lesson(lesson_id)[1].quiz = None

    def quiz_in(self, module_id: str, lesson_id: str) -> Quiz:
        """The quiz of a lesson of the module; not found when the lesson has none."""
        quiz = self.lesson_in(module_id, lesson_id).quiz
        if quiz is None:
            raise QuizNotFoundError
        return quiz

    def quiz_lessons(self) -> frozenset[str]:
        """The lessons completed only by passing their quiz."""
        return frozenset(x.id for m in self.modules for x in m.lessons if x.quiz is not None)

    def without_lesson(self, lesson_id: str) -> list[Module]:
        """The modules as they would be without the lesson (for the publishing rule)."""
        return [
            Module(
                m.id,
                m.title,
                m.status,
                [x for x in m.lessons if x.id != lesson_id],
                m.prerequisite_ids,
            )
            for m in self.modules
        ]


class QuizHeldError(ConflictError):
    """A lesson holding a quiz stays a QUIZ lesson: its learners' attempts are graded by it."""

    message = "This lesson holds a quiz: remove the quiz before changing its type"


def ensure_material(url: str | None, content: str | None) -> None:
    if not url and not content:
        raise InvalidStructureError("A lesson needs a url or content")


MAX_LESSON_SECONDS = 24 * 3600


def ensure_duration(seconds: int | None) -> None:
    if seconds is not None and not 0 <= seconds <= MAX_LESSON_SECONDS:
        raise InvalidStructureError(f"durationSeconds must be 0-{MAX_LESSON_SECONDS}")


LESSON_FIELD_TYPES: dict[str, Any] = {
    "type": LessonType,
    "status": PartStatus,
    "duration_seconds": int,
}
