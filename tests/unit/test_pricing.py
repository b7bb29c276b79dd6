"""What a learner pays: exact integer arithmetic, one rounding rule, coupon before promo.

Hypothesis checks the price rules over prices up to 10^11 kobo, percentages of 1 to 10,000
basis points and fixed discounts up to 10^11 kobo; examples pin the stated figures.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.commerce.pricing import CurrencyMismatchError, Discount, quote
from domain.errors import InvalidInputError

PRICES = st.integers(0, 10**11)
BASIS_POINTS = st.integers(1, 10_000)
AMOUNTS = st.integers(1, 10**11)
PERCENTAGES = BASIS_POINTS.map(lambda points: Discount(basis_points=points))
FIXED = AMOUNTS.map(lambda amount: Discount(amount=amount, currency="NGN"))
DISCOUNTS = st.none() | PERCENTAGES | FIXED


@given(PRICES, DISCOUNTS, DISCOUNTS)
def test_the_total_is_never_below_zero_nor_above_the_price(price, coupon, promo):
    assert 0 <= quote(price, "NGN", coupon, promo).total <= price


@given(PRICES, DISCOUNTS, DISCOUNTS)
def test_the_total_is_the_price_less_both_discounts(price, coupon, promo):
    price_now = quote(price, "NGN", coupon, promo)

    assert price_now.total == price - price_now.coupon_discount - price_now.promo_discount


@given(PRICES, BASIS_POINTS)
def test_a_percentage_discount_is_the_base_times_the_basis_points_rounded_down(base, points):
    assert Discount(basis_points=points).off(base, "NGN") == base * points // 10_000


@given(PRICES, BASIS_POINTS)
def test_a_percentage_discount_never_gives_away_a_fraction_of_a_kobo(base, points):
    off = Discount(basis_points=points).off(base, "NGN")

    assert off * 10_000 <= base * points < (off + 1) * 10_000


@given(PRICES, DISCOUNTS, DISCOUNTS)
def test_the_same_inputs_always_give_the_same_quote(price, coupon, promo):
    assert quote(price, "NGN", coupon, promo) == quote(price, "NGN", coupon, promo)


@given(PRICES, DISCOUNTS, DISCOUNTS)
def test_the_promo_applies_to_what_the_coupon_left(price, coupon, promo):
    price_now = quote(price, "NGN", coupon, promo)

    left = price - price_now.coupon_discount
    assert price_now.promo_discount == (promo.off(left, "NGN") if promo else 0)


def test_ten_percent_then_twenty_percent_of_5000_naira_is_3600_naira():
    price_now = quote(5000_00, "NGN", Discount.percentage(10), Discount.percentage(20))

    assert (price_now.coupon_discount, price_now.promo_discount) == (500_00, 900_00)
    assert price_now.total == 3600_00


@given(PRICES, DISCOUNTS)
def test_a_full_coupon_leaves_nothing_and_the_promo_takes_nothing(price, promo):
    price_now = quote(price, "NGN", Discount.percentage(100), promo)

    assert (price_now.total, price_now.promo_discount) == (0, 0)


@given(PRICES, AMOUNTS)
def test_a_fixed_discount_takes_its_amount_but_never_more_than_the_price(price, amount):
    price_now = quote(price, "NGN", Discount(amount=amount, currency="NGN"))

    assert price_now.coupon_discount == min(amount, price)


def test_a_fixed_discount_larger_than_the_price_makes_it_free():
    assert quote(1000_00, "NGN", Discount(amount=5000_00, currency="NGN")).total == 0


def test_a_fixed_discount_in_another_currency_is_a_currency_mismatch():
    with pytest.raises(CurrencyMismatchError):
        quote(5000_00, "NGN", Discount(amount=10_00, currency="USD"))


def test_a_currency_mismatch_is_invalid_input():
    assert issubclass(CurrencyMismatchError, InvalidInputError)


def test_a_negative_price_is_refused():
    with pytest.raises(InvalidInputError):
        quote(-1, "NGN")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"basis_points": 1000, "amount": 100, "currency": "NGN"},
    ],
    ids=["neither", "both"],
)
def test_a_discount_is_exactly_one_of_a_percentage_or_an_amount(fields):
    with pytest.raises(InvalidInputError):
        Discount(**fields)


@pytest.mark.parametrize("points", [0, -1, 10_001])
def test_a_percentage_outside_above_zero_to_a_hundred_is_refused(points):
    with pytest.raises(InvalidInputError):
        Discount(basis_points=points)


@pytest.mark.parametrize("percent", ["0", "100.01", "12.345", "0.001"])
def test_a_percentage_of_zero_above_a_hundred_or_finer_than_two_decimals_is_refused(percent):
    with pytest.raises(InvalidInputError):
        Discount.percentage(percent)


@pytest.mark.parametrize("amount", [0, -1])
def test_a_fixed_discount_that_is_not_positive_is_refused(amount):
    with pytest.raises(InvalidInputError):
        Discount(amount=amount, currency="NGN")


def test_a_fixed_discount_without_a_currency_is_refused():
    with pytest.raises(InvalidInputError):
        Discount(amount=100)


def test_twelve_and_a_half_percent_is_1250_basis_points():
    assert Discount.percentage("12.5").basis_points == 1250


def test_a_hundredth_of_a_percent_is_kept():
    assert Discount.percentage("0.01").basis_points == 1
