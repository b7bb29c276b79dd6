"""Studying through the bus: progress in lessons, lessons unlocked in sequence, quizzes and
their attempt limit, and rating a course."""

from __future__ import annotations

import pytest

from commands.learning.attempt_quiz import AttemptQuiz
from commands.learning.rate_course import NotEnrolledError, RateCourse
from commands.learning.update_progress import UpdateProgress
from commands.payments.refund_payment import RefundPayment
from domain.actor import Actor
from domain.courses.grading import Answer
from domain.courses.quiz import NotEnrolledInCourseError
from domain.courses.unlocking import LessonLockedError
from domain.errors import InvalidInputError
from domain.learning.enrollment import (
    EnrollmentDroppedError,
    QuizAttemptsUsedUpError,
    QuizNotPassedError,
)
from domain.learning.enrollment_terms import EnrollmentNotFoundError, Status
from ops.bootstrap import Campus
from tests.unit.bus import (
    Course,
    admin,
    bought,
    course_with_quiz,
    enrolled,
    instructor,
    person,
    published_course,
    study,
)

RIGHT = (("q1", Answer(option_ids=frozenset({"four"}))),)
WRONG = (("q1", Answer(option_ids=frozenset({"three"}))),)


def answer(campus: Campus, learner: Actor, course: Course, answers=RIGHT):
    command = AttemptQuiz(learner, course.id, course.module_id, course.lesson_ids[0], answers)
    return campus.bus.handle(command)


def test_studying_every_lesson_to_its_end_completes_the_enrollment(campus):
    course, ada = published_course(campus, instructor(campus), lessons=2), person(campus, "Ada")
    enrolled(campus, ada, course)
    halfway = study(campus, ada, course, 0)
    assert (halfway.progress, halfway.status) == (0.5, Status.IN_PROGRESS)
    done = study(campus, ada, course, 1)
    assert (done.progress, done.status) == (1.0, Status.COMPLETED)


def test_a_lessons_progress_never_goes_backwards(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    study(campus, ada, course, progress=0.8)
    later = study(campus, ada, course, progress=0.3)
    assert later.lessons[course.lesson_ids[0]]["progress"] == 0.8


def test_progress_is_a_share_between_0_and_1(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    with pytest.raises(InvalidInputError):
        study(campus, ada, course, progress=1.5)


def test_a_locked_lesson_refuses_progress(campus):
    course = published_course(campus, instructor(campus), lessons=2, sequential=True)
    ada = person(campus, "Ada")
    enrolled(campus, ada, course)
    with pytest.raises(LessonLockedError):
        study(campus, ada, course, 1)
    study(campus, ada, course, 0)
    assert study(campus, ada, course, 1).status is Status.COMPLETED


def test_the_courses_instructor_is_never_locked_out(campus):
    grace = instructor(campus)
    course = published_course(campus, grace, lessons=2, sequential=True)
    enrolled(campus, grace, course)
    assert study(campus, grace, course, 1).progress == 0.5


def test_an_enrollment_dropped_by_a_refund_records_no_more_progress(campus):
    course = published_course(campus, instructor(campus), price=100_000, lessons=2)
    ada = person(campus, "Ada")
    enrollment = bought(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), enrollment.payment_id, None, "refund"))
    with pytest.raises(EnrollmentDroppedError):
        study(campus, ada, course)


def test_another_learners_enrollment_does_not_exist_for_them(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrollment = enrolled(campus, ada, course)
    bob = person(campus, "Bob")
    command = UpdateProgress(bob, enrollment.id, course.module_id, course.lesson_ids[0], 1.0)
    with pytest.raises(EnrollmentNotFoundError):
        campus.bus.handle(command)
    assert campus.apps["learning"].get_enrollment(enrollment.id).progress == 0.0


def test_a_quiz_lesson_is_completed_by_passing_its_quiz_not_by_progress(campus):
    course, ada = course_with_quiz(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    with pytest.raises(QuizNotPassedError):
        study(campus, ada, course)
    outcome = answer(campus, ada, course)
    assert outcome.passed and outcome.lesson_completed
    assert outcome.enrollment.status is Status.COMPLETED


def test_a_failed_attempt_counts_and_completes_nothing(campus):
    course, ada = course_with_quiz(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    outcome = answer(campus, ada, course, WRONG)
    assert (outcome.attempt, outcome.passed, outcome.lesson_completed) == (1, False, False)


def test_a_quiz_attempt_beyond_the_limit_is_refused(campus):
    course = course_with_quiz(campus, instructor(campus), max_attempts=2)
    ada = person(campus, "Ada")
    enrollment = enrolled(campus, ada, course)
    answer(campus, ada, course, WRONG)
    assert answer(campus, ada, course, WRONG).attempts_left == 0
    with pytest.raises(QuizAttemptsUsedUpError):
        answer(campus, ada, course)
    saved = campus.apps["learning"].get_enrollment(enrollment.id)
    assert saved.quiz_attempts(course.lesson_ids[0]) == 2 and not saved.is_completed


def test_only_enrolled_learners_take_a_quiz(campus):
    course = course_with_quiz(campus, instructor(campus))
    with pytest.raises(NotEnrolledInCourseError):
        answer(campus, person(campus, "Ada"), course)


def test_the_instructors_attempt_is_a_preview_that_records_nothing(campus):
    grace = instructor(campus)
    course = course_with_quiz(campus, grace, max_attempts=1)
    for _ in range(3):
        preview = answer(campus, grace, course)
        assert (preview.attempt, preview.enrollment, preview.grade.passed) == (None, None, True)


def test_only_enrolled_learners_rate_a_course(campus):
    course = published_course(campus, instructor(campus))
    with pytest.raises(NotEnrolledError):
        campus.bus.handle(RateCourse(person(campus, "Ada"), course.id, 5))


def test_rating_again_changes_the_learners_rating(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrollment = enrolled(campus, ada, course)
    campus.bus.handle(RateCourse(ada, course.id, 5))
    campus.bus.handle(RateCourse(ada, course.id, 2))
    assert campus.apps["learning"].get_enrollment(enrollment.id).rating == 2


def test_a_rating_is_one_to_five_stars(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    with pytest.raises(InvalidInputError):
        campus.bus.handle(RateCourse(ada, course.id, 6))


def test_a_learner_refunded_in_full_no_longer_rates_the_course(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    ada = person(campus, "Ada")
    enrollment = bought(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), enrollment.payment_id, None, "refund"))
    with pytest.raises(EnrollmentDroppedError):
        campus.bus.handle(RateCourse(ada, course.id, 1))
    assert campus.apps["learning"].get_enrollment(enrollment.id).rating is None
