"""Initiate a payment for a course: price it on the server, then charge a card, open a
Paystack checkout, or — at a total of zero — succeed without asking any gateway.

The payment, the learner's purchase, the coupon hold and the idempotency key are saved in
one transaction before any gateway is asked, so a retry or a concurrent duplicate finds the
first attempt and waits for its outcome instead of charging again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from uuid import UUID

from commands.applications import Catalog, Commerce, Identity
from commands.contention import retried
from commands.payments.card_charges import CardCharges, PaymentDeclinedError
from commands.payments.ports import GatewayUnavailableError, Paystack, PromoProvider
from commands.payments.settle_payment import settle
from domain.actor import Actor
from domain.commerce.card import Card
from domain.commerce.coupon import Coupon, CouponInvalidError
from domain.commerce.idempotency_key import IdempotencyKey
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.commerce.pricing import Discount, Quote, quote
from domain.courses.structure import CourseNotFoundError
from domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
)

Clock = Callable[[], datetime]
# How long a retry waits for the first request with its key to learn the gateway's answer.
REPLAY_WAIT_SECONDS = 15.0


class StillProcessingError(ConflictError):
    message = "The first request with this Idempotency-Key is still being processed; retry"


@dataclass(frozen=True)
class CardInput:
    """The card as typed; the number and CVV stay out of every repr."""

    number: str = field(repr=False)
    expiry_month: str
    expiry_year: str
    cvv: str = field(repr=False)


@dataclass(frozen=True)
class InitiatePayment:
    actor: Actor
    user_id: UUID
    course_id: UUID
    method: Method
    amount: int | None = None  # what the client thinks it pays, in minor units
    card: CardInput | None = None
    paystack_email: str | None = None
    coupon_code: str | None = None
    promo_code: str | None = None
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """Who pays what, how: the card is represented by what may be kept of it."""
        fields = asdict(self) | {"actor": str(self.actor.user_id), "card": None}
        if self.card:
            fields["card"] = [self.card.number[-4:], self.card.expiry_month, self.card.expiry_year]
        canonical = json.dumps(fields, sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def initiate_payment(
    cmd: InitiatePayment,
    commerce: Commerce,
    catalog: Catalog,
    identity: Identity,
    card_charges: CardCharges,
    paystack: Paystack,
    promos: PromoProvider,
    clock: Clock,
    paystack_callback_url: str | None,
) -> Payment:
    """The payment as the gateway left it; a decline raises ``PaymentDeclinedError`` (402)."""
    if cmd.user_id != cmd.actor.user_id:
        if not cmd.actor.is_admin:
            raise ForbiddenError("You can only pay for yourself")
        identity.get_user(cmd.user_id)  # an admin pays for a learner who exists, or nobody
    if cmd.idempotency_key:
        claimed = commerce.find_idempotency_key(cmd.user_id, cmd.idempotency_key)
        if claimed is not None:
            return replay(commerce, card_charges, claimed.ensure_same(cmd.fingerprint()))
    course = catalog.get_course(cmd.course_id)
    if not course.is_published:
        raise CourseNotFoundError  # drafts and archived courses are not for sale
    promo = promos.lookup(cmd.promo_code, cmd.course_id, cmd.user_id) if cmd.promo_code else None
    email = payer_email(cmd, identity)
    try:
        with coupon_lock(commerce, cmd.coupon_code):
            payment, card = retried(
                lambda: open_payment(
                    cmd, commerce, course.price, course.currency, promo, email, clock
                )
            )
    except DomainError:
        # A concurrent request with this key may have won: it opened the purchase (or took
        # the coupon's last use) in the same transaction that claimed the key.
        claimed = cmd.idempotency_key and commerce.find_idempotency_key(
            cmd.user_id, cmd.idempotency_key
        )
        if not claimed:
            raise
        return replay(commerce, card_charges, claimed.ensure_same(cmd.fingerprint()))
    if payment.amount == 0:
        return settle(commerce, payment, True, clock(), 0, payment.currency)
    if payment.method is Method.CARD:
        return card_charges.charge(payment, card, card_email(identity, cmd.user_id))  # type: ignore[arg-type]
    return open_checkout(commerce, paystack, payment, email or "", paystack_callback_url)


def payer_email(cmd: InitiatePayment, identity: Identity) -> str | None:
    """Paystack receipts go to the address given, else to the learner's own."""
    if cmd.method is not Method.PAYSTACK:
        return None
    return cmd.paystack_email or identity.get_user(cmd.user_id).email


def card_email(identity: Identity, user_id: UUID) -> str:
    """Card gateways want the payer's address for their receipt; the payment does not keep it."""
    user = identity.find(user_id)
    return user.email if user else ""


def open_payment(
    cmd: InitiatePayment,
    commerce: Commerce,
    price: int,
    currency: str,
    promo: Discount | None,
    email: str | None,
    clock: Clock,
) -> tuple[Payment, Card | None]:
    """Price the course, then save the payment with its purchase, coupon hold and key."""
    now = clock()
    coupon = find_coupon(commerce, cmd.coupon_code)
    discount = coupon.ensure_applicable(cmd.course_id, cmd.user_id, now) if coupon else None
    price_now = quote(price, currency, discount, promo)
    ensure_client_agrees(cmd.amount, price_now)
    card = card_of(cmd, now.date()) if price_now.total > 0 else None
    payment = Payment.initiate(
        cmd.user_id,
        cmd.course_id,
        cmd.method,
        price_now,
        coupon.code if coupon else None,
        cmd.promo_code.strip().upper() if cmd.promo_code else None,
        email,
        card.summary if card else None,
    )
    purchase = commerce.get_purchase(cmd.user_id, cmd.course_id)
    purchase.open(payment.id)
    touched: list[object] = [payment, purchase]
    if coupon:
        coupon.hold(payment.id, cmd.course_id, cmd.user_id, now)
        touched.append(coupon)
    if cmd.idempotency_key:
        touched.append(
            IdempotencyKey(cmd.user_id, cmd.idempotency_key, cmd.fingerprint(), payment.id)
        )
    commerce.save(*touched)
    return payment, card


def coupon_lock(commerce: Commerce, code: str | None) -> AbstractContextManager[object]:
    """Checkouts of one coupon take turns in this process (see ``exclusive``)."""
    return commerce.exclusive(Coupon.create_id(code)) if code else nullcontext()


def find_coupon(commerce: Commerce, code: str | None) -> Coupon | None:
    if not code:
        return None
    coupon = commerce.find(Coupon.create_id(code))
    if coupon is None:
        raise CouponInvalidError
    return coupon


def ensure_client_agrees(amount: int | None, price: Quote) -> None:
    """A client may state the list price or the total; any other figure is a mistake."""
    if amount is not None and amount not in (price.price, price.total):
        raise InvalidInputError(
            f"The amount does not match the course price ({price.price}) "
            f"or the total after discounts ({price.total}), in minor units of {price.currency}"
        )


def card_of(cmd: InitiatePayment, today: date) -> Card | None:
    if cmd.method is not Method.CARD:
        return None
    if cmd.card is None:
        raise InvalidInputError("cardDetails are required to pay by card")
    c = cmd.card
    return Card.parse(c.number, c.expiry_month, c.expiry_year, c.cvv, today)


def open_checkout(
    commerce: Commerce,
    paystack: Paystack,
    payment: Payment,
    email: str,
    callback_url: str | None,
) -> Payment:
    metadata = {
        "paymentId": str(payment.id),
        "courseId": str(payment.course_id),
        "userId": str(payment.user_id),
    }
    try:
        checkout = paystack.initialize(
            payment.transaction_id,
            email,
            payment.amount,
            payment.currency,
            callback_url,
            metadata,
        )
    except GatewayUnavailableError:
        settle(commerce, payment, False, reason="Paystack did not answer")
        raise
    payment.start_checkout(checkout.access_code, checkout.authorization_url)
    commerce.save(payment)
    return payment


def replay(commerce: Commerce, card_charges: CardCharges, payment_id: UUID) -> Payment:
    """The first request's outcome, once its gateway has answered; a card charge whose
    answer was lost is asked about, never sent again."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    payment = commerce.get_payment(payment_id)
    while payment.status is Status.INITIATED and time.monotonic() < deadline:
        time.sleep(0.02)
        payment = commerce.get_payment(payment_id)
    if payment.status is Status.INITIATED:
        raise StillProcessingError
    payment = card_charges.confirm(payment)
    if payment.status is Status.FAILED:
        raise PaymentDeclinedError(f"Payment declined: {payment.failure}")
    return payment
