"""Enrolling through the bus: free, paid and granted enrollments, the courses a course requires,
and an admin's bulk enrollment with its dry run."""

from __future__ import annotations

import pytest

from commands.courses.update_course import UpdateCourse
from commands.learning.enroll import EnrollInCourse, PaymentMissingError
from commands.learning.enroll_in_bulk import BulkRow, EnrollInBulk, Outcome
from commands.payments.refund_payment import RefundPayment
from domain.courses.structure import CourseNotFoundError
from domain.courses.unlocking import PrerequisiteCoursesMissingError
from domain.errors import ForbiddenError, InvalidInputError
from domain.learning.enrollment import AlreadyEnrolledError, Enrollment
from domain.learning.enrollment_terms import Source, Status
from ops.bootstrap import Campus
from tests.unit.bus import (
    Course,
    admin,
    bought,
    completed,
    enrolled,
    instructor,
    pay_by_card,
    person,
    published_course,
)


def requiring(campus: Campus, required: Course, price: int = 0) -> Course:
    """A course that takes only learners who completed ``required``."""
    course = published_course(campus, required.owner, price=price)
    command = UpdateCourse(course.owner, course.id, prerequisite_course_ids=(required.id,))
    campus.bus.handle(command)
    return course


def test_a_free_course_enrolls_a_learner_without_a_payment(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrollment = enrolled(campus, ada, course)
    saved = campus.apps["learning"].get_enrollment(enrollment.id)
    assert (saved.source, saved.payment_id) == (Source.FREE, None)


def test_a_paid_course_needs_a_successful_payment(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    with pytest.raises(PaymentMissingError):
        enrolled(campus, person(campus, "Ada"), course)


def test_the_learners_own_payment_enrolls_them_without_naming_it(campus):
    course, ada = published_course(campus, instructor(campus), price=100_000), person(campus, "Ada")
    payment = pay_by_card(campus, ada, course)
    enrollment = enrolled(campus, ada, course)
    assert (enrollment.source, enrollment.payment_id) == (Source.PAYMENT, payment.id)


def test_another_learners_payment_does_not_enroll(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    payment = pay_by_card(campus, ada, course)
    with pytest.raises(InvalidInputError):
        campus.bus.handle(EnrollInCourse(bob, bob.user_id, course.id, payment.id))


def test_a_second_enrollment_in_the_same_course_is_a_conflict(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    enrolled(campus, ada, course)
    with pytest.raises(AlreadyEnrolledError):
        enrolled(campus, ada, course)


def test_a_learner_who_buys_a_refunded_course_again_is_enrolled_again(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    ada = person(campus, "Ada")
    first = bought(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), first.payment_id, None, "refund"))
    again = pay_by_card(campus, ada, course)
    enrollment = campus.bus.handle(EnrollInCourse(ada, ada.user_id, course.id, again.id))
    assert (enrollment.status, enrollment.payment_id) == (Status.IN_PROGRESS, again.id)
    assert enrollment.id == first.id  # the same enrollment, its progress kept


def test_a_learner_enrolled_already_is_not_readmitted(campus):
    course = published_course(campus, instructor(campus), price=100_000)
    ada = person(campus, "Ada")
    first = bought(campus, ada, course)
    with pytest.raises(AlreadyEnrolledError):
        campus.bus.handle(EnrollInCourse(ada, ada.user_id, course.id, first.payment_id))


def test_a_learner_enrolls_only_themselves(campus):
    course = published_course(campus, instructor(campus))
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    with pytest.raises(ForbiddenError):
        campus.bus.handle(EnrollInCourse(ada, bob.user_id, course.id))
    assert campus.apps["learning"].find(Enrollment.create_id(bob.user_id, course.id)) is None


def test_a_draft_course_takes_no_learners(campus):
    draft = published_course(campus, instructor(campus), publish=False)
    with pytest.raises(CourseNotFoundError):
        enrolled(campus, person(campus, "Ada"), draft)


def test_a_course_requiring_another_takes_only_learners_who_completed_it(campus):
    basics = published_course(campus, instructor(campus))
    advanced, ada = requiring(campus, basics), person(campus, "Ada")
    with pytest.raises(PrerequisiteCoursesMissingError):
        enrolled(campus, ada, advanced)
    completed(campus, ada, basics)
    assert enrolled(campus, ada, advanced).source is Source.FREE


def test_an_admins_grant_waives_the_payment_and_the_required_courses(campus):
    basics = published_course(campus, instructor(campus))
    advanced = requiring(campus, basics, price=100_000)
    ada, root = person(campus, "Ada"), admin(campus)
    enrollment = campus.bus.handle(EnrollInCourse(root, ada.user_id, advanced.id))
    assert (enrollment.source, enrollment.granted_by) == (Source.GRANT, root.user_id)


def test_only_admins_enroll_learners_in_bulk(campus):
    course = published_course(campus, instructor(campus))
    ada = person(campus, "Ada")
    with pytest.raises(ForbiddenError):
        campus.bus.handle(EnrollInBulk(ada, (BulkRow("ada@example.com", str(course.id)),)))


def test_a_bulk_dry_run_predicts_each_row_and_enrolls_nobody(campus):
    course, ada = published_course(campus, instructor(campus)), person(campus, "Ada")
    rows = (
        BulkRow("Ada@Example.com", str(course.id)),
        BulkRow("nobody@example.com", str(course.id)),
    )
    report = campus.bus.handle(EnrollInBulk(admin(campus), rows, dry_run=True))
    assert [r.outcome for r in report.rows] == [Outcome.WOULD_ENROLL, Outcome.UNKNOWN_USER]
    assert campus.apps["learning"].find(Enrollment.create_id(ada.user_id, course.id)) is None


def test_a_bulk_run_reports_every_row_and_goes_on_past_the_bad_ones(campus):
    course = published_course(campus, instructor(campus))
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    enrolled(campus, bob, course)
    rows = (
        BulkRow("not-an-address", str(course.id)),
        BulkRow("ada@example.com", str(course.id)),
        BulkRow("ada@example.com", str(course.id)),
        BulkRow("bob@example.com", str(course.id)),
        BulkRow("ada@example.com", "00000000-0000-0000-0000-000000000000"),
    )
    report = campus.bus.handle(EnrollInBulk(admin(campus), rows))
    assert [r.outcome for r in report.rows] == [
        Outcome.INVALID_ROW,
        Outcome.ENROLLED,
        Outcome.DUPLICATE_ROW,
        Outcome.ALREADY_ENROLLED,
        Outcome.UNKNOWN_COURSE,
    ]
    enrollment = campus.apps["learning"].get_enrollment(report.rows[1].enrollment_id)
    assert (enrollment.user_id, enrollment.source) == (ada.user_id, Source.GRANT)
