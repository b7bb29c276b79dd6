"""Settle a payment from Paystack's word: a signed webhook, or a client asking after a pending
payment's status. Both paths ask the gateway itself before believing anything (see
``checkout.as_the_gateway_says``): Paystack about its checkouts, the card gateway about a card
charge still undecided or given up here. A webhook saying a refund was processed or failed
settles the refund in flight the same way."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from commands.applications import Commerce, Learning
from commands.learning.drop_enrollment import DropRefundedEnrollment, drop_refunded_enrollment
from commands.payments.checkout import as_the_gateway_says
from commands.payments.ports import Gateways, GatewayUnavailableError
from commands.payments.results import PaymentResult
from commands.payments.settle_refund import RefundUndecidedError, settle_refund
from domain.actor import Actor
from domain.commerce.payment import PaymentStateError
from domain.commerce.payment_terms import PaymentNotFoundError, payment_id_of
from domain.errors import InvalidInputError, UnauthorizedError

# The events that settle something, and where each names our transaction reference.
REFERENCE_FIELDS = {
    "charge.success": "reference",
    "charge.failed": "reference",
    "refund.processed": "transaction_reference",
    "refund.failed": "transaction_reference",
}


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


def receive_paystack_webhook(
    cmd: ReceivePaystackWebhook, commerce: Commerce, learning: Learning, gateways: Gateways
) -> PaymentResult | None:
    """A signed notice from Paystack; answers the payment it settled, or None if ignored."""
    if not gateways.paystack.signature_valid(cmd.body, cmd.signature):
        raise InvalidSignatureError
    try:
        notice = json.loads(cmd.body)
        kind, data = notice["event"], notice["data"]
        reference = data[REFERENCE_FIELDS[kind]] if kind in REFERENCE_FIELDS else None
    except (ValueError, KeyError, TypeError):
        raise InvalidInputError("Malformed webhook body") from None
    if reference is None:
        return None  # other events (transfers, disputes, refunds under way) are not ours
    payment = commerce.get_payment(payment_id_of(str(reference)))
    if kind.startswith("refund."):
        # Asked of Paystack, as a charge is: the books count a refund once it says processed.
        with contextlib.suppress(RefundUndecidedError):
            payment = settle_refund(commerce, gateways, payment)
        # Refunded in full: the course goes back now, not at the sweep's next turn.
        drop_refunded_enrollment(DropRefundedEnrollment(payment.id), commerce, learning)
        return PaymentResult.of(payment)
    return PaymentResult.of(as_the_gateway_says(commerce, gateways, payment))


def refresh_payment_status(
    cmd: RefreshPaymentStatus, commerce: Commerce, gateways: Gateways
) -> PaymentResult:
    """The payment as it stands, after asking the gateway about one it has not decided (or
    one given up here, which the payer may have paid since)."""
    payment = commerce.get_payment(payment_id_of(cmd.transaction_id))
    if not cmd.actor.is_admin and payment.user_id != cmd.actor.user_id:
        raise PaymentNotFoundError  # someone else's payment does not exist for this caller
    if payment.is_open or payment.given_up:
        # When the gateway does not answer, or reports figures this payment was not for (the
        # webhook refused those already, loudly), the stored state is the truest answer.
        with contextlib.suppress(GatewayUnavailableError, PaymentStateError):
            payment = as_the_gateway_says(commerce, gateways, payment)
    return PaymentResult.of(payment)
