"""What a learner pays: the course price less a coupon, then less a promo.

Money is an integer count of minor units (kobo) with its currency. Percentages are integer
basis points (10 % = 1,000), so every figure is exact and the rounding is one stated rule:

* a percentage discount is ``floor(base * basis_points / 10,000)`` kobo: it rounds down, so a
  fraction of a kobo is never given away and the same inputs always give the same total;
* a fixed discount takes its amount, but never more than what is left;
* the coupon applies to the price, the promo to what the coupon left; both are optional.

Stacking in that order means a 100 % coupon leaves nothing for a promo to discount, and two
percentages compound (10 % then 20 % is 28 %, not 30 %): the total is never below 0 nor above
the price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidInputError

FULL = 10_000  # basis points in 100 %


class CurrencyMismatchError(InvalidInputError):
    """A fixed discount in one currency cannot reduce a price in another."""

    message = "The discount's currency does not match the course's"


@dataclass(frozen=True)
class Discount:
    """A percentage (``basis_points``) or a fixed ``amount`` in minor units of ``currency``."""

    basis_points: int | None = None
    amount: int | None = None
    currency: str | None = None

    def __post_init__(self) -> None:
        if (self.basis_points is None) == (self.amount is None):
            raise InvalidInputError("A discount is either a percentage or a fixed amount")
        if self.basis_points is not None and not 0 < self.basis_points <= FULL:
            raise InvalidInputError("A discount percentage must be above 0 and at most 100")
        if self.amount is not None and (self.amount <= 0 or not self.currency):
            raise InvalidInputError("A fixed discount is a positive amount with a currency")

    @classmethod
    def percentage(cls, percent: Decimal | int | float | str) -> Discount:
        """``Discount.percentage("12.5")``: hundredths of a percent are kept, finer is refused."""
        try:
            points = Decimal(str(percent)) * 100
        except ArithmeticError:  # "abc" is decimal.InvalidOperation, an ArithmeticError
            raise InvalidInputError("A discount percentage is a number") from None
        if not points.is_finite() or points != points.to_integral_value():
            raise InvalidInputError("A discount percentage has at most two decimals")
        return cls(basis_points=int(points))

    @property
    def percent(self) -> Decimal | None:
        return None if self.basis_points is None else Decimal(self.basis_points) / 100

    def off(self, base: int, currency: str) -> int:
        """How many minor units this discount takes off ``base``."""
        if self.basis_points is not None:
            return base * self.basis_points // FULL
        if self.currency != currency:
            raise CurrencyMismatchError
        return min(self.amount or 0, base)


@dataclass(frozen=True)
class Quote:
    """The price, each discount and the total, all in minor units of ``currency``."""

    price: int
    currency: str
    coupon_discount: int = 0
    promo_discount: int = 0

    @property
    def total(self) -> int:
        return self.price - self.coupon_discount - self.promo_discount


def quote(
    price: int, currency: str, coupon: Discount | None = None, promo: Discount | None = None
) -> Quote:
    """What a course at ``price`` costs with the coupon, then the promo, applied."""
    if price < 0:
        raise InvalidInputError("A price cannot be negative")
    coupon_off = coupon.off(price, currency) if coupon else 0
    promo_off = promo.off(price - coupon_off, currency) if promo else 0
    return Quote(price, currency, coupon_off, promo_off)
