"""Give a learner back a second payment for a course they had paid for already: a Paystack
checkout given up for lost and paid after all, beside the checkout that replaced it.

Settling the second payment claims its refund in the same transaction (``Payment.owe_back``),
so the refund is owed even if the process stops before the gateway is asked. It is sent at
once, and completed as any refund is, once the gateway has paid it back; when the gateway does
not answer, the refund reconciler settles it from the refunds the
gateway holds, and sends it again if there are none. Two confirmations of one payment at once
may both send it: the refund is of the whole charge, and Paystack refuses a refund beyond what
a transaction has left, so the learner is paid back once.
"""

from __future__ import annotations

import logging

from commands.applications import Commerce
from commands.payments.ports import Gateways
from commands.payments.settle_refund import RefundUndecidedError, send_owed
from domain.commerce.payment import Payment

log = logging.getLogger(__name__)


def refund_second_payment(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """The payment with the refund it is owed sent; any other payment as it is."""
    if not payment.paid_twice or payment.refund_in_flight is None:
        return payment
    try:
        return send_owed(commerce, gateways, payment)
    except RefundUndecidedError:
        log.warning("The refund owed for payment %s waits for the reconciler", payment.id)
        return payment
