"""Check a coupon or a promo code for a course before paying: what it takes off, and why not.

Nothing is saved: the checkout checks again, since a coupon may run out in between.
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


@dataclass(frozen=True)
class ValidatePromo:
    actor: Actor
    code: str
    course_id: UUID


@dataclass(frozen=True)
class DiscountCheck:
    discount: Discount
    price: Quote  # the course's price with only this discount


def validate_coupon(
    cmd: ValidateCoupon, commerce: Commerce, catalog: Catalog, clock: Callable[[], datetime]
) -> DiscountCheck:
    price, currency = course_price(catalog, cmd.course_id)
    coupon = find_coupon(commerce, cmd.code)
    discount = coupon.ensure_applicable(cmd.course_id, cmd.actor.user_id, clock())  # type: ignore[union-attr]
    return DiscountCheck(discount, quote(price, currency, coupon=discount))


def validate_promo(cmd: ValidatePromo, catalog: Catalog, promos: PromoProvider) -> DiscountCheck:
    price, currency = course_price(catalog, cmd.course_id)
    discount = promos.lookup(cmd.code, cmd.course_id, cmd.actor.user_id)
    return DiscountCheck(discount, quote(price, currency, promo=discount))


def course_price(catalog: Catalog, course_id: UUID) -> tuple[int, str]:
    course = catalog.get_course(course_id)
    if not course.is_published:
        raise CourseNotFoundError
    return course.price, course.currency
