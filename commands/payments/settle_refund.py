"""Settle a refund in flight from what the gateway holds, when its answer to the refund was
lost or refused (a timeout, "already refunded") or never recorded (a crash in between).

Withdrawing the claim on a lost answer could leave money paid back while the books say it
was not, and let an admin refund again; so the gateway is asked instead. Its refunds of the
charge that did not fail, counted against what the books already hold, say which it was. A
refund owed for a second payment is never withdrawn: the gateway holding none, it is sent again.
"""

from __future__ import annotations

import logging
from uuid import UUID

from commands.applications import Commerce
from commands.contention import retried
from commands.payments.ports import GatewayRefund, Gateways, GatewayUnavailableError
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status

log = logging.getLogger(__name__)
NONE_FOUND = "The gateway holds no such refund"


class RefundUndecidedError(GatewayUnavailableError):
    """The gateway may have paid the refund back and could not tell: the refund stays in
    progress, and is settled from the gateway's word once it answers."""

    message = (
        "The payment gateway did not confirm the refund; it stays in progress and will be "
        "settled once the gateway answers"
    )


def settle_refund(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """Complete the refund in flight if the gateway paid it back, withdraw it if the gateway
    holds none; raise ``RefundUndecidedError`` when it cannot tell."""
    if payment.refund_in_flight is None:
        return payment
    refund_id, amount = payment.refund_in_flight
    try:
        found = refunds_of(gateways, payment)
    except GatewayUnavailableError:
        raise RefundUndecidedError from None
    given_back = sum(r.amount for r in found if not r.failed and r.currency == payment.currency)
    if given_back >= payment.refunded_amount + amount:
        return retried(lambda: complete(commerce, payment.id, refund_id))
    if given_back <= payment.refunded_amount:
        if payment.paid_twice:  # owed, not asked for: withdrawn, the learner stays paid twice
            return send_owed(commerce, gateways, payment)
        return retried(lambda: withdraw(commerce, payment.id, refund_id, NONE_FOUND))
    # Some but not all of it went back: a person must look before the books say either.
    log.error("Refund %s of payment %s: the gateway holds %s", refund_id, payment.id, found)
    raise RefundUndecidedError


def send_owed(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """Send the refund owed for a second payment (``refund_second_payment``), or send it again
    when the gateway holds none."""
    refund_id, amount = payment.refund_in_flight  # type: ignore[misc]
    try:
        pay_back(gateways, payment, amount)
    except GatewayUnavailableError:
        raise RefundUndecidedError from None
    return retried(lambda: complete(commerce, payment.id, refund_id))


def pay_back(gateways: Gateways, payment: Payment, amount: int) -> None:
    if payment.method is Method.PAYSTACK:
        gateways.paystack.refund(payment.transaction_id, amount, payment.currency)
    else:
        gateways.card_charges.refund(payment, amount)


def refunds_of(gateways: Gateways, payment: Payment) -> list[GatewayRefund]:
    if payment.method is Method.PAYSTACK:
        return gateways.paystack.refunds(payment.transaction_id)
    return gateways.card_charges.refunds(payment)


def complete(commerce: Commerce, payment_id: UUID, refund_id: UUID) -> Payment:
    payment = commerce.get_payment(payment_id)
    payment.complete_refund(refund_id)
    touched: list[object] = [payment]
    if payment.status is Status.REFUNDED:  # bought back in full: the course is for sale again
        purchase = commerce.get_purchase(payment.user_id, payment.course_id)
        purchase.refund(payment.id)
        touched.append(purchase)
    commerce.save(*touched)
    return payment


def withdraw(commerce: Commerce, payment_id: UUID, refund_id: UUID, reason: str) -> Payment:
    payment = commerce.get_payment(payment_id)
    payment.abort_refund(refund_id, reason)
    commerce.save(payment)
    return payment
