"""The CoursePurchase aggregate: one learner's payments for one course.

Its id is derived from (learner, course), so every checkout of that course by that learner
writes to it: at most one payment is open at a time and a paid course is not sold twice,
even when a double click or a retry without an idempotency key sends two checkouts at once.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError


class AlreadyPaidError(ConflictError):
    message = "You have already paid for this course"


class PaymentInProgressError(ConflictError):
    message = "A payment for this course is already in progress"


class CoursePurchase(Aggregate):
    @staticmethod
    def create_id(user_id: UUID, course_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:purchase:{user_id}:{course_id}")

    @event("Started")
    def __init__(self, user_id: UUID, course_id: UUID) -> None:
        self.user_id, self.course_id = user_id, course_id
        self.open_payment_id: UUID | None = None
        self.paid_payment_id: UUID | None = None

    def open(self, payment_id: UUID) -> None:
        if self.paid_payment_id is not None:
            raise AlreadyPaidError
        if self.open_payment_id is not None:
            raise PaymentInProgressError
        self._open(payment_id)

    @event("PaymentOpened")
    def _open(self, payment_id: UUID) -> None:
        self.open_payment_id = payment_id

    def paid_first_by_another(self, payment_id: UUID) -> UUID | None:
        """The payment that paid for the course before this one did, if any: the learner paid
        twice, and the later payment is the one owed back."""
        return None if self.paid_payment_id == payment_id else self.paid_payment_id

    def close(self, payment_id: UUID, paid: bool) -> None:
        """The payment settled; a paid one (even one that settled late) owns the purchase. The
        caller closes a second paid payment as unpaid: it is owed back, and the first keeps it."""
        news = self.paid_payment_id != payment_id if paid else self.open_payment_id == payment_id
        if news:
            self._close(payment_id, paid)

    @event("PaymentClosed")
    def _close(self, payment_id: UUID, paid: bool) -> None:
        if self.open_payment_id == payment_id:
            self.open_payment_id = None
        if paid:
            self.paid_payment_id = payment_id

    def refund(self, payment_id: UUID) -> None:
        """The paid payment was refunded in full: the course may be bought again."""
        if self.paid_payment_id == payment_id:
            self._refund(payment_id)

    @event("Refunded")
    def _refund(self, payment_id: UUID) -> None:
        self.paid_payment_id = None
