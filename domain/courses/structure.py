"""The parts of a course's structure and the errors about them.

Modules and lessons are kept in lists; a part's ``order`` is its place in the list (1..n),
so orders are dense after any add, move, reorder or removal by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.courses.quiz import Quiz
from domain.errors import ConflictError, InvalidInputError, NotFoundError


class Difficulty(StrEnum):
    BEGINNER = "Beginner"
    INTERMEDIATE = "Intermediate"
    ADVANCED = "Advanced"


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class PartStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class LessonType(StrEnum):
    VIDEO = "VIDEO"
    PDF = "PDF"
    QUIZ = "QUIZ"
    ARTICLE = "ARTICLE"
    LIVE_SESSION = "LIVE_SESSION"
    CODE_SANDBOX = "CODE_SANDBOX"


@dataclass
class Lesson:
    id: str
    title: str
    type: LessonType
    url: str | None
    content: str | None
    status: PartStatus = PartStatus.DRAFT
    duration_seconds: int | None = None  # how long the lesson takes, as its author says
    quiz: Quiz | None = None  # a QUIZ lesson's graded questions, once its author sets them

    @property
    def is_published(self) -> bool:
        return self.status is PartStatus.PUBLISHED


@dataclass
class Module:
    id: str
    title: str
    status: PartStatus = PartStatus.DRAFT
    lessons: list[Lesson] = field(default_factory=list)
    prerequisite_ids: list[str] = field(default_factory=list)  # modules to complete first

    @property
    def is_published(self) -> bool:
        return self.status is PartStatus.PUBLISHED

    def has_published_lesson(self) -> bool:
        return any(lesson.is_published for lesson in self.lessons)


class CourseNotFoundError(NotFoundError):
    """No course has this id (or the caller may not see it)."""

    message = "Course not found"


class ModuleNotFoundError(NotFoundError):
    message = "Module not found"


class LessonNotFoundError(NotFoundError):
    message = "Lesson not found"


class CourseArchivedError(ConflictError):
    """An archived course is history: it takes no more changes."""

    message = "Course is archived and takes no changes"


class NotPublishableError(ConflictError):
    """A published course must offer something to learn."""

    message = "A published course needs a published module with a published lesson"


class InvalidStructureError(InvalidInputError):
    """A reorder that is not a permutation, a position out of range, a lesson without content."""

    message = "Invalid course structure"


def place(items: list, item: object, position: int | None) -> None:
    """Insert at 1-based ``position`` (default: the end)."""
    if position is None:
        items.append(item)
        return
    if not 1 <= position <= len(items) + 1:
        raise InvalidStructureError(f"Order must be between 1 and {len(items) + 1}")
    items.insert(position - 1, item)


def permuted(items: list, ids: list[str]) -> list:
    """The items in the order of ``ids``, which must name each item exactly once."""
    by_id = {item.id: item for item in items}
    if sorted(ids) != sorted(by_id):
        raise InvalidStructureError("The order must list every item exactly once")
    return [by_id[i] for i in ids]
