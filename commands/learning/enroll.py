"""Enroll a learner in a course: paid for, free, or granted by an admin.

A paid course needs a successful payment by that learner for that course (the learner's
purchase names it when no ``paymentId`` is given). A course that requires other courses
takes only learners who completed each (their enrollments there say so, in the event store);
the course's instructor and admins need none, and an admin's grant waives them as it waives
the payment. The enrollment's id is derived from (learner, course), so concurrent requests
enroll once and the others get 409; a learner whose enrollment a full refund dropped is taken
back by the same enrollment when they pay again.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Catalog, Commerce, Identity, Learning
from domain.actor import Actor
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Status
from domain.courses.course import Course
from domain.courses.structure import CourseNotFoundError
from domain.courses.unlocking import PrerequisiteCoursesMissingError
from domain.errors import ForbiddenError, InvalidInputError, PaymentRequiredError
from domain.learning.enrollment import AlreadyEnrolledError, Enrollment
from domain.learning.enrollment_terms import Source
from domain.users.user import User

PAID = (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED)


class PaymentMissingError(PaymentRequiredError):
    message = "A successful payment for this course is required"


@dataclass(frozen=True)
class EnrollInCourse:
    actor: Actor
    user_id: UUID
    course_id: UUID
    payment_id: UUID | None = None


def enroll(
    cmd: EnrollInCourse,
    learning: Learning,
    catalog: Catalog,
    commerce: Commerce,
    identity: Identity,
) -> Enrollment:
    admission = admit(cmd, catalog, commerce, identity)
    admitted = admission.enrollment
    # Taken back after a refund, a learner met the course's rules once: later ones take
    # nothing away (and the structure shows such a learner the course open).
    enrollment = readmitted(learning, admitted)
    if enrollment is None and admitted.source is not Source.GRANT:
        ensure_prerequisites_met(admission, learning)
    enrollment = enrollment or admitted
    try:
        learning.save(enrollment)
    except IntegrityError:  # the id is (learner, course)'s: someone enrolled first
        raise AlreadyEnrolledError from None
    return enrollment


def readmitted(learning: Learning, admitted: Enrollment) -> Enrollment | None:
    """The learner's earlier enrollment taking them back, when a refund dropped it (a course
    refunded in full can be bought again); None when there is none."""
    earlier: Enrollment | None = learning.find(admitted.id)
    if earlier is not None:
        earlier.readmit(admitted.source, admitted.payment_id, admitted.granted_by)
    return earlier


@dataclass(frozen=True)
class Admission:
    """The enrollment a command makes, with the learner and course it was checked against."""

    enrollment: Enrollment
    learner: User
    course: Course


def admit(
    cmd: EnrollInCourse, catalog: Catalog, commerce: Commerce, identity: Identity
) -> Admission:
    """The enrollment the command makes, every rule checked but not saved: whether the learner
    is enrolled already is the event store's to say (a dry run asks it; ``enroll`` saves)."""
    granted = cmd.actor.is_admin and cmd.payment_id is None
    if cmd.user_id != cmd.actor.user_id and not cmd.actor.is_admin:
        raise ForbiddenError("You can only enroll yourself")
    learner = identity.get_user(cmd.user_id)  # 404 for a learner who does not exist
    course = catalog.get_course(cmd.course_id)
    if not course.is_published:
        raise CourseNotFoundError
    if granted:
        source, payment_id = Source.GRANT, None
    elif course.price == 0 and cmd.payment_id is None:
        source, payment_id = Source.FREE, None
    else:
        source, payment_id = Source.PAYMENT, paid_for(cmd, commerce)
    granted_by = cmd.actor.user_id if granted else None
    enrollment = Enrollment.enroll(cmd.user_id, cmd.course_id, source, payment_id, granted_by)
    return Admission(enrollment, learner, course)


def ensure_prerequisites_met(admission: Admission, learning: Learning) -> None:
    course, learner = admission.course, admission.learner
    if not course.prerequisite_course_ids:
        return
    if Actor(learner.id, learner.role.value).is_staff_of(course.instructor_id):
        return
    completed = {
        other
        for other in course.prerequisite_course_ids
        if (found := learning.find(Enrollment.create_id(learner.id, UUID(other)))) is not None
        and found.is_completed
    }
    lock = course.missing_prerequisites(completed)
    if lock.locked:
        raise PrerequisiteCoursesMissingError(str(course.id), lock)


def paid_for(cmd: EnrollInCourse, commerce: Commerce) -> UUID:
    """The learner's successful payment for the course, checked on the write side."""
    payment_id = cmd.payment_id or commerce.get_purchase(cmd.user_id, cmd.course_id).paid_payment_id
    if payment_id is None:
        raise PaymentMissingError
    payment: Payment | None = commerce.find(payment_id)
    if (
        payment is None
        or (payment.user_id, payment.course_id) != (cmd.user_id, cmd.course_id)
        or payment.status not in PAID
        or payment.paid_twice  # owed back: the learner's first payment paid for the course
    ):
        raise InvalidInputError(
            "paymentId is not a successful payment by this user for this course"
        )
    return payment.id
