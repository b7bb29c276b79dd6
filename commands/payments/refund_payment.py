"""Refund a successful payment in full or in part (admins only).

The refund is claimed on the payment before the gateway is asked, so a second refund started
meanwhile is refused instead of paying out twice. It is completed when the gateway pays it
back: at once (the sandboxes), or later, when Paystack's webhook or the reconciler finds the
refund Paystack queued processed. When the gateway's answer is lost or it refuses (it may
have refunded already), the refund is settled from the refunds the gateway holds: completed,
left in progress, or withdrawn; it stays in progress for the reconciler when the gateway
cannot be asked either.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from commands.applications import Commerce
from commands.payments.ports import Gateways, GatewayUnavailableError
from commands.payments.results import PaymentResult
from commands.payments.settle_refund import completed_if, pay_back, settle_refund
from domain.actor import Actor
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
        status = pay_back(gateways, payment, amount)
    except GatewayUnavailableError:
        settled = settle_refund(commerce, gateways, payment)
        if settled.refund_in_flight is None and settled.refunded_amount == payment.refunded_amount:
            raise  # withdrawn: nothing went back, and the payment is as it was
        return PaymentResult.of(settled)
    return PaymentResult.of(completed_if(commerce, payment, refund_id, status))
