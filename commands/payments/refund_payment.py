"""Refund a successful payment in full or in part (admins only).

The refund is claimed on the payment before the gateway is asked and completed after, so a
second refund started meanwhile is refused instead of paying out twice; a gateway that does
not answer leaves the claim withdrawn and the payment as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from commands.applications import Commerce
from commands.contention import retried
from commands.payments.ports import Gateways, GatewayUnavailableError
from commands.payments.results import PaymentResult
from domain.actor import Actor
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.errors import ForbiddenError


@dataclass(frozen=True)
class RefundPayment:
    actor: Actor
    payment_id: UUID
    amount: int | None  # minor units; None refunds all that is left
    reason: str


def refund_payment(cmd: RefundPayment, commerce: Commerce, gateways: Gateways) -> PaymentResult:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins refund payments")
    refund_id = uuid4()
    payment = commerce.get_payment(cmd.payment_id)
    amount = payment.start_refund(refund_id, cmd.amount, cmd.reason, cmd.actor.user_id)
    commerce.save(payment)
    try:
        pay_back(gateways, payment, amount)
    except GatewayUnavailableError as error:
        payment.abort_refund(refund_id, str(error))
        commerce.save(payment)
        raise
    return PaymentResult.of(retried(lambda: complete(commerce, payment.id, refund_id)))


def pay_back(gateways: Gateways, payment: Payment, amount: int) -> None:
    if payment.method is Method.PAYSTACK:
        gateways.paystack.refund(payment.transaction_id, amount, payment.currency)
    else:
        gateways.card_charges.refund(payment, amount)


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
