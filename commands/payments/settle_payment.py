"""Settle a payment: record what the gateway decided, for the payment, the learner's purchase
and the coupon together. Paystack's decisions arrive by webhook or are fetched when a client
asks for a pending payment's status; both paths verify with Paystack before believing it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from commands.applications import Commerce
from commands.contention import retried
from commands.payments.ports import GatewayUnavailableError, Paystack
from domain.actor import Actor
from domain.commerce.coupon import Coupon
from domain.commerce.payment import Payment, PaymentStateError
from domain.commerce.payment_terms import Method, PaymentNotFoundError, Status, payment_id_of
from domain.errors import InvalidInputError, UnauthorizedError

if TYPE_CHECKING:  # card charges settle through this module
    from commands.payments.card_charges import CardCharges

Clock = Callable[[], datetime]
FINAL_FAILURES = frozenset({"failed", "reversed"})


class InvalidSignatureError(UnauthorizedError):
    message = "Invalid webhook signature"


@dataclass(frozen=True)
class ReceivePaystackWebhook:
    body: bytes
    signature: str | None


@dataclass(frozen=True)
class RefreshPaymentStatus:
    actor: Actor
    transaction_id: str


def settle(
    commerce: Commerce,
    settling: Payment,
    paid: bool,
    paid_at: datetime | None = None,
    amount: int | None = None,
    currency: str | None = None,
    reason: str = "",
    card_details: str | None = None,
) -> Payment:
    """Record the outcome of ``settling`` once (reloaded on each attempt, since a concurrent
    settlement may have won); a repeated outcome changes nothing."""

    def attempt() -> Payment:
        payment = commerce.get_payment(settling.id)
        if paid:
            payment.succeed(amount, currency, paid_at, card_details)  # type: ignore[arg-type]
        else:
            payment.fail(reason)
        settled = payment.status is Status.SUCCEEDED or payment.status is Status.FAILED
        if not settled:  # refunded already: nothing left to settle
            return payment
        purchase = commerce.get_purchase(payment.user_id, payment.course_id)
        purchase.close(payment.id, paid)
        touched: list[object] = [payment, purchase]
        if payment.coupon_code:
            coupon = commerce.get_coupon(payment.coupon_code)
            if paid:
                coupon.redeem(payment.id, payment.user_id)
            else:
                coupon.release(payment.id)
            touched.append(coupon)
        commerce.save(*touched)
        return payment

    code = settling.coupon_code  # fixed at initiation
    with commerce.exclusive(Coupon.create_id(code)) if code else nullcontext():
        return retried(attempt)


def confirm_with_paystack(commerce: Commerce, paystack: Paystack, payment: Payment) -> Payment:
    """Ask Paystack what became of the payment's transaction and record it if it is final."""
    if payment.method is not Method.PAYSTACK or payment.status not in (
        Status.PENDING,
        Status.FAILED,
    ):
        return payment
    found = paystack.verify(payment.transaction_id)
    if found.status == "success":
        return settle(commerce, payment, True, found.paid_at, found.amount, found.currency)
    if found.status in FINAL_FAILURES and payment.status is Status.PENDING:
        return settle(commerce, payment, False, reason=found.gateway_response or found.status)
    return payment


def receive_paystack_webhook(
    cmd: ReceivePaystackWebhook, commerce: Commerce, paystack: Paystack
) -> Payment | None:
    """A signed notice from Paystack; answers the payment it settled, or None if ignored."""
    if not paystack.signature_valid(cmd.body, cmd.signature):
        raise InvalidSignatureError
    try:
        notice = json.loads(cmd.body)
        kind, reference = notice["event"], notice["data"]["reference"]
    except (ValueError, KeyError, TypeError):
        raise InvalidInputError("Malformed webhook body") from None
    if kind not in ("charge.success", "charge.failed"):
        return None  # other events (transfers, disputes) are not ours to settle
    payment = commerce.get_payment(payment_id_of(str(reference)))
    return confirm_with_paystack(commerce, paystack, payment)


def refresh_payment_status(
    cmd: RefreshPaymentStatus, commerce: Commerce, paystack: Paystack, card_charges: CardCharges
) -> Payment:
    """The payment as it stands, after asking the gateway about one it has not decided."""
    payment = commerce.get_payment(payment_id_of(cmd.transaction_id))
    if not cmd.actor.is_admin and payment.user_id != cmd.actor.user_id:
        raise PaymentNotFoundError  # someone else's payment does not exist for this caller
    if payment.status is Status.PENDING:
        # When Paystack does not answer, or reports figures this payment was not for (the
        # webhook refused those already, loudly), the stored state is the truest answer.
        with contextlib.suppress(GatewayUnavailableError, PaymentStateError):
            payment = confirm_with_paystack(commerce, paystack, payment)
    with contextlib.suppress(GatewayUnavailableError):
        payment = card_charges.confirm(payment)
    return payment
