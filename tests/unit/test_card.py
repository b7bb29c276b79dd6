"""The card checks made before any gateway sees a card, and what may be kept of it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.commerce.card import Card, InvalidCardError, luhn_valid

TODAY = date(2025, 6, 15)
VISA = "4242424242424242"
AMEX = "378282246310005"


def parse(number: str = VISA, month: str = "12", year: str = "2030", cvv: str = "123") -> Card:
    return Card.parse(number, month, year, cvv, TODAY)


def with_check_digit(payload: str) -> str:
    """``payload`` and the digit that makes it pass Luhn."""
    return next(payload + d for d in "0123456789" if luhn_valid(payload + d))


@pytest.mark.parametrize(
    "number", ["4242424242424242", "4084084084084081", "4000000000000002", "4084080000005408"]
)
def test_the_sandbox_card_numbers_parse(number):
    assert parse(number).number == number


@pytest.mark.parametrize("number", ["4242 4242 4242 4242", "4242-4242-4242-4242"])
def test_spaces_and_dashes_in_the_number_are_accepted_and_dropped(number):
    assert parse(number).number == VISA


def test_a_number_that_fails_luhn_is_invalid():
    with pytest.raises(InvalidCardError):
        parse("4242424242424241")


@pytest.mark.parametrize("length", [11, 20])
def test_a_luhn_valid_number_shorter_than_12_or_longer_than_19_digits_is_invalid(length):
    with pytest.raises(InvalidCardError):
        parse(with_check_digit("4" * (length - 1)))


@pytest.mark.parametrize("length", [12, 19])
def test_a_luhn_valid_number_of_12_or_19_digits_is_accepted(length):
    number = with_check_digit("4" * (length - 1))

    assert parse(number).number == number


@pytest.mark.parametrize("number", ["4242x24242424242", "424242424242424a", "", "card"])
def test_a_number_with_letters_or_without_digits_is_invalid(number):
    with pytest.raises(InvalidCardError):
        parse(number)


@pytest.mark.parametrize("number", ["424242424242424²", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢"])
def test_a_number_with_non_ascii_digits_is_invalid(number):
    with pytest.raises(InvalidCardError):
        parse(number)


@pytest.mark.parametrize("month", ["0", "00", "13", "", "1a", "012"])
def test_an_expiry_month_outside_1_to_12_is_invalid(month):
    with pytest.raises(InvalidCardError):
        parse(month=month)


@pytest.mark.parametrize(("month", "expected"), [("1", 1), ("01", 1), ("12", 12)])
def test_an_expiry_month_of_one_or_two_digits_is_accepted(month, expected):
    assert parse(month=month).expiry_month == expected


def test_a_two_digit_expiry_year_is_in_this_century():
    assert parse(year="30").expiry_year == 2030


def test_a_four_digit_expiry_year_is_taken_as_is():
    assert parse(year="2031").expiry_year == 2031


@pytest.mark.parametrize("year", ["3", "030", "20301", "", "20x0"])
def test_an_expiry_year_of_neither_two_nor_four_digits_is_invalid(year):
    with pytest.raises(InvalidCardError):
        parse(year=year)


def test_a_card_expiring_this_month_is_still_valid():
    assert parse(month="06", year="2025").expiry_month == 6


def test_a_card_that_expired_last_month_is_invalid():
    with pytest.raises(InvalidCardError, match="expired"):
        parse(month="05", year="2025")


def test_a_card_that_expired_in_december_of_last_year_is_invalid():
    with pytest.raises(InvalidCardError, match="expired"):
        parse(month="12", year="24")


def test_a_visa_takes_a_three_digit_cvv():
    assert parse(cvv="737").cvv == "737"


def test_an_amex_takes_a_four_digit_cvv():
    assert parse(AMEX, cvv="7373").cvv == "7373"


@pytest.mark.parametrize(
    ("number", "cvv"),
    [
        (VISA, "1234"),
        (VISA, "12"),
        (VISA, "12a"),
        (VISA, ""),
        (AMEX, "123"),
        (AMEX, "12345"),
        (AMEX, "12a4"),
    ],
)
def test_a_cvv_of_the_wrong_length_or_with_letters_is_invalid(number, cvv):
    with pytest.raises(InvalidCardError, match="CVV"):
        parse(number, cvv=cvv)


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        (VISA, "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("5060666666666666666", "verve"),
        (with_check_digit("506100000000000"), "verve"),
        (AMEX, "amex"),
        ("6011111111111117", "discover"),
        (with_check_digit("900000000000000"), "card"),
    ],
)
def test_the_brand_is_read_from_the_number_prefix(number, brand):
    cvv = "1234" if brand == "amex" else "123"

    assert parse(number, cvv=cvv).brand == brand


@pytest.mark.parametrize("show", [repr, str])
def test_the_card_text_shows_neither_the_number_nor_the_cvv(show):
    text = show(parse(VISA, cvv="737"))

    assert VISA not in text and "737" not in text


def test_the_summary_holds_the_brand_last_four_digits_and_expiry_only():
    assert parse(VISA, month="6", year="30", cvv="737").summary == {
        "brand": "visa",
        "last4": "4242",
        "expiryMonth": "06",
        "expiryYear": "2030",
    }
