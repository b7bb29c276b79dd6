"""Any sequence of structure changes keeps orders dense, and the read model agrees.

Hypothesis drives random adds, moves, reorders and removals of modules and lessons, and
changes of what learners must do first, through the Course aggregate; the structure document
that the catalog projection builds from the *published* events must equal the aggregate's own
structure, and give the same rules for learners.
"""

from __future__ import annotations

import contextlib
import random
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from commands.applications import Catalog
from domain.courses.course import Course
from domain.errors import DomainError
from infra.eventstore.environment import event_store_env
from infra.eventstore.publishing import read_published
from infra.settings import Settings
from projections.structure_document import STRUCTURE_HANDLERS, plan

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "add_module",
                "add_lesson",
                "move_module",
                "move_lesson",
                "time_lesson",
                "reorder_modules",
                "reorder_lessons",
                "remove_module",
                "remove_lesson",
                "publish_module",
                "publish_lesson",
                "require_modules",
                "make_sequential",
            ]
        ),
        st.integers(0, 50),
        st.integers(0, 50),
        st.randoms(use_true_random=False),
    ),
    max_size=40,
)


def new_course() -> Course:
    return Course(uuid.uuid4(), "Course", "", "Testing", "Beginner", 10, 0, "NGN", None)


def apply(course: Course, operation: str, a: int, b: int, rng: random.Random) -> None:
    modules = course.modules
    lessons = [(m.id, x.id) for m in modules for x in m.lessons]
    if operation == "add_module":
        course.add_module(
            str(uuid.uuid4()), f"M{a}", position=(a % (len(modules) + 1)) + 1 if b % 2 else None
        )
    elif operation == "add_lesson" and modules:
        target = modules[a % len(modules)]
        position = (b % (len(target.lessons) + 1)) + 1
        duration = 60 * a if b % 3 else None
        course.add_lesson(
            target.id,
            str(uuid.uuid4()),
            f"L{a}",
            "ARTICLE",
            content="text",
            position=position,
            duration_seconds=duration,
        )
    elif operation == "move_module" and modules:
        course.move_module(modules[a % len(modules)].id, (b % len(modules)) + 1)
    elif operation == "move_lesson" and lessons:
        module_id, lesson_id = lessons[a % len(lessons)]
        target = modules[b % len(modules)]
        room = len(target.lessons) + (0 if target.id == module_id else 1)
        course.update_lesson(module_id, lesson_id, to_module_id=target.id, order=(a % room) + 1)
    elif operation == "time_lesson" and lessons:
        course.update_lesson(*lessons[a % len(lessons)], duration_seconds=30 * b)
    elif operation == "reorder_modules" and modules:
        ids = [m.id for m in modules]
        rng.shuffle(ids)
        course.reorder_modules(ids)
    elif operation == "reorder_lessons" and modules:
        target = modules[a % len(modules)]
        ids = [x.id for x in target.lessons]
        rng.shuffle(ids)
        if ids:
            course.reorder_lessons(target.id, ids)
    elif operation == "remove_module" and modules:
        course.remove_module(modules[a % len(modules)].id)
    elif operation == "remove_lesson" and lessons:
        course.remove_lesson(*lessons[a % len(lessons)])
    elif operation == "publish_module" and modules:
        course.update_module(modules[a % len(modules)].id, status="published")
    elif operation == "publish_lesson" and lessons:
        course.update_lesson(*lessons[a % len(lessons)], status="published")
    elif operation == "require_modules" and modules:
        required = [m.id for m in modules if rng.random() < 0.4]
        course.require_modules(modules[a % len(modules)].id, required)
    elif operation == "make_sequential":
        course.make_sequential(bool(b % 2))


def as_document(course: Course) -> list[dict]:
    return [
        {
            "id": m.id,
            "title": m.title,
            "status": m.status.value,
            "prerequisiteModuleIds": m.prerequisite_ids,
            "lessons": [
                {
                    "id": x.id,
                    "title": x.title,
                    "type": x.type.value,
                    "url": x.url,
                    "content": x.content,
                    "status": x.status.value,
                    "durationSeconds": x.duration_seconds,
                }
                for x in m.lessons
            ],
        }
        for m in course.modules
    ]


@settings(max_examples=150, deadline=None)
@given(OPERATIONS)
def test_any_sequence_of_changes_keeps_orders_dense_and_the_read_model_equal(operations):
    catalog = Catalog(
        env=event_store_env(Settings(_env_file=None, database_url="memory"), "catalog")
    )
    course = new_course()
    for operation in operations:
        with contextlib.suppress(DomainError):  # a refused change changes nothing
            apply(course, *operation)
    catalog.save(course)

    document: list[dict] = []
    for event in read_published(catalog, 0, 10_000):
        if handler := STRUCTURE_HANDLERS.get(event.event_type):
            handler(document, event)
    # A module whose prerequisites were never set has none in the document.
    assert [{"prerequisiteModuleIds": [], **m} for m in document] == as_document(course)
    assert plan(document, course.sequential) == course.plan()
    replayed = catalog.get_course(course.id)
    assert as_document(replayed) == as_document(course)
    assert all(len({x.id for x in m.lessons}) == len(m.lessons) for m in replayed.modules)
