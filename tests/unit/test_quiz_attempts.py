"""Quizzes on the aggregates, in memory: a course holds a QUIZ lesson's quiz, an enrollment
records each graded attempt, and only a passed quiz completes its lesson."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.courses.course import Course, QuizHeldError
from domain.courses.grading import Answer
from domain.courses.quiz import Option, Question, QuestionKind, Quiz, QuizNotFoundError
from domain.courses.structure import InvalidStructureError
from domain.courses.unlocking import LessonLockedError
from domain.learning.enrollment import Enrollment, QuizAttemptsUsedUpError, QuizNotPassedError
from domain.learning.enrollment_terms import Source, Status

AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
QUIZ = Quiz(
    (
        Question("q1", QuestionKind.NUMERIC, "2 + 2?", answer=4),
        Question(
            "q2",
            QuestionKind.SINGLE_CHOICE,
            "Sky?",
            (Option("a", "Blue", True), Option("b", "Red")),
        ),
    ),
    pass_mark=100,
    max_attempts=2,
)
RIGHT = {"q1": Answer(number=4), "q2": Answer(frozenset({"a"}))}
WRONG = {"q1": Answer(number=5), "q2": Answer(frozenset({"a"}))}


def course_with_quiz(sequential: bool = False) -> Course:
    course = Course(uuid.uuid4(), "Course", "", "Testing", "Beginner", 10, 0, "NGN", None)
    course.add_module("m1", "M1", "published")
    course.add_lesson("m1", "read", "Read", "ARTICLE", content="x", status="published")
    course.add_lesson("m1", "check", "Check", "QUIZ", content="x", status="published")
    course.set_quiz("m1", "check", QUIZ)
    course.make_sequential(sequential)
    return course


def enrolled(course: Course) -> Enrollment:
    enrollment = Enrollment.enroll(uuid.uuid4(), course.id, Source.FREE)
    enrollment.collect_events()
    return enrollment


def attempt(course: Course, enrollment: Enrollment, answers: dict[str, Answer]):
    published = course.published_lessons()
    return enrollment.attempt_quiz("m1", "check", QUIZ, answers, AT, published, course.plan())


def study(course: Course, enrollment: Enrollment, lesson_id: str, progress: float) -> None:
    enrollment.record_progress(
        "m1",
        lesson_id,
        progress,
        60,
        None,
        AT,
        course.published_lessons(),
        plan=course.plan(),
        quiz_lessons=course.quiz_lessons(),
    )


def test_only_a_quiz_lesson_holds_a_quiz():
    course = course_with_quiz()

    with pytest.raises(InvalidStructureError, match="QUIZ"):
        course.set_quiz("m1", "read", QUIZ)


def test_a_lesson_holding_a_quiz_keeps_its_type_until_the_quiz_is_removed():
    course = course_with_quiz()

    with pytest.raises(QuizHeldError):
        course.update_lesson("m1", "check", type="ARTICLE")
    course.remove_quiz("m1", "check")
    course.update_lesson("m1", "check", type="ARTICLE")
    with pytest.raises(QuizNotFoundError):
        course.quiz_in("m1", "check")


def test_setting_the_same_quiz_again_records_nothing():
    course = course_with_quiz()
    course.collect_events()

    course.set_quiz("m1", "check", QUIZ)

    assert course.collect_events() == []


def test_a_failed_attempt_is_recorded_and_leaves_the_lesson_incomplete():
    course = course_with_quiz()
    enrollment = enrolled(course)

    graded = attempt(course, enrollment, WRONG)

    assert (graded.score, graded.passed) == (50.0, False)
    assert [type(e).__name__ for e in enrollment.collect_events()] == ["QuizAttempted"]
    assert enrollment.quiz_attempts("check") == 1 and "check" not in enrollment.completed_lessons()


def test_passing_completes_the_lesson_as_progress_would_and_with_it_the_course():
    course = course_with_quiz()
    enrollment = enrolled(course)
    study(course, enrollment, "read", 1.0)
    enrollment.collect_events()

    attempt(course, enrollment, RIGHT)

    names = [type(e).__name__ for e in enrollment.collect_events()]
    assert names == ["QuizAttempted", "LessonProgressed", "Completed"]
    assert enrollment.status is Status.COMPLETED and enrollment.progress == 1.0


def test_progress_cannot_complete_a_quiz_lesson_before_its_quiz_is_passed():
    course = course_with_quiz()
    enrollment = enrolled(course)

    study(course, enrollment, "check", 0.5)  # opening the quiz counts as a visit
    with pytest.raises(QuizNotPassedError) as refused:
        study(course, enrollment, "check", 1.0)

    assert refused.value.details == {"lessonId": "check"}
    assert "check" not in enrollment.completed_lessons()


def test_progress_may_report_a_quiz_lesson_complete_once_its_quiz_is_passed():
    course = course_with_quiz()
    enrollment = enrolled(course)
    attempt(course, enrollment, RIGHT)

    study(course, enrollment, "check", 1.0)

    assert "check" in enrollment.completed_lessons()


def test_an_attempt_past_the_limit_is_refused_saying_how_many_were_used():
    course = course_with_quiz()
    enrollment = enrolled(course)
    attempt(course, enrollment, WRONG)
    attempt(course, enrollment, WRONG)

    with pytest.raises(QuizAttemptsUsedUpError) as refused:
        attempt(course, enrollment, RIGHT)

    assert refused.value.details == {"lessonId": "check", "attemptsUsed": 2, "maxAttempts": 2}


def test_the_best_score_is_kept_over_attempts():
    course = course_with_quiz()
    enrollment = enrolled(course)
    attempt(course, enrollment, RIGHT)
    attempt(course, enrollment, WRONG)

    assert enrollment.best_quiz_score("check") == 100.0 and enrollment.passed_quiz("check")


def test_a_locked_quiz_takes_no_attempt():
    course = course_with_quiz(sequential=True)
    enrollment = enrolled(course)

    with pytest.raises(LessonLockedError):
        attempt(course, enrollment, RIGHT)


def test_a_snapshot_taken_before_quizzes_loads_with_no_attempts():
    state: dict = {}

    Enrollment.upcast_v1_v2(state)

    assert state == {"quizzes": {}}
