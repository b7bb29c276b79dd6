"""The terms a payment is told in, apart from the Payment aggregate: how it is paid, where it
stands and the word the API answers for that, what the gateway asks of the payer, and the
transaction reference that names it.

Read models and API answers speak these terms too; keeping them out of the aggregate's module
lets them do so without reaching into the aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.errors import NotFoundError

TRANSACTION_PREFIX = "tx_"


class Method(StrEnum):
    CARD = "card"
    PAYSTACK = "paystack"


class Status(StrEnum):
    INITIATED = "initiated"
    PENDING = "pending"
    AUTHORIZING = "authorizing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


OPEN = frozenset({Status.INITIATED, Status.PENDING, Status.AUTHORIZING})
# Why a checkout nobody finished was failed here, though the gateway may still take the money.
EXPIRED = "The checkout was not completed in time"
PAID = frozenset({Status.SUCCEEDED, Status.PARTIALLY_REFUNDED, Status.REFUNDED})
# What the API calls each state (the spec answers "pending" and "success").
PUBLIC_STATUS = {
    Status.INITIATED: "pending",
    Status.PENDING: "pending",
    Status.AUTHORIZING: "pending",
    Status.SUCCEEDED: "success",
    Status.FAILED: "failed",
    Status.PARTIALLY_REFUNDED: "partially_refunded",
    Status.REFUNDED: "refunded",
}


@dataclass(frozen=True)
class NextStep:
    """What the gateway asks of the payer: ``step`` is its word (``send_pin``, ``send_otp``,
    ``send_phone``, ``send_birthday``, ``send_address`` or ``open_url``), ``message`` the text
    to show, ``url`` the page to open for ``open_url``."""

    step: str
    message: str
    url: str | None = None


class PaymentNotFoundError(NotFoundError):
    message = "Transaction not found"


def transaction_id_of(payment_id: UUID) -> str:
    """The reference gateways and clients see; it names the payment, so no lookup is needed."""
    return TRANSACTION_PREFIX + payment_id.hex


def payment_id_of(transaction_id: str) -> UUID:
    if not transaction_id.startswith(TRANSACTION_PREFIX):
        raise PaymentNotFoundError
    try:
        return UUID(hex=transaction_id.removeprefix(TRANSACTION_PREFIX))
    except ValueError:
        raise PaymentNotFoundError from None
