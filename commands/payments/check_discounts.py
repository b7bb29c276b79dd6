"""Check a coupon or a promo code for a course before paying: what it takes off, and why not.

Given the other code too, the price shown is the one the checkout charges with both (the coupon
first, then the promo). Nothing is saved: the checkout checks again, since a coupon may run out
in between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from commands.applications import Catalog, Commerce
from commands.payments.initiate_payment import find_coupon
from commands.payments.ports import PromoProvider
from domain.actor import Actor
from domain.commerce.pricing import Discount, Quote, quote
from domain.courses.structure import CourseNotFoundError


@dataclass(frozen=True)
class ValidateCoupon:
    actor: Actor
    code: str
    course_id: UUID
    promo_code: str | None = None  # paid with it too


@dataclass(frozen=True)
class ValidatePromo:
    actor: Actor
    code: str
    course_id: UUID
    coupon_code: str | None = None  # paid with it too


@dataclass(frozen=True)
class DiscountCheck:
    discount: Discount  # what the code checked takes off
    price: Quote  # the course's price with every code given


def validate_coupon(
    cmd: ValidateCoupon,
    commerce: Commerce,
    catalog: Catalog,
    promos: PromoProvider,
    clock: Callable[[], datetime],
) -> DiscountCheck:
    price, currency = course_price(catalog, cmd.course_id)
    coupon = coupon_discount(commerce, cmd.code, cmd.course_id, cmd.actor, clock)
    promo = (
        promos.lookup(cmd.promo_code, cmd.course_id, cmd.actor.user_id) if cmd.promo_code else None
    )
    return DiscountCheck(coupon, quote(price, currency, coupon=coupon, promo=promo))


def validate_promo(
    cmd: ValidatePromo,
    commerce: Commerce,
    catalog: Catalog,
    promos: PromoProvider,
    clock: Callable[[], datetime],
) -> DiscountCheck:
    price, currency = course_price(catalog, cmd.course_id)
    promo = promos.lookup(cmd.code, cmd.course_id, cmd.actor.user_id)
    coupon = (
        coupon_discount(commerce, cmd.coupon_code, cmd.course_id, cmd.actor, clock)
        if cmd.coupon_code
        else None
    )
    return DiscountCheck(promo, quote(price, currency, coupon=coupon, promo=promo))


def coupon_discount(
    commerce: Commerce, code: str, course_id: UUID, actor: Actor, clock: Callable[[], datetime]
) -> Discount:
    coupon = find_coupon(commerce, code)
    return coupon.ensure_applicable(course_id, actor.user_id, clock())  # type: ignore[union-attr]


def course_price(catalog: Catalog, course_id: UUID) -> tuple[int, str]:
    course = catalog.get_course(course_id)
    if not course.is_published:
        raise CourseNotFoundError
    return course.price, course.currency
