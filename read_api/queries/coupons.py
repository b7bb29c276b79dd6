"""Queries on the coupons read model: the admin's page of coupons with their usage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from projections.coupons import coupons
from schemas.base import iso_utc
from schemas.payment_listings import CouponListingView, CouponPage


def coupon_page(conn: Connection, page: int, page_size: int, active: bool | None) -> CouponPage:
    filters = [] if active is None else [coupons.c.is_active == active]
    total = conn.execute(select(func.count()).select_from(coupons).where(*filters)).scalar_one()
    rows = conn.execute(
        select(coupons)
        .where(*filters)
        .order_by(coupons.c.created_at.desc(), coupons.c.coupon_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return CouponPage(
        coupons=[listing(r) for r in rows], page=page, page_size=page_size, total=total
    )


def listing(row: Any) -> CouponListingView:
    return CouponListingView(
        coupon_id=row.coupon_id,
        code=row.code,
        discount_percentage=percent(row.discount_basis_points),
        discount_amount=None if row.discount_amount is None else row.discount_amount / 100,
        currency=row.currency,
        valid_from=iso_utc(row.valid_from),
        valid_to=iso_utc(row.valid_to),
        is_active=row.is_active,
        course_id=row.course_id,
        usage_type=row.usage_type,
        max_redemptions=row.max_redemptions,
        per_user_limit=row.per_user_limit,
        redemptions=row.redemptions,
        in_flight=row.holds,
        remaining=remaining(row),
    )


def percent(basis_points: int | None) -> float | None:
    return None if basis_points is None else basis_points / 100


def remaining(row: Any) -> int | None:
    """Uses still to be had: checkouts in flight count, as the coupon counts them."""
    if row.max_redemptions is None:
        return None
    return max(row.max_redemptions - row.redemptions - row.holds, 0)
