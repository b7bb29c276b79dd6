"""Drop every enrollment whose payment was refunded in full, however the refund completed.

Whatever completes a full refund drops its enrollment at once: an admin's request
(``after_refund``), Paystack's webhook, the refund reconciler. But the process may stop between
the refund and the drop, which live in two applications, so this sweep takes the enrollments
left from the read models; without it the learner would keep the course and their money.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from commands.applications import Commerce, Learning
from commands.learning.drop_enrollment import DropRefundedEnrollment, drop_refunded_enrollment
from domain.errors import DomainError

log = logging.getLogger(__name__)


class RefundedEnrollments(Protocol):
    def __call__(self) -> list[UUID]:
        """The ids of payments refunded in full whose enrollment is not dropped."""


@dataclass(frozen=True)
class DropRefundedEnrollments:
    pass


def drop_refunded_enrollments(
    cmd: DropRefundedEnrollments,
    refunded_enrollments: RefundedEnrollments,
    commerce: Commerce,
    learning: Learning,
) -> int:
    """Answer how many enrollments were dropped."""
    dropped = 0
    for payment_id in refunded_enrollments():
        try:
            dropped += drop_refunded_enrollment(
                DropRefundedEnrollment(payment_id), commerce, learning
            )
        except DomainError:  # one the books refuse holds up no other
            log.exception("The enrollment paid by %s could not be dropped", payment_id)
    return dropped
