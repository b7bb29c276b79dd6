"""Give up on checkouts nobody finished: a Paystack page the learner walked away from, or a
card charge left at the payer's next step (an OTP, a bank's page). Each holds one of its
coupon's uses and keeps the learner's purchase of the course open, so the learner could not pay
again (a ``409``) and a limited coupon's use would be kept from everyone else, for good.

A checkout older than ``checkout_expires_after`` is first asked after at its gateway: paid there
(its answer never reached Campus), it is settled as paid; failed there, as failed. One the
gateway still calls open ("abandoned": the learner may yet pay) is failed here, its coupon use
given back. If the learner pays after all, the gateway's word settles it as paid still
(``Payment.succeed``): the money is real, and the coupon counts the use again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from commands.applications import Commerce
from commands.payments.checkout import as_the_gateway_says, settle
from commands.payments.ports import Gateways, GatewayUnavailableError
from domain.commerce.payment_terms import EXPIRED
from domain.errors import DomainError

log = logging.getLogger(__name__)


class OpenCheckouts(Protocol):
    def __call__(self, started_before: datetime) -> list[UUID]:
        """The ids of payments started before ``started_before`` and still open."""


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
    """Answer how many checkouts were given up; one its gateway cannot be asked about waits."""
    expired = 0
    for payment_id in open_checkouts(clock() - checkout_expires_after):
        payment = commerce.get_payment(payment_id)
        if not payment.is_open:
            continue  # settled since the read model last heard
        try:
            payment = as_the_gateway_says(commerce, gateways, payment)
            if payment.is_open:
                settle(commerce, payment, False, reason=EXPIRED)
                expired += 1
        except GatewayUnavailableError:
            log.warning("Checkout %s stays open: its gateway could not be asked", payment_id)
        except DomainError:  # one payment the books refuse to settle holds up no other
            log.exception("Checkout %s could not be settled", payment_id)
    return expired
