"""Drop the enrollment a payment paid for once that payment is refunded in full.

It follows a refund (see ``POLICIES`` in ``commands.handlers``): the learner got their money
back, so the course is no longer theirs; a partial refund (a goodwill gesture) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Commerce, Learning
from commands.contention import retried
from commands.payments.refund_payment import RefundPayment
from domain.commerce.payment_terms import Status
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Status as Progress


@dataclass(frozen=True)
class DropRefundedEnrollment:
    payment_id: UUID


def drop_refunded_enrollment(
    cmd: DropRefundedEnrollment, commerce: Commerce, learning: Learning
) -> bool:
    """Whether an enrollment was dropped."""
    payment = commerce.get_payment(cmd.payment_id)
    if payment.status is not Status.REFUNDED:
        return False

    def attempt() -> bool:
        found = learning.find(Enrollment.create_id(payment.user_id, payment.course_id))
        if found is None or found.payment_id != payment.id or found.status is Progress.DROPPED:
            return False
        found.drop()
        learning.save(found)
        return True

    return retried(attempt)


def after_refund(cmd: RefundPayment) -> DropRefundedEnrollment:
    return DropRefundedEnrollment(cmd.payment_id)
