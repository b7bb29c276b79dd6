"""What a learner may study next, and what unlocks the rest: the one rule both sides apply.

The write side refuses progress on a locked lesson and the read side shows the same locks, both
by asking a ``Plan`` (a course's published outline and its rules) about a set of completed
lessons, so the two can never disagree.

* In a **sequential** course each published lesson, in course order across modules, unlocks
  when the published lesson before it is complete.
* A module with **prerequisite modules** unlocks, with each of its lessons, when every one of
  them is complete: each of its published lessons is. A module learners do not see (a draft)
  asks nothing of them, so it counts as complete.
* What a learner completed is never locked again: rules changed on a live course only
  concern new progress.

A course's instructor and admins are never locked: callers do not ask for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from domain.errors import ConflictError


@dataclass(frozen=True)
class Lock:
    """What is still missing before an item unlocks; nothing missing means it is open."""

    lesson_ids: tuple[str, ...] = ()
    module_ids: tuple[str, ...] = ()
    course_ids: tuple[str, ...] = ()

    @property
    def locked(self) -> bool:
        return bool(self.lesson_ids or self.module_ids or self.course_ids)

    def as_details(self) -> dict[str, list[str]]:
        return {
            "lessonIds": list(self.lesson_ids),
            "moduleIds": list(self.module_ids),
            "courseIds": list(self.course_ids),
        }


OPEN = Lock()


@dataclass(frozen=True)
class PlannedModule:
    """A module as learners see it: its published lessons in order, and what it requires."""

    id: str
    lesson_ids: tuple[str, ...]
    prerequisite_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unlocking:
    """The locks of one learner's modules and lessons; an item not named is open."""

    modules: Mapping[str, Lock] = field(default_factory=dict)
    lessons: Mapping[str, Lock] = field(default_factory=dict)

    def module(self, module_id: str) -> Lock:
        return self.modules.get(module_id, OPEN)

    def lesson(self, lesson_id: str) -> Lock:
        return self.lessons.get(lesson_id, OPEN)


NOTHING_LOCKED = Unlocking()


@dataclass(frozen=True)
class Plan:
    """A course's published modules in order, with its rules."""

    modules: tuple[PlannedModule, ...]
    sequential: bool = False

    def unlocking(self, completed: AbstractSet[str]) -> Unlocking:
        """The locks of a learner who completed the lessons ``completed``."""
        seen = {m.id for m in self.modules}
        done = {m.id for m in self.modules if set(m.lesson_ids) <= completed}
        modules, lessons, before = {}, {}, None
        for module in self.modules:
            missing = tuple(p for p in module.prerequisite_ids if p in seen and p not in done)
            modules[module.id] = OPEN if module.id in done else Lock(module_ids=missing)
            for lesson_id in module.lesson_ids:
                behind = self.sequential and before is not None and before not in completed
                waiting = (before,) if behind else ()
                open_ = lesson_id in completed or not (waiting or missing)
                lessons[lesson_id] = OPEN if open_ else Lock(waiting, missing)
                before = lesson_id
        return Unlocking(modules, lessons)


class LessonLockedError(ConflictError):
    """Progress on a lesson its learner has not unlocked yet."""

    message = "This lesson is locked"

    def __init__(self, lesson_id: str, lock: Lock) -> None:
        super().__init__(
            f"{self.message}: {describe(lock)} first",
            {"lessonId": lesson_id, "unlockedBy": lock.as_details()},
        )


class PrerequisiteCoursesMissingError(ConflictError):
    """Enrolling before completing the courses this one requires."""

    message = "This course requires other courses first"

    def __init__(self, course_id: str, lock: Lock) -> None:
        super().__init__(
            f"{self.message}: {describe(lock)}",
            {"courseId": course_id, "unlockedBy": lock.as_details()},
        )


def describe(lock: Lock) -> str:
    parts = [
        f"complete {kind} {', '.join(ids)}"
        for kind, ids in (
            ("lesson", lock.lesson_ids),
            ("module", lock.module_ids),
            ("course", lock.course_ids),
        )
        if ids
    ]
    return " and ".join(parts)


def missing_courses(required: Sequence[str], completed: AbstractSet[str]) -> Lock:
    """What a learner lacks of the courses a course requires (each completed enrollment)."""
    return Lock(course_ids=tuple(c for c in required if c not in completed))


def reaches(start: Iterable[str], target: str, requires: Callable[[str], Iterable[str]]) -> bool:
    """Whether following ``requires`` from ``start`` leads to ``target``: requiring it would
    close a cycle."""
    seen: set[str] = set()
    waiting = list(start)
    while waiting:
        current = waiting.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            waiting.extend(requires(current))
    return False
