"""Give up on Paystack checkouts nobody finished: each holds one of its coupon's uses and keeps
the learner's purchase of the course open, so a learner who walks away from Paystack's page
would otherwise keep a limited coupon's use from everyone else, for good.

A checkout older than ``checkout_expires_after`` is first asked after: paid at Paystack (its
answer never reached Campus), it is settled as paid; failed there, as failed. One Paystack still
calls open ("abandoned": the learner may yet pay) is failed here, its coupon use given back. If
the learner pays after all, Paystack's word settles it as paid still (``Payment.succeed``): the
money is real, and the coupon counts the use again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from commands.applications import Commerce
from commands.payments.checkout import confirm_with_paystack, settle
from commands.payments.ports import Gateways, GatewayUnavailableError
from domain.commerce.payment_terms import Method, Status
from domain.errors import DomainError

log = logging.getLogger(__name__)

EXPIRED = "The checkout was not completed in time"


class OpenCheckouts(Protocol):
    def __call__(self, started_before: datetime) -> list[UUID]:
        """The ids of Paystack payments started before ``started_before`` and still open."""


@dataclass(frozen=True)
class ExpireCheckouts:
    pass


def expire_checkouts(
    cmd: ExpireCheckouts,
    open_checkouts: OpenCheckouts,
    checkout_expires_after: timedelta,
    commerce: Commerce,
    gateways: Gateways,
    clock: Callable[[], datetime],
) -> int:
    """Answer how many checkouts were given up; one Paystack cannot be asked about waits."""
    expired = 0
    for payment_id in open_checkouts(clock() - checkout_expires_after):
        payment = commerce.get_payment(payment_id)
        if payment.method is not Method.PAYSTACK or not payment.is_open:
            continue  # settled since the read model last heard
        try:
            if payment.status is Status.PENDING:  # Paystack has it: its word comes first
                payment = confirm_with_paystack(commerce, gateways, payment)
            if payment.is_open:
                settle(commerce, payment, False, reason=EXPIRED)
                expired += 1
        except GatewayUnavailableError:
            log.warning("Checkout %s stays open: Paystack could not be asked", payment_id)
        except DomainError:  # one payment the books refuse to settle holds up no other
            log.exception("Checkout %s could not be settled", payment_id)
    return expired
