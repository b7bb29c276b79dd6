"""A payment card as a learner types it, and the checks made before any gateway sees it.

A ``Card`` lives only for the length of one request: events, logs and tables get its
``summary`` (brand, last four digits, expiry), never the number or the CVV. Its ``repr``
masks both, so a stray log line cannot leak them either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.errors import InvalidInputError

BRANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("visa", re.compile(r"4")),
    ("mastercard", re.compile(r"5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720)")),
    ("verve", re.compile(r"50[06]|650")),
    ("amex", re.compile(r"3[47]")),
    ("discover", re.compile(r"6011|65")),
)


class InvalidCardError(InvalidInputError):
    """The card number, expiry or CVV cannot be right; no gateway was asked."""

    message = "Invalid card details"


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


@dataclass(frozen=True)
class Card:
    number: str = field(repr=False)
    expiry_month: int
    expiry_year: int
    cvv: str = field(repr=False)

    @classmethod
    def parse(cls, number: str, month: str, year: str, cvv: str, today: date) -> Card:
        """A card whose number passes Luhn, which has not expired and whose CVV fits its brand."""
        digits = re.sub(r"[ -]", "", number or "")
        # [0-9], not \d or isdigit(): those take other scripts' digits and superscripts.
        if not re.fullmatch(r"[0-9]{12,19}", digits) or not luhn_valid(digits):
            raise InvalidCardError("Invalid card number")
        expiry_month, expiry_year = parse_expiry(month, year)
        if (expiry_year, expiry_month) < (today.year, today.month):
            raise InvalidCardError("The card has expired")
        card = cls(digits, expiry_month, expiry_year, cvv or "")
        if not re.fullmatch(r"[0-9]{4}" if card.brand == "amex" else r"[0-9]{3}", card.cvv):
            raise InvalidCardError("Invalid CVV")
        return card

    @property
    def brand(self) -> str:
        return next((name for name, prefix in BRANDS if prefix.match(self.number)), "card")

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def summary(self) -> dict[str, str]:
        """What may be kept about the card."""
        return {
            "brand": self.brand,
            "last4": self.last4,
            "expiryMonth": f"{self.expiry_month:02d}",
            "expiryYear": str(self.expiry_year),
        }


def parse_expiry(month: str, year: str) -> tuple[int, int]:
    if not re.fullmatch(r"[0-9]{1,2}", month or "") or not 1 <= int(month) <= 12:
        raise InvalidCardError("Invalid expiry month")
    if not re.fullmatch(r"[0-9]{2}|[0-9]{4}", year or ""):
        raise InvalidCardError("Invalid expiry year")
    return int(month), int(year) + (2000 if len(year) == 2 else 0)
