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
from commands.payments import checkout
from commands.payments.ports import Gateways
from domain.actor import Actor
from domain.commerce.pricing import Discount, Quote, quote

Clock = Callable[[], datetime]


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
    cmd: ValidateCoupon, commerce: Commerce, catalog: Catalog, gateways: Gateways, clock: Clock
) -> DiscountCheck:
    price = checkout.list_price(catalog, cmd.course_id)
    coupon = coupon_discount(commerce, cmd.code, cmd.course_id, cmd.actor, clock)
    promo = checkout.promo_discount(
        gateways.promos, cmd.promo_code, cmd.course_id, cmd.actor.user_id
    )
    return DiscountCheck(coupon, quote(*price, coupon=coupon, promo=promo))  # type: ignore[arg-type]


def validate_promo(
    cmd: ValidatePromo, commerce: Commerce, catalog: Catalog, gateways: Gateways, clock: Clock
) -> DiscountCheck:
    price = checkout.list_price(catalog, cmd.course_id)
    promo = gateways.promos.lookup(cmd.code, cmd.course_id, cmd.actor.user_id)
    coupon = coupon_discount(commerce, cmd.coupon_code, cmd.course_id, cmd.actor, clock)
    return DiscountCheck(promo, quote(*price, coupon=coupon, promo=promo))


def coupon_discount(
    commerce: Commerce, code: str | None, course_id: UUID, actor: Actor, clock: Clock
) -> Discount | None:
    coupon = checkout.find_coupon(commerce, code)
    return checkout.coupon_discount(coupon, course_id, actor.user_id, clock())
