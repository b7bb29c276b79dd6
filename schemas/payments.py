"""Requests and answers of the payment endpoints (spec §3 Payment Service).

Amounts on the wire are in major units (naira) like course prices, with their currency;
inside Campus they are integer minor units (kobo).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BeforeValidator, EmailStr, StringConstraints

from schemas.base import CamelModel, Moment
from schemas.courses import Price

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
# A month or year as a person writes it: 12 or "12", 2030 or "30".
DatePart = Annotated[Short, BeforeValidator(lambda v: str(v) if type(v) is int else v)]


class CardDetailsRequest(CamelModel):
    number: Short
    expiry_month: DatePart
    expiry_year: DatePart
    cvv: Short


class PaymentInitiateRequest(CamelModel):
    course_id: UUID
    method: Literal["card", "paystack"]
    user_id: UUID | None = None  # the caller, unless an admin pays for someone
    amount: Price | None = None  # if sent: the course price or the total after discounts
    card_details: CardDetailsRequest | None = None
    paystack_email: EmailStr | None = None
    coupon_code: Code | None = None
    promo_code: Code | None = None


class NextActionResponse(CamelModel):
    """What the payer must do before a pending card payment is decided: ``send_pin``,
    ``send_otp``, ``send_phone``, ``send_birthday``, ``send_address`` (then
    ``POST /api/payments/{transactionId}/authorize``), ``open_url`` (finish on ``url``), or
    ``check_status`` (nothing to send: ask ``GET /api/payments/status/{transactionId}``)."""

    type: str
    message: str
    url: str | None = None


class PaymentAuthorizeRequest(CamelModel):
    """The payer's answer to ``nextAction``: only the fields its step asks for are sent on."""

    pin: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None
    otp: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{4,10}$")] | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    birthday: date | None = None  # YYYY-MM-DD
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    city: Short | None = None
    state: Short | None = None
    zipcode: Short | None = None


class PaymentResponse(CamelModel):
    payment_id: str
    transaction_id: str
    status: str
    method: str
    currency: str
    amount: float  # what is charged, after discounts
    original_amount: float
    discounted_amount: float
    refunded_amount: float | None = None
    # Claimed for a refund the gateway has not paid back yet: counted in refundedAmount once
    # it has (Paystack queues refunds), gone if it fails there.
    refund_in_progress: float = 0.0
    coupon_code: str | None = None
    promo_code: str | None = None
    access_code: str | None = None
    authorization_url: str | None = None
    payment_date: Moment | None = None
    card: dict[str, str] | None = None
    next_action: NextActionResponse | None = None  # a pending card payment: what comes next
    message: str | None = None


class DiscountValidateRequest(CamelModel):
    course_id: UUID
    coupon_code: Code | None = None
    promo_code: Code | None = None


class DiscountResponse(CamelModel):
    valid: bool
    discount_percentage: float | None = None
    discount_amount: float | None = None  # a fixed discount, in major units
    currency: str
    original_amount: float
    discounted_amount: float
    message: str


class RefundRequest(CamelModel):
    amount: Price | None = None  # default: all that is left
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
