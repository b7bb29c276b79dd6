"""How a notice reads: the port that words it for its reader, and the values it is worded from.

A policy says what happened (a kind, and values such as a course title, an amount or a due
time); the wording turns that into a subject and a message in the reader's language, with
amounts and dates written the way that language writes them. Policies never hold the text, so
one fact reads the same whichever policy or timer told it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from domain.users.preferences import Preferences


@dataclass(frozen=True)
class Money:
    """An amount in minor units (kobo for NGN), written in the reader's locale."""

    amount: int
    currency: str


@dataclass(frozen=True)
class Day:
    """The calendar day of a moment, as it is in the reader's time zone."""

    moment: datetime


# Text is shown as given; numbers, Money, a Day and a datetime (a moment, shown as day and time
# in the reader's time zone) are written for the reader's locale.
Value = str | int | float | Decimal | Money | Day | datetime


@dataclass(frozen=True)
class Worded:
    subject: str
    message: str


class Wording(Protocol):
    """Words a notice of ``kind`` for a reader with these preferences: in their language when
    Campus speaks it, else in English; a text missing from their language is in English too."""

    def word(self, kind: str, values: Mapping[str, Value], reader: Preferences) -> Worded: ...
