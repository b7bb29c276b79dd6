"""Settle every refund left in flight: Paystack queued it and its webhook saying it was
processed (or failed) has not come, its request crashed between the claim and the gateway's
answer, or neither the refund nor the question after it reached the gateway.

A claim left in place blocks further refunds of its payment and may hide money already paid
back; each is settled from the refunds the gateway holds (``settle_refund``). Only claims
older than ``refund_settle_after`` are taken, so a request still waiting on the gateway is
not overtaken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from commands.applications import Commerce, Learning
from commands.learning.drop_enrollment import DropRefundedEnrollment, drop_refunded_enrollment
from commands.payments.ports import Gateways
from commands.payments.settle_refund import RefundUndecidedError, settle_refund
from domain.errors import DomainError

log = logging.getLogger(__name__)


class RefundsInFlight(Protocol):
    def __call__(self, started_before: datetime) -> list[UUID]:
        """The ids of payments holding a refund claimed before ``started_before``."""


@dataclass(frozen=True)
class ReconcileRefunds:
    pass


def reconcile_refunds(
    cmd: ReconcileRefunds,
    refunds_in_flight: RefundsInFlight,
    refund_settle_after: timedelta,
    commerce: Commerce,
    learning: Learning,
    gateways: Gateways,
    clock: Callable[[], datetime],
) -> int:
    """Answer how many refunds were settled; one the gateway is paying or cannot tell about
    waits for the next turn."""
    settled = 0
    for payment_id in refunds_in_flight(clock() - refund_settle_after):
        payment = commerce.get_payment(payment_id)
        if payment.refund_in_flight is None:
            continue  # settled since the read model last heard
        try:
            payment = settle_refund(commerce, gateways, payment)
        except RefundUndecidedError:
            log.warning("The refund of payment %s stays in flight", payment_id)
            continue
        except DomainError:  # one payment the books refuse to settle holds up no other
            log.exception("The refund of payment %s could not be settled", payment_id)
            continue
        if payment.refund_in_flight is None:  # else the gateway is paying it still
            settled += 1
            # Refunded in full: the course goes back now (the sweep would, at its next turn).
            drop_refunded_enrollment(DropRefundedEnrollment(payment.id), commerce, learning)
    return settled
