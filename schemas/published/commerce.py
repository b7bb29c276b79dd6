"""Published events of coupons, payments, purchases and checkout idempotency keys
(application ``commerce``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import Instant, PublishedPayload, Sealed, Uuid


class CouponCreated(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Created"
    code: str
    discount_basis_points: int | None
    discount_amount: int | None
    currency: str | None
    valid_from: Instant
    valid_to: Instant
    course_id: Uuid | None
    usage_type: str
    max_redemptions: int | None
    per_user_limit: int | None
    created_by: Uuid


class CouponChanged(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Changed"
    valid_from: Instant
    valid_to: Instant
    is_active: bool
    max_redemptions: int | None
    per_user_limit: int | None


class CouponDeactivated(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Deactivated"


class CouponHeld(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Held"
    payment_id: Uuid
    user_id: Uuid


class CouponRedeemed(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Redeemed"
    payment_id: Uuid
    user_id: Uuid


class CouponReleased(PublishedPayload):
    NAME: ClassVar[str] = "Coupon.Released"
    payment_id: Uuid
    user_id: Uuid


class PaymentInitiated(PublishedPayload):
    NAME: ClassVar[str] = "Payment.Initiated"
    DATA_SUBJECT: ClassVar[str | None] = "user_id"
    user_id: Uuid
    course_id: Uuid
    method: str
    currency: str
    original_amount: int
    coupon_code: str | None
    coupon_discount: int
    promo_code: str | None
    promo_discount: int
    amount: int
    email: Sealed
    card: dict[str, Any] | None


class PaymentAuthorizationRequested(PublishedPayload):
    NAME: ClassVar[str] = "Payment.AuthorizationRequested"
    step: str
    message: str
    url: str | None


class PaymentChargeDeferred(PublishedPayload):
    NAME: ClassVar[str] = "Payment.ChargeDeferred"
    reason: str


class PaymentCheckoutStarted(PublishedPayload):
    NAME: ClassVar[str] = "Payment.CheckoutStarted"
    access_code: str
    authorization_url: str


class PaymentFailed(PublishedPayload):
    NAME: ClassVar[str] = "Payment.Failed"
    reason: str


class PaymentPaidTwice(PublishedPayload):
    NAME: ClassVar[str] = "Payment.PaidTwice"
    refund_id: Uuid
    amount: int
    currency: str
    first_payment_id: Uuid


class PaymentRefundFailed(PublishedPayload):
    NAME: ClassVar[str] = "Payment.RefundFailed"
    refund_id: Uuid
    message: str


class PaymentRefundStarted(PublishedPayload):
    NAME: ClassVar[str] = "Payment.RefundStarted"
    refund_id: Uuid
    amount: int
    currency: str
    reason: str
    requested_by: Uuid


class PaymentRefunded(PublishedPayload):
    NAME: ClassVar[str] = "Payment.Refunded"
    refund_id: Uuid
    amount: int
    currency: str


class PaymentSucceeded(PublishedPayload):
    NAME: ClassVar[str] = "Payment.Succeeded"
    amount: int
    currency: str
    paid_at: Instant


class CoursePurchaseStarted(PublishedPayload):
    NAME: ClassVar[str] = "CoursePurchase.Started"
    user_id: Uuid
    course_id: Uuid


class CoursePurchasePaymentClosed(PublishedPayload):
    NAME: ClassVar[str] = "CoursePurchase.PaymentClosed"
    payment_id: Uuid
    paid: bool


class CoursePurchasePaymentOpened(PublishedPayload):
    NAME: ClassVar[str] = "CoursePurchase.PaymentOpened"
    payment_id: Uuid


class CoursePurchaseRefunded(PublishedPayload):
    NAME: ClassVar[str] = "CoursePurchase.Refunded"
    payment_id: Uuid


class IdempotencyKeyClaimed(PublishedPayload):
    NAME: ClassVar[str] = "IdempotencyKey.Claimed"
    user_id: Uuid
    key: str
    fingerprint: str
    result_id: Uuid
