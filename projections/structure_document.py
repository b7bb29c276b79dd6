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


def module_added(s: Structure, d: dict[str, Any]) -> None:
    place(
        s,
        {"id": d["moduleId"], "title": d["title"], "status": d["status"], "lessons": []},
        d["position"],
    )


def module_updated(s: Structure, d: dict[str, Any]) -> None:
    module(s, d["moduleId"]).update(d["changes"])


def modules_reordered(s: Structure, d: dict[str, Any]) -> None:
    s[:] = in_order(s, d["moduleIds"])


def module_removed(s: Structure, d: dict[str, Any]) -> None:
    s[:] = [m for m in s if m["id"] != d["moduleId"]]
    for other in s:  # as the aggregate does: what is gone can no longer be required
        required = other.get("prerequisiteModuleIds", [])
        if d["moduleId"] in required:
            required.remove(d["moduleId"])


def module_prerequisites_set(s: Structure, d: dict[str, Any]) -> None:
    module(s, d["moduleId"])["prerequisiteModuleIds"] = list(d["prerequisiteModuleIds"])


def lesson_added(s: Structure, d: dict[str, Any]) -> None:
    lesson = {k: d[k] for k in ("title", "type", "url", "content", "status", "durationSeconds")}
    lesson["id"] = d["lessonId"]
    place(module(s, d["moduleId"])["lessons"], lesson, d["position"])


def lesson_updated(s: Structure, d: dict[str, Any]) -> None:
    lesson_home(s, d["lessonId"])[1].update(d["changes"])


def lesson_moved(s: Structure, d: dict[str, Any]) -> None:
    source, lesson = lesson_home(s, d["lessonId"])
    source["lessons"].remove(lesson)
    place(module(s, d["moduleId"])["lessons"], lesson, d["position"])


def lessons_reordered(s: Structure, d: dict[str, Any]) -> None:
    target = module(s, d["moduleId"])
    target["lessons"] = in_order(target["lessons"], d["lessonIds"])


def lesson_removed(s: Structure, d: dict[str, Any]) -> None:
    source, lesson = lesson_home(s, d["lessonId"])
    source["lessons"].remove(lesson)


def quiz_set(s: Structure, d: dict[str, Any]) -> None:
    lesson_home(s, d["lessonId"])[1]["quiz"] = d["quiz"]


def quiz_removed(s: Structure, d: dict[str, Any]) -> None:
    lesson_home(s, d["lessonId"])[1].pop("quiz", None)


STRUCTURE_HANDLERS: dict[str, Callable[[Structure, dict[str, Any]], None]] = {
    "ModuleAdded": module_added,
    "ModuleUpdated": module_updated,
    "ModulesReordered": modules_reordered,
    "ModuleRemoved": module_removed,
    "ModulePrerequisitesSet": module_prerequisites_set,
    "LessonAdded": lesson_added,
    "LessonUpdated": lesson_updated,
    "LessonMoved": lesson_moved,
    "LessonsReordered": lessons_reordered,
    "LessonRemoved": lesson_removed,
    "QuizSet": quiz_set,
    "QuizRemoved": quiz_removed,
}


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
