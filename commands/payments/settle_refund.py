"""Settle a refund in flight from what the gateway holds: one Paystack queued and has since
processed or failed (its webhook says so, or the reconciler asks), one whose answer was lost or
refused (a timeout, "already refunded"), or one never sent (a crash in between).

The books count a refund only once the gateway says it paid the money back (``processed``):
Paystack queues most refunds, and one may still fail. Withdrawing the claim on a lost answer
could leave money paid back while the books say it was not, and let an admin refund again; so
the gateway is asked instead. Its refunds of the charge, counted against what the books already
hold, say which it was: processed, still under way, or none (never received, or failed). A
refund owed for a second payment is never withdrawn: the gateway holding none, it is sent again.
"""

from __future__ import annotations

import logging
from uuid import UUID

from commands.applications import Commerce
from commands.contention import retried
from commands.payments.ports import PROCESSED, GatewayRefund, Gateways, GatewayUnavailableError
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status

log = logging.getLogger(__name__)
NONE_FOUND = "The gateway did not pay the refund back"


class RefundUndecidedError(GatewayUnavailableError):
    """The gateway may have paid the refund back and could not tell: the refund stays in
    progress, and is settled from the gateway's word once it answers."""

    message = (
        "The payment gateway did not confirm the refund; it stays in progress and will be "
        "settled once the gateway answers"
    )


def settle_refund(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """Complete the refund in flight if the gateway paid it back, leave it in flight while the
    gateway is paying it, withdraw it if the gateway holds none or it failed there; raise
    ``RefundUndecidedError`` when it cannot tell."""
    if payment.refund_in_flight is None:
        return payment
    refund_id, amount = payment.refund_in_flight
    try:
        found = refunds_of(gateways, payment)
    except GatewayUnavailableError:
        raise RefundUndecidedError from None
    mine = [r for r in found if r.currency == payment.currency]
    paid_back = sum(r.amount for r in mine if r.processed)
    under_way = sum(r.amount for r in mine if not r.processed and not r.failed)
    wanted = payment.refunded_amount + amount
    if paid_back >= wanted:
        return retried(lambda: complete(commerce, payment.id, refund_id))
    if paid_back + under_way >= wanted:
        return payment  # the gateway has it and has not paid it yet: asked again later
    if paid_back + under_way <= payment.refunded_amount:
        if payment.paid_twice and not any(r.failed for r in mine):
            return send_owed(commerce, gateways, payment)  # owed: withdrawing keeps it paid twice
        if not payment.paid_twice:
            return retried(lambda: withdraw(commerce, payment.id, refund_id, NONE_FOUND))
    # Some but not all of it went back, or an owed refund failed: a person must look.
    log.error("Refund %s of payment %s: the gateway holds %s", refund_id, payment.id, found)
    raise RefundUndecidedError


def send_owed(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """Send the refund owed for a second payment (``refund_second_payment``), or send it again
    when the gateway holds none."""
    refund_id, amount = payment.refund_in_flight  # type: ignore[misc]
    try:
        status = pay_back(gateways, payment, amount)
    except GatewayUnavailableError:
        raise RefundUndecidedError from None
    return completed_if(commerce, payment, refund_id, status)


def pay_back(gateways: Gateways, payment: Payment, amount: int) -> str:
    """Send the refund; answer its status at the gateway."""
    if payment.method is Method.PAYSTACK:
        return gateways.paystack.refund(payment.transaction_id, amount, payment.currency)
    return gateways.card_charges.refund(payment, amount)


def completed_if(commerce: Commerce, payment: Payment, refund_id: UUID, status: str) -> Payment:
    """The refund completed if the gateway paid it at once; else left in flight, for the
    gateway's word (its webhook, or the reconciler asking) to complete."""
    if status != PROCESSED:
        return payment
    return retried(lambda: complete(commerce, payment.id, refund_id))


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
