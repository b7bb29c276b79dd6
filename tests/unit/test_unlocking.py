"""What a learner may study next: sequential courses, prerequisite modules and courses, and the
rules a course keeps so that a learner can always go on. In memory, on the aggregates."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.courses.course import Course
from domain.courses.structure import InvalidStructureError
from domain.courses.unlocking import (
    OPEN,
    LessonLockedError,
    Lock,
    Plan,
    PlannedModule,
    missing_courses,
    reaches,
)
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Source

AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
BASICS = PlannedModule("m1", ("l1", "l2"))
FURTHER = PlannedModule("m2", ("l3", "l4"), prerequisite_ids=("m1",))


def course_of(*shape: int, sequential: bool = False) -> Course:
    """A published course with modules of ``shape[i]`` published lessons each."""
    course = Course(uuid.uuid4(), "Course", "", "Testing", "Beginner", 10, 0, "NGN", None)
    for i, count in enumerate(shape, 1):
        course.add_module(f"m{i}", f"M{i}", "published")
        for j in range(1, count + 1):
            course.add_lesson(f"m{i}", f"m{i}l{j}", "L", "ARTICLE", content="x", status="published")
    course.make_sequential(sequential)
    return course


def study(course: Course, enrollment: Enrollment, lesson_id: str, progress: float = 1.0) -> None:
    published = course.published_lessons()
    enrollment.record_progress(
        published[lesson_id], lesson_id, progress, 60, None, AT, published, plan=course.plan()
    )


def enrolled(course: Course) -> Enrollment:
    return Enrollment.enroll(uuid.uuid4(), course.id, Source.FREE)


def test_a_course_without_rules_locks_nothing():
    unlocking = Plan((BASICS, PlannedModule("m2", ("l3",)))).unlocking(set())

    locks = [*unlocking.modules.values(), *unlocking.lessons.values()]
    assert not any(lock.locked for lock in locks)


def test_in_a_sequential_course_each_lesson_waits_for_the_one_before_across_modules():
    unlocking = Plan((BASICS, PlannedModule("m2", ("l3",))), sequential=True).unlocking({"l1"})

    assert unlocking.lesson("l1") == OPEN
    assert unlocking.lesson("l2") == OPEN
    assert unlocking.lesson("l3") == Lock(lesson_ids=("l2",))


def test_a_module_and_its_lessons_wait_for_its_prerequisite_modules():
    unlocking = Plan((BASICS, FURTHER)).unlocking({"l1"})

    assert unlocking.module("m2") == Lock(module_ids=("m1",))
    assert unlocking.lesson("l3") == Lock(module_ids=("m1",))
    assert unlocking.lesson("l1") == unlocking.lesson("l2") == OPEN


def test_a_module_unlocks_once_every_lesson_of_its_prerequisites_is_complete():
    unlocking = Plan((BASICS, FURTHER)).unlocking({"l1", "l2"})

    assert unlocking.module("m2") == unlocking.lesson("l3") == OPEN


def test_a_prerequisite_module_learners_do_not_see_asks_nothing_of_them():
    plan = Plan((PlannedModule("m2", ("l3",), prerequisite_ids=("draft-module",)),))

    assert plan.unlocking(set()).lesson("l3") == OPEN


def test_a_completed_lesson_stays_open_whatever_the_rules_say_later():
    unlocking = Plan((BASICS, FURTHER), sequential=True).unlocking({"l4"})

    assert unlocking.lesson("l4") == OPEN
    assert unlocking.lesson("l3") == Lock(lesson_ids=("l2",), module_ids=("m1",))


def test_progress_on_a_locked_lesson_is_refused_with_what_unlocks_it():
    course = course_of(2, sequential=True)
    enrollment = enrolled(course)

    with pytest.raises(LessonLockedError) as refused:
        study(course, enrollment, "m1l2")

    assert refused.value.details == {
        "lessonId": "m1l2",
        "unlockedBy": {"lessonIds": ["m1l1"], "moduleIds": [], "courseIds": []},
    }
    assert "m1l2" not in enrollment.lessons


def test_completing_the_lesson_before_unlocks_the_next():
    course = course_of(2, sequential=True)
    enrollment = enrolled(course)
    study(course, enrollment, "m1l1")
    study(course, enrollment, "m1l2")

    assert enrollment.is_completed


def test_partial_progress_does_not_unlock_the_next_lesson():
    course = course_of(2, sequential=True)
    enrollment = enrolled(course)
    study(course, enrollment, "m1l1", 0.9)

    with pytest.raises(LessonLockedError):
        study(course, enrollment, "m1l2")


def test_without_a_plan_the_course_staff_study_anything():
    course = course_of(2, sequential=True)
    enrollment = enrolled(course)
    published = course.published_lessons()

    enrollment.record_progress("m1", "m1l2", 1.0, 60, None, AT, published, plan=None)

    assert "m1l2" in enrollment.completed_lessons()


def test_making_a_course_sequential_keeps_what_learners_completed():
    course = course_of(3)
    enrollment = enrolled(course)
    study(course, enrollment, "m1l3")
    course.make_sequential(True)

    study(course, enrollment, "m1l3", 0.5)  # studying it again is still allowed
    assert enrollment.lessons["m1l3"]["progress"] == 1.0
    with pytest.raises(LessonLockedError):
        study(course, enrollment, "m1l2")


def test_module_prerequisites_must_name_modules_of_the_course():
    course = course_of(1, 1)

    with pytest.raises(InvalidStructureError, match="No module"):
        course.require_modules("m2", ["elsewhere"])


def test_a_module_cannot_require_itself():
    course = course_of(1)

    with pytest.raises(InvalidStructureError, match="cycle"):
        course.require_modules("m1", ["m1"])


def test_modules_cannot_require_each_other_in_a_cycle():
    course = course_of(1, 1, 1)
    course.require_modules("m2", ["m1"])
    course.require_modules("m3", ["m2"])

    with pytest.raises(InvalidStructureError, match="cycle"):
        course.require_modules("m1", ["m3"])


def test_in_a_sequential_course_a_module_cannot_require_a_later_one():
    course = course_of(1, 1, sequential=True)

    with pytest.raises(InvalidStructureError, match="before it"):
        course.require_modules("m1", ["m2"])


def test_a_course_requiring_a_later_module_cannot_become_sequential():
    course = course_of(1, 1)
    course.require_modules("m1", ["m2"])

    with pytest.raises(InvalidStructureError, match="before it"):
        course.make_sequential(True)


def test_a_sequential_course_cannot_move_a_module_before_its_prerequisite():
    course = course_of(1, 1, sequential=True)
    course.require_modules("m2", ["m1"])

    with pytest.raises(InvalidStructureError, match="before it"):
        course.move_module("m2", 1)
    with pytest.raises(InvalidStructureError, match="before it"):
        course.reorder_modules(["m2", "m1"])


def test_removing_a_module_removes_it_from_what_others_require():
    course = course_of(1, 1)
    course.require_modules("m2", ["m1"])
    course.remove_module("m1")

    assert course.module("m2").prerequisite_ids == []


def test_a_course_cannot_require_itself():
    course = course_of(1)

    with pytest.raises(InvalidStructureError, match="itself"):
        course.require_courses([str(course.id)])


def test_setting_the_same_rules_again_records_nothing():
    course = course_of(1, 1, sequential=True)
    course.require_modules("m2", ["m1"])
    course.require_courses(["c1"])
    course.collect_events()
    course.make_sequential(True)
    course.require_modules("m2", ["m1"])
    course.require_courses(["c1", "c1"])

    assert course.collect_events() == []


def test_a_learner_lacks_each_required_course_not_completed():
    assert missing_courses(["c1", "c2", "c3"], {"c2"}) == Lock(course_ids=("c1", "c3"))


def test_a_requirement_that_leads_back_to_its_course_closes_a_cycle():
    requires = {"b": ["c"], "c": ["a"], "d": []}.__getitem__

    assert reaches(["b"], "a", requires)
    assert not reaches(["d"], "a", requires)


# -- the property: no learner ever completes a locked lesson ------------------------------

SHAPES = st.lists(st.integers(0, 4), min_size=1, max_size=4)
RULES = st.lists(st.tuples(st.integers(0, 3), st.sets(st.integers(0, 3), max_size=3)), max_size=4)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("study"), st.integers(0, 15), st.sampled_from([0.4, 1.0])),
        st.tuples(st.just("sequential"), st.booleans(), st.just(0)),
        st.tuples(st.just("require"), st.integers(0, 3), st.sets(st.integers(0, 3), max_size=2)),
    ),
    max_size=30,
)


def set_rule(course: Course, module: int, required: set[int]) -> None:
    ids = [m.id for m in course.modules]
    # A rule that would lock learners out for good is refused (tested above): skip it.
    with contextlib.suppress(InvalidStructureError):
        course.require_modules(ids[module % len(ids)], [ids[r % len(ids)] for r in required])


def attempt(course: Course, enrollment: Enrollment, lesson_id: str, progress: float) -> None:
    before = enrollment.completed_lessons()
    lock = course.plan().unlocking(before).lesson(lesson_id)
    try:
        study(course, enrollment, lesson_id, progress)
    except LessonLockedError:
        assert lock.locked
        assert enrollment.completed_lessons() == before
    else:
        assert not lock.locked, f"{lesson_id} was studied while locked by {lock}"


@settings(max_examples=300, deadline=None)
@given(SHAPES, st.booleans(), RULES, STEPS)
def test_no_learner_ever_completes_a_locked_lesson(shape, sequential, rules, steps):
    course = course_of(*shape)
    with contextlib.suppress(InvalidStructureError):
        course.make_sequential(sequential)
    for module, required in rules:
        set_rule(course, module, required)
    enrollment = enrolled(course)
    lessons = list(course.published_lessons())
    for kind, a, b in steps:
        if kind == "study" and lessons:
            attempt(course, enrollment, lessons[a % len(lessons)], b)
        elif kind == "sequential":
            with contextlib.suppress(InvalidStructureError):
                course.make_sequential(a)
        elif kind == "require":
            set_rule(course, a, b)
        unlocking = course.plan().unlocking(enrollment.completed_lessons())
        assert not any(unlocking.lesson(x).locked for x in enrollment.completed_lessons())

    # And the rules never strand anyone: taking any open lesson, a learner finishes.
    while lessons and not enrollment.is_completed:
        unlocking = course.plan().unlocking(enrollment.completed_lessons())
        open_ = [x for x in lessons if x not in enrollment.completed_lessons()]
        study(course, enrollment, next(x for x in open_ if not unlocking.lesson(x).locked))
