"""A checkout sent again with its ``Idempotency-Key`` answers the first one's outcome: the
payment that request opened, once its gateway has answered, and never a second charge.

The key is saved with the payment it opened, in one transaction, before any gateway is asked;
so a retry, or a duplicate racing the first, finds the payment and waits for its outcome.
"""

from __future__ import annotations

import time
from uuid import UUID

from commands.applications import Commerce
from commands.payments.card_charges import CardCharges, PaymentDeclinedError
from commands.payments.results import PaymentResult
from domain.commerce.payment_terms import Status
from domain.errors import ConflictError

# How long a retry waits for the first request with its key to learn the gateway's answer.
REPLAY_WAIT_SECONDS = 15.0


class StillProcessingError(ConflictError):
    message = "The first request with this Idempotency-Key is still being processed; retry"


def first_payment(
    commerce: Commerce, user_id: UUID, key: str | None, fingerprint: str
) -> UUID | None:
    """The payment a first request with this key opened, if it was for the same purchase."""
    if not key:
        return None
    claimed = commerce.find_idempotency_key(user_id, key)
    return claimed.ensure_same(fingerprint) if claimed else None


def replay(commerce: Commerce, card_charges: CardCharges, payment_id: UUID) -> PaymentResult:
    """The first request's outcome, once its gateway has answered; a card charge whose
    answer was lost is asked about, never sent again."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    payment = commerce.get_payment(payment_id)
    while payment.status is Status.INITIATED and time.monotonic() < deadline:
        time.sleep(0.02)
        payment = commerce.get_payment(payment_id)
    if payment.status is Status.INITIATED:
        raise StillProcessingError
    payment = card_charges.confirm(payment)
    if payment.status is Status.FAILED:
        raise PaymentDeclinedError(f"Payment declined: {payment.failure}")
    return PaymentResult.of(payment)
