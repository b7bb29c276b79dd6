"""Coupons (spec "Coupons"): admins create them, change their window and limits, and
deactivate them. Codes are case-insensitive: ``save10`` and ``SAVE10`` are one coupon."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from commands.coupons.manage_coupon import (
    ChangeCoupon,
    CouponResult,
    CreateCoupon,
    DeactivateCoupon,
)
from domain.commerce.coupon_usage import UsageType
from domain.commerce.pricing import Discount
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.coupons import CouponCreateRequest, CouponResponse, CouponUpdateRequest
from write_api.courses import actor
from write_api.deps import Bus
from write_api.payments import discount_fields, minor

router = APIRouter(tags=["coupons"])


def answer(coupon: CouponResult, message: str, status_code: int = 200) -> EnvelopeResponse:
    discount = coupon.discount
    model = CouponResponse(
        coupon_id=str(coupon.id),
        code=coupon.code,
        **discount_fields(discount),
        currency=discount.currency,
        valid_from=coupon.valid_from,
        valid_to=coupon.valid_to,
        is_active=coupon.is_active,
        course_id=str(coupon.course_id) if coupon.course_id else None,
        usage_type=coupon.usage_type,
        max_redemptions=coupon.max_redemptions,
        per_user_limit=coupon.per_user_limit,
        redemptions=coupon.redemptions,
        in_flight=coupon.in_flight,
        message=message,
    )
    return success(model.model_dump(by_alias=True), status_code)


@router.post("/api/admin/coupons", status_code=201, responses=documented(CouponResponse, 201))
def create(body: CouponCreateRequest, user: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Create a coupon: a percentage or a fixed amount off, for a window, with optional limits."""
    discount = (
        Discount.percentage(body.discount_percentage)
        if body.discount_percentage is not None
        else Discount(amount=minor(body.discount_amount), currency=body.currency)  # type: ignore[arg-type]
    )
    coupon = bus.handle(
        CreateCoupon(
            actor(user),
            body.code,
            discount,
            body.valid_from or datetime.now(UTC),
            body.valid_to,
            body.course_id,
            UsageType(body.usage_type),
            body.max_redemptions,
            body.per_user_limit,
        )
    )
    return answer(coupon, "Coupon created successfully", 201)


@router.put("/api/admin/coupons/{code}", responses=documented(CouponResponse))
def change(code: str, body: CouponUpdateRequest, user: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Change a coupon's validity window, active flag or limits (only the fields sent)."""
    changes = body.model_dump(include=body.model_fields_set)
    coupon = bus.handle(ChangeCoupon(actor(user), code, changes))
    return answer(coupon, "Coupon updated successfully")


@router.post("/api/admin/coupons/{code}/deactivate", responses=documented(CouponResponse))
def deactivate(code: str, user: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Deactivate a coupon: checkouts already holding it may still complete."""
    coupon = bus.handle(DeactivateCoupon(actor(user), code))
    return answer(coupon, "Coupon deactivated successfully")
