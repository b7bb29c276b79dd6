"""The Payment aggregate: one attempt to pay for one course, from initiation to refund.

    initiated ──► pending ──────────────────────► succeeded ──► refunded
        │  │        ▲   │                                └──────► partially_refunded
        │  └──► authorizing ◄──┘ (the payer's next step)
        └───────────┴──────┴──► failed

A Paystack checkout is pending while the learner pays on Paystack's page. A card charge is
pending while the gateway has not decided (it said "pending", or its answer never came), and
authorizing while it waits for the payer's next step (a PIN, an OTP, ...). The secrets the
payer sends never reach an event: only the step asked for and the gateway's words do.

The amount is fixed at initiation from the course price and the discounts and never changes:
a gateway that reports another amount or currency does not make the payment succeed. A refund
is recorded as started before the gateway is asked, so two admins refunding at once cannot
both get money back for the same payment. A payment for a course another payment had paid for
already is owed back whole (``owe_back``): its refund is claimed with its success.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commerce.payment_terms import (
    EXPIRED,
    OPEN,
    PAID,
    PUBLIC_STATUS,
    Method,
    NextStep,
    Status,
    transaction_id_of,
)
from domain.commerce.pricing import Quote
from domain.errors import ConflictError, InvalidInputError


class PaymentStateError(ConflictError):
    """The payment is not in a state that allows this."""


class RefundError(InvalidInputError):
    message = "Invalid refund amount"


class Payment(Aggregate):
    class Initiated(Aggregate.Created):
        user_id: UUID
        course_id: UUID
        method: str
        currency: str
        original_amount: int
        coupon_code: str | None
        coupon_discount: int
        promo_code: str | None
        promo_discount: int
        amount: int
        email: str | None
        card: dict[str, str] | None
        # The payer's e-mail, sealed with their key; amounts and ids stay for the books.
        personal_fields: ClassVar[frozenset[str]] = frozenset({"email"})
        data_subject: ClassVar[str] = "user_id"

    @event(Initiated)
    def __init__(
        self,
        user_id: UUID,
        course_id: UUID,
        method: str,
        currency: str,
        original_amount: int,
        coupon_code: str | None,
        coupon_discount: int,
        promo_code: str | None,
        promo_discount: int,
        amount: int,
        email: str | None,
        card: dict[str, str] | None,
    ) -> None:
        self.user_id, self.course_id = user_id, course_id
        self.method, self.currency = Method(method), currency
        self.original_amount, self.amount = original_amount, amount
        self.coupon_code, self.promo_code = coupon_code, promo_code
        self.promo_discount = promo_discount
        self.card = card
        self.status = Status.INITIATED
        self.access_code: str | None = None
        self.authorization_url: str | None = None
        self.failure: str | None = None
        self.next_step: NextStep | None = None
        self.paid_at: datetime | None = None
        self.refunded_amount = 0
        self.refund_in_flight: tuple[UUID, int] | None = None
        self.paid_twice = False

    @classmethod
    def initiate(
        cls,
        user_id: UUID,
        course_id: UUID,
        method: Method,
        price: Quote,
        coupon_code: str | None,
        promo_code: str | None,
        email: str | None,
        card: dict[str, str] | None,
    ) -> Payment:
        return cls(
            user_id,
            course_id,
            method.value,
            price.currency,
            price.price,
            coupon_code,
            price.coupon_discount,
            promo_code,
            price.promo_discount,
            price.total,
            email,
            card,
        )

    @property
    def transaction_id(self) -> str:
        return transaction_id_of(self.id)

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def awaits_gateway(self) -> bool:
        """A card charge was sent and the gateway's decision is not known yet."""
        return self.method is Method.CARD and self.status is Status.PENDING

    @property
    def charge_undecided(self) -> bool:
        """A card charge was sent and is not decided: pending, or waiting for the payer
        (who may have walked away; the gateway will say so)."""
        return self.method is Method.CARD and self.status in (Status.PENDING, Status.AUTHORIZING)

    @property
    def given_up(self) -> bool:
        """Failed here because nobody finished it in time, not because the gateway said so:
        the gateway may still take the money (a bank's page the payer completes late)."""
        return self.status is Status.FAILED and self.failure == EXPIRED

    def request_authorization(self, step: str, message: str, url: str | None = None) -> None:
        """The gateway asks the payer for ``step`` (e.g. ``send_otp``) before it decides."""
        if self.method is not Method.CARD or self.status not in (
            Status.INITIATED,
            Status.PENDING,
            Status.AUTHORIZING,
        ):
            raise PaymentStateError("This payment is not waiting for its card charge")
        if self.next_step != NextStep(step, message, url):
            self._request_authorization(step, message, url)

    @event("AuthorizationRequested")
    def _request_authorization(self, step: str, message: str, url: str | None) -> None:
        self.status, self.next_step = Status.AUTHORIZING, NextStep(step, message, url)

    def defer_charge(self, reason: str) -> None:
        """The charge went out and the gateway has not decided, or its answer was lost: it
        may have been taken, so the payment waits for the gateway's word instead of failing."""
        if self.method is not Method.CARD or not self.is_open:
            raise PaymentStateError("This payment is not waiting for its card charge")
        if self.status is not Status.PENDING:
            self._defer_charge(reason)

    @event("ChargeDeferred")
    def _defer_charge(self, reason: str) -> None:
        self.status, self.next_step = Status.PENDING, None

    def ensure_awaits(self, step: str) -> None:
        if self.status is not Status.AUTHORIZING or self.next_step is None:
            raise PaymentStateError("This payment is not waiting for the payer")
        if self.next_step.step != step:
            raise PaymentStateError(f"This payment is waiting for {self.next_step.step}")

    def start_checkout(self, access_code: str, authorization_url: str) -> None:
        """A Paystack checkout was opened for this payment: now the learner pays there."""
        if self.status is not Status.INITIATED:
            raise PaymentStateError("The checkout of this payment has already started")
        self._start_checkout(access_code, authorization_url)

    @event("CheckoutStarted")
    def _start_checkout(self, access_code: str, authorization_url: str) -> None:
        self.access_code, self.authorization_url = access_code, authorization_url
        self.status = Status.PENDING

    def succeed(
        self, amount: int, currency: str, paid_at: datetime, card_details: str | None = None
    ) -> None:
        """The gateway took ``amount``: it must be exactly what this payment asked for.

        A payment that failed (a checkout given up for lost) may still succeed when the
        gateway says it was paid after all: the money is real.
        """
        if self.status in PAID:
            return  # a re-delivered confirmation
        if (amount, currency) != (self.amount, self.currency):
            raise PaymentStateError(
                f"The gateway reported {amount} {currency}; "
                f"this payment is for {self.amount} {self.currency}"
            )
        self._succeed(amount, currency, paid_at, card_details)

    class Succeeded(Aggregate.Event):
        amount: int
        currency: str
        paid_at: datetime
        card_details: str | None
        # Encrypted brand, last4, expiry and gateway token: kept, but never published.
        private_fields: ClassVar[frozenset[str]] = frozenset({"card_details"})

    @event(Succeeded)
    def _succeed(
        self, amount: int, currency: str, paid_at: datetime, card_details: str | None
    ) -> None:
        self.status, self.next_step = Status.SUCCEEDED, None
        self.paid_at, self.failure = paid_at, None
        self.card_details = card_details

    def fail(self, reason: str) -> None:
        """The gateway declined, or the checkout was abandoned; settled payments stay settled."""
        if self.is_open:
            self._fail(reason)

    @event("Failed")
    def _fail(self, reason: str) -> None:
        self.status, self.next_step = Status.FAILED, None
        self.failure = reason

    def start_refund(self, refund_id: UUID, amount: int | None, reason: str, by: UUID) -> int:
        """Claim ``amount`` (default: all that is left) for a refund; answer the amount."""
        if self.status not in (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED):
            raise PaymentStateError("Only a successful payment can be refunded")
        if self.refund_in_flight is not None:
            raise PaymentStateError("A refund of this payment is already in progress")
        left = self.amount - self.refunded_amount
        amount = left if amount is None else amount
        if not 0 < amount <= left:
            raise RefundError(f"A refund must be more than 0 and at most {left} {self.currency}")
        self._start_refund(refund_id, amount, self.currency, reason, by)
        return amount

    @event("RefundStarted")
    def _start_refund(
        self, refund_id: UUID, amount: int, currency: str, reason: str, requested_by: UUID
    ) -> None:
        self.refund_in_flight = (refund_id, amount)

    def owe_back(self, refund_id: UUID, first_payment_id: UUID) -> None:
        """The learner paid for the course again: another payment had paid for it first (a
        checkout given up for lost and paid after all, beside the one that replaced it). All of
        this one is owed back, claimed as a refund nobody can withdraw."""
        if self.paid_twice or self.status is not Status.SUCCEEDED or self.refund_in_flight:
            return
        self._pay_twice(refund_id, self.amount, self.currency, first_payment_id)

    @event("PaidTwice")
    def _pay_twice(
        self, refund_id: UUID, amount: int, currency: str, first_payment_id: UUID
    ) -> None:
        self.paid_twice = True
        self.refund_in_flight = (refund_id, amount)

    def complete_refund(self, refund_id: UUID) -> None:
        if self.refund_in_flight and self.refund_in_flight[0] == refund_id:
            self._refund(refund_id, self.refund_in_flight[1], self.currency)

    @event("Refunded")
    def _refund(self, refund_id: UUID, amount: int, currency: str) -> None:
        self.refunded_amount += amount
        self.refund_in_flight = None
        fully = self.refunded_amount >= self.amount
        self.status = Status.REFUNDED if fully else Status.PARTIALLY_REFUNDED

    def abort_refund(self, refund_id: UUID, message: str) -> None:
        if self.refund_in_flight and self.refund_in_flight[0] == refund_id:
            self._abort_refund(refund_id, message)

    @event("RefundFailed")
    def _abort_refund(self, refund_id: UUID, message: str) -> None:
        self.refund_in_flight = None
