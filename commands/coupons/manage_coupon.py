"""Admins issue coupons, change their validity window and limits, and deactivate them; each
answers the coupon as it stands (a ``CouponResult``, not the aggregate)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.applications import Commerce
from domain.actor import Actor
from domain.commerce.coupon import Coupon, CouponExistsError
from domain.commerce.coupon_usage import UsageType
from domain.commerce.pricing import Discount
from domain.errors import ForbiddenError, InvalidInputError


@dataclass(frozen=True)
class CreateCoupon:
    actor: Actor
    code: str
    discount: Discount
    valid_from: datetime
    valid_to: datetime
    course_id: UUID | None = None
    usage_type: UsageType = UsageType.MULTI_USE
    max_redemptions: int | None = None
    per_user_limit: int | None = None


@dataclass(frozen=True)
class ChangeCoupon:
    """``changes`` names only what changes: valid_from, valid_to, is_active,
    max_redemptions, per_user_limit (None lifts a limit)."""

    actor: Actor
    code: str
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class DeactivateCoupon:
    actor: Actor
    code: str


@dataclass(frozen=True)
class CouponResult:
    id: UUID
    code: str
    discount: Discount
    valid_from: datetime
    valid_to: datetime
    is_active: bool
    course_id: UUID | None
    usage_type: str
    max_redemptions: int | None
    per_user_limit: int | None
    redemptions: int
    in_flight: int  # uses held by checkouts not settled yet

    @classmethod
    def of(cls, coupon: Coupon) -> CouponResult:
        return cls(
            coupon.id,
            coupon.code,
            coupon.discount,
            coupon.valid_from,
            coupon.valid_to,
            coupon.is_active,
            coupon.course_id,
            coupon.usage_type,
            coupon.max_redemptions,
            coupon.per_user_limit,
            coupon.redemptions,
            len(coupon.holds),
        )


def ensure_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise ForbiddenError("Only admins manage coupons")


def create_coupon(cmd: CreateCoupon, commerce: Commerce) -> CouponResult:
    ensure_admin(cmd.actor)
    coupon = Coupon.issue(
        cmd.code,
        cmd.discount,
        cmd.valid_from,
        cmd.valid_to,
        cmd.course_id,
        cmd.usage_type,
        cmd.max_redemptions,
        cmd.per_user_limit,
        cmd.actor.user_id,
    )
    try:
        commerce.save(coupon)
    except IntegrityError:  # the id is the code's: someone issued it first
        raise CouponExistsError from None
    return CouponResult.of(coupon)


def change_coupon(cmd: ChangeCoupon, commerce: Commerce) -> CouponResult:
    ensure_admin(cmd.actor)
    coupon = commerce.get_coupon(cmd.code)
    current = {
        "valid_from": coupon.valid_from,
        "valid_to": coupon.valid_to,
        "is_active": coupon.is_active,
        "max_redemptions": coupon.max_redemptions,
        "per_user_limit": coupon.per_user_limit,
    }
    unknown = set(cmd.changes) - set(current)
    if unknown:
        raise InvalidInputError(f"Coupons cannot change {', '.join(sorted(unknown))}")
    coupon.change(**(current | dict(cmd.changes)))
    commerce.save(coupon)
    return CouponResult.of(coupon)


def deactivate_coupon(cmd: DeactivateCoupon, commerce: Commerce) -> CouponResult:
    ensure_admin(cmd.actor)
    coupon = commerce.get_coupon(cmd.code)
    coupon.deactivate()
    commerce.save(coupon)
    return CouponResult.of(coupon)
