"""Responses of the payment history and the admin's coupon list.

Amounts are in major units (naira, not kobo), as course prices are, each beside its currency.
"""

from __future__ import annotations

from typing import Literal

from schemas.base import CamelModel

# The payment states as the API names them (domain.commerce.payment_terms.PUBLIC_STATUS).
PaymentStatus = Literal["pending", "success", "failed", "partially_refunded", "refunded"]


class CardSummaryView(CamelModel):
    brand: str
    last4: str


class PaymentListingView(CamelModel):
    payment_id: str
    transaction_id: str
    course_id: str
    user_id: str
    method: str
    status: PaymentStatus
    original_amount: float
    discounted_amount: float  # what was charged, after the coupon and the promo
    refunded_amount: float
    refund_in_progress: float  # claimed for a refund the gateway has not paid back yet
    currency: str
    coupon_code: str | None
    promo_code: str | None
    card: CardSummaryView | None
    payment_date: str | None
    created_at: str


class PaymentPage(CamelModel):
    payments: list[PaymentListingView]
    page: int
    page_size: int
    total: int


class CouponListingView(CamelModel):
    coupon_id: str
    code: str
    discount_percentage: float | None  # 12.5 for 12.5 %; null for a fixed amount
    discount_amount: float | None
    currency: str | None
    valid_from: str
    valid_to: str
    is_active: bool
    course_id: str | None
    usage_type: str
    max_redemptions: int | None
    per_user_limit: int | None
    redemptions: int
    in_flight: int  # checkouts holding a use until their payment settles
    remaining: int | None  # null when the coupon has no maximum


class CouponPage(CamelModel):
    coupons: list[CouponListingView]
    page: int
    page_size: int
    total: int
