"""A course's structure as a JSON document: modules in order, each with its lessons in order.

The handlers mirror the Course aggregate's list operations on plain dicts, so the read model
needs nothing but the published events. Positions are 1-based; ``None`` means the end. A module
names the modules it requires in ``prerequisiteModuleIds`` once any were set (documents
written before have none, which is what they mean). A lesson holding a quiz keeps it, answers
and all, under ``quiz`` (as published: camelCase); only the quiz endpoints read it, and they
show learners no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.courses.unlocking import Plan, PlannedModule
from schemas.events import PublishedEvent
from schemas.published.catalog import (
    CourseLessonAdded,
    CourseLessonMoved,
    CourseLessonRemoved,
    CourseLessonsReordered,
    CourseLessonUpdated,
    CourseModuleAdded,
    CourseModulePrerequisitesSet,
    CourseModuleRemoved,
    CourseModulesReordered,
    CourseModuleUpdated,
    CourseQuizRemoved,
    CourseQuizSet,
)

Structure = list[dict[str, Any]]


def place(items: list, item: dict[str, Any], position: int | None) -> None:
    items.insert(len(items) if position is None else position - 1, item)


def in_order(items: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    by_id = {item["id"]: item for item in items}
    return [by_id[i] for i in ids]


def module(structure: Structure, module_id: str) -> dict[str, Any]:
    return next(m for m in structure if m["id"] == module_id)


def lesson_home(structure: Structure, lesson_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return next((m, x) for m in structure for x in m["lessons"] if x["id"] == lesson_id)


def module_added(s: Structure, event: PublishedEvent) -> None:
    d = CourseModuleAdded.of(event)
    place(s, {"id": d.module_id, "title": d.title, "status": d.status, "lessons": []}, d.position)


def module_updated(s: Structure, event: PublishedEvent) -> None:
    d = CourseModuleUpdated.of(event)
    module(s, d.module_id).update(d.changes)


def modules_reordered(s: Structure, event: PublishedEvent) -> None:
    s[:] = in_order(s, CourseModulesReordered.of(event).module_ids)


def module_removed(s: Structure, event: PublishedEvent) -> None:
    removed = CourseModuleRemoved.of(event).module_id
    s[:] = [m for m in s if m["id"] != removed]
    for other in s:  # as the aggregate does: what is gone can no longer be required
        required = other.get("prerequisiteModuleIds", [])
        if removed in required:
            required.remove(removed)


def module_prerequisites_set(s: Structure, event: PublishedEvent) -> None:
    d = CourseModulePrerequisitesSet.of(event)
    module(s, d.module_id)["prerequisiteModuleIds"] = list(d.prerequisite_module_ids)


def lesson_added(s: Structure, event: PublishedEvent) -> None:
    d = CourseLessonAdded.of(event)
    lesson = {
        "title": d.title,
        "type": d.type,
        "url": d.url,
        "content": d.content,
        "status": d.status,
        "durationSeconds": d.duration_seconds,
        "id": d.lesson_id,
    }
    place(module(s, d.module_id)["lessons"], lesson, d.position)


def lesson_updated(s: Structure, event: PublishedEvent) -> None:
    d = CourseLessonUpdated.of(event)
    lesson_home(s, d.lesson_id)[1].update(d.changes)


def lesson_moved(s: Structure, event: PublishedEvent) -> None:
    d = CourseLessonMoved.of(event)
    source, lesson = lesson_home(s, d.lesson_id)
    source["lessons"].remove(lesson)
    place(module(s, d.module_id)["lessons"], lesson, d.position)


def lessons_reordered(s: Structure, event: PublishedEvent) -> None:
    d = CourseLessonsReordered.of(event)
    target = module(s, d.module_id)
    target["lessons"] = in_order(target["lessons"], d.lesson_ids)


def lesson_removed(s: Structure, event: PublishedEvent) -> None:
    source, lesson = lesson_home(s, CourseLessonRemoved.of(event).lesson_id)
    source["lessons"].remove(lesson)


def quiz_set(s: Structure, event: PublishedEvent) -> None:
    d = CourseQuizSet.of(event)
    lesson_home(s, d.lesson_id)[1]["quiz"] = d.quiz


def quiz_removed(s: Structure, event: PublishedEvent) -> None:
    lesson_home(s, CourseQuizRemoved.of(event).lesson_id)[1].pop("quiz", None)


STRUCTURE_HANDLERS: dict[str, Callable[[Structure, PublishedEvent], None]] = {
    CourseModuleAdded.NAME: module_added,
    CourseModuleUpdated.NAME: module_updated,
    CourseModulesReordered.NAME: modules_reordered,
    CourseModuleRemoved.NAME: module_removed,
    CourseModulePrerequisitesSet.NAME: module_prerequisites_set,
    CourseLessonAdded.NAME: lesson_added,
    CourseLessonUpdated.NAME: lesson_updated,
    CourseLessonMoved.NAME: lesson_moved,
    CourseLessonsReordered.NAME: lessons_reordered,
    CourseLessonRemoved.NAME: lesson_removed,
    CourseQuizSet.NAME: quiz_set,
    CourseQuizRemoved.NAME: quiz_removed,
}
"""The course's events that change its structure, by published name."""


def published_only(structure: Structure) -> Structure:
    """What students see: published modules, and in them published lessons."""
    return [
        m | {"lessons": [x for x in m["lessons"] if x["status"] == "published"]}
        for m in structure
        if m["status"] == "published"
    ]


def plan(structure: Structure, sequential: bool) -> Plan:
    """The course's rules for learners, as ``Course.plan`` gives them on the write side."""
    return Plan(
        tuple(
            PlannedModule(
                m["id"],
                tuple(x["id"] for x in m["lessons"] if x["status"] == "published"),
                tuple(m.get("prerequisiteModuleIds", ())),
            )
            for m in published_only(structure)
        ),
        sequential,
    )


def published_module_count(structure: Structure) -> int:
    return sum(1 for m in structure if m["status"] == "published")
