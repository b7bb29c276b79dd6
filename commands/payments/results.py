"""What the payment use cases answer: a payment as its payer or an admin may see it, apart
from the aggregate (the API builds its answers from this, never from a Payment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.commerce.payment import Payment
from domain.commerce.payment_terms import PUBLIC_STATUS, Method, NextStep, Status


@dataclass(frozen=True)
class PaymentResult:
    id: UUID
    transaction_id: str
    method: Method
    status: Status
    currency: str
    amount: int  # minor units, after discounts
    original_amount: int
    refunded_amount: int
    refund_in_progress: int  # minor units claimed for a refund the gateway has not paid yet
    coupon_code: str | None
    promo_code: str | None
    access_code: str | None  # a Paystack checkout's
    authorization_url: str | None
    paid_at: datetime | None
    card: dict[str, str] | None  # brand and last4: all of a card an answer may show
    next_step: NextStep | None
    awaits_gateway: bool  # a card charge went out and its decision is not known yet

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[self.status]

    @classmethod
    def of(cls, payment: Payment) -> PaymentResult:
        card = payment.card and {key: payment.card[key] for key in ("brand", "last4")}
        return cls(
            payment.id,
            payment.transaction_id,
            payment.method,
            payment.status,
            payment.currency,
            payment.amount,
            payment.original_amount,
            payment.refunded_amount,
            payment.refund_in_flight[1] if payment.refund_in_flight else 0,
            payment.coupon_code,
            payment.promo_code,
            payment.access_code,
            payment.authorization_url,
            payment.paid_at,
            card,
            payment.next_step,
            payment.awaits_gateway,
        )
