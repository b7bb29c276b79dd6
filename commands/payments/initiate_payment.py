"""Initiate a payment for a course: price it on the server, then charge a card, open a
Paystack checkout, or — at a total of zero — succeed without asking any gateway.

The payment, the learner's purchase, the coupon hold and the idempotency key are saved in
one transaction before any gateway is asked, so a retry or a concurrent duplicate finds the
first attempt and waits for its outcome instead of charging again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from uuid import UUID

from commands.applications import Catalog, Commerce, Identity
from commands.contention import retried
from commands.payments import checkout
from commands.payments.card_charges import CardCharges
from commands.payments.idempotent_checkout import first_payment, replay
from commands.payments.ports import Gateways
from commands.payments.results import PaymentResult
from domain.actor import Actor
from domain.commerce.card import Card
from domain.commerce.idempotency_key import IdempotencyKey
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method
from domain.commerce.pricing import Discount, quote
from domain.errors import DomainError, ForbiddenError, InvalidInputError

Clock = Callable[[], datetime]


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
    gateways: Gateways,
    clock: Clock,
) -> PaymentResult:
    """The payment as the gateway left it; a decline raises ``PaymentDeclinedError`` (402)."""
    ensure_may_pay(cmd, identity)
    claimed = claimed_payment(commerce, cmd)
    if claimed is not None:
        return replay(commerce, gateways.card_charges, claimed)
    price = checkout.list_price(catalog, cmd.course_id)
    promo = checkout.promo_discount(gateways.promos, cmd.promo_code, cmd.course_id, cmd.user_id)
    email = payer_email(cmd, identity)
    try:
        payment, card = open_payment(cmd, commerce, price, promo, email, clock)
    except DomainError as lost:
        return replay_winner(cmd, commerce, gateways.card_charges, lost)
    return PaymentResult.of(pay(commerce, identity, gateways, clock, payment, card, email))


def ensure_may_pay(cmd: InitiatePayment, identity: Identity) -> None:
    """Learners pay for themselves; an admin pays for a learner who exists, or nobody."""
    if cmd.user_id != cmd.actor.user_id:
        if not cmd.actor.is_admin:
            raise ForbiddenError("You can only pay for yourself")
        identity.get_user(cmd.user_id)


def claimed_payment(commerce: Commerce, cmd: InitiatePayment) -> UUID | None:
    if not cmd.idempotency_key:
        return None
    return first_payment(commerce, cmd.user_id, cmd.idempotency_key, cmd.fingerprint())


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
    price: tuple[int, str],
    promo: Discount | None,
    email: str | None,
    clock: Clock,
) -> tuple[Payment, Card | None]:
    with checkout.coupon_lock(commerce, cmd.coupon_code):
        return retried(lambda: save_payment(cmd, commerce, price, promo, email, clock()))


def save_payment(
    cmd: InitiatePayment,
    commerce: Commerce,
    price: tuple[int, str],
    promo: Discount | None,
    email: str | None,
    now: datetime,
) -> tuple[Payment, Card | None]:
    """Price the course, then save the payment with its purchase, coupon hold and key."""
    coupon = checkout.find_coupon(commerce, cmd.coupon_code)
    discount = checkout.coupon_discount(coupon, cmd.course_id, cmd.user_id, now)
    price_now = quote(*price, discount, promo)
    checkout.ensure_client_agrees(cmd.amount, price_now)
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
    held = checkout.hold_coupon(coupon, payment, now)
    commerce.save(payment, purchase, *held, *idempotency_key(cmd, payment))
    return payment, card


def idempotency_key(cmd: InitiatePayment, payment: Payment) -> list[IdempotencyKey]:
    if not cmd.idempotency_key:
        return []
    return [IdempotencyKey(cmd.user_id, cmd.idempotency_key, cmd.fingerprint(), payment.id)]


def card_of(cmd: InitiatePayment, today: date) -> Card | None:
    if cmd.method is not Method.CARD:
        return None
    if cmd.card is None:
        raise InvalidInputError("cardDetails are required to pay by card")
    c = cmd.card
    return Card.parse(c.number, c.expiry_month, c.expiry_year, c.cvv, today)


def pay(
    commerce: Commerce,
    identity: Identity,
    gateways: Gateways,
    clock: Clock,
    payment: Payment,
    card: Card | None,
    email: str | None,
) -> Payment:
    """Ask the gateway for the money, or nobody when the discounts cover the whole price."""
    if payment.amount == 0:
        return checkout.settle(commerce, payment, True, clock(), 0, payment.currency)
    if payment.method is Method.CARD:
        return gateways.card_charges.charge(payment, card, card_email(identity, payment.user_id))  # type: ignore[arg-type]
    return checkout.open_paystack_checkout(commerce, gateways, payment, email or "")


def replay_winner(
    cmd: InitiatePayment, commerce: Commerce, card_charges: CardCharges, lost: DomainError
) -> PaymentResult:
    """A concurrent request with this key may have won: it opened the purchase (or took the
    coupon's last use) in the same transaction that claimed the key. Else ``lost`` stands."""
    claimed = claimed_payment(commerce, cmd)
    if claimed is None:
        raise lost
    return replay(commerce, card_charges, claimed)
