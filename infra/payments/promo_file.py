"""Promo codes from a JSON file (FilePromoProvider): the embedded default's promo provider.

The file (format in docs/promo-provider.md) is ``settings.promo_codes_file``, by default
``data_dir/promo-codes.json``::

    {"promoCodes": [
        {"code": "PROMO2025", "discountPercentage": 15,
         "courseIds": ["<uuid>"], "validFrom": "2025-01-01", "validTo": "2025-12-31",
         "active": true},
        {"code": "WELCOME", "discountAmount": 50000, "currency": "NGN"}
    ]}

Only ``code`` and one discount are required: without ``courseIds`` a code fits every course,
without ``validFrom``/``validTo`` it never starts or ends. Codes match whatever their case.
An operator edits the file while Campus runs: it is read again whenever it changes. No file
means no promo codes; a malformed one makes every lookup unavailable, naming the file.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from commands.payments.ports import PromoInvalidError, PromoProvider, PromoUnavailableError
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError
from infra.payments.promo_http import HttpPromoProvider
from infra.settings import Settings

log = logging.getLogger("campus.promos")


class MalformedError(ValueError):
    """An entry of the promo codes file is not what the format says."""


@dataclass(frozen=True)
class PromoCode:
    discount: Discount
    course_ids: frozenset[UUID] | None
    valid_from: datetime | None
    valid_until: datetime | None  # exclusive
    active: bool

    def check(self, course_id: UUID, now: datetime) -> None:
        if not self.active:
            raise PromoInvalidError
        if self.course_ids is not None and course_id not in self.course_ids:
            raise PromoInvalidError("The promo code does not apply to this course")
        if self.valid_from and now < self.valid_from:
            raise PromoInvalidError("The promo code is not valid yet")
        if self.valid_until and now >= self.valid_until:
            raise PromoInvalidError("The promo code has expired")


class FilePromoProvider:
    def __init__(self, path: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.path = Path(path)
        self.clock = clock
        self.lock = threading.Lock()
        self.version: tuple[int, int] | None = None
        self.codes: dict[str, PromoCode] = {}

    def lookup(self, code: str, course_id: UUID, user_id: UUID) -> Discount:
        """The discount of ``code`` if the file has it and it applies to ``course_id`` now."""
        promo = self.current().get(code.strip().upper())
        if promo is None:
            raise PromoInvalidError
        promo.check(course_id, self.clock())
        return promo.discount

    def current(self) -> dict[str, PromoCode]:
        with self.lock:
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                self.version, self.codes = None, {}
                return self.codes
            # Size as well as mtime: two writes within the clock's resolution still differ.
            version = (stat.st_mtime_ns, stat.st_size)
            if version != self.version:
                self.codes, self.version = self.read(), version
            return self.codes

    def read(self) -> dict[str, PromoCode]:
        try:
            return parse_file(json.loads(self.path.read_text(encoding="utf-8")))
        except (ValueError, OSError) as error:
            log.error("promo codes file %s is malformed: %s", self.path, error)
            raise PromoUnavailableError(
                f"The promo codes file {self.path} is malformed: {error}"
            ) from None


def parse_file(document: Any) -> dict[str, PromoCode]:
    entries = document.get("promoCodes") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise MalformedError('expected {"promoCodes": [...]}')
    codes: dict[str, PromoCode] = {}
    for index, entry in enumerate(entries):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise MalformedError(f"promoCodes[{index}] has no code")
        if code.strip().upper() in codes:
            raise MalformedError(f"{code} appears twice")
        codes[code.strip().upper()] = parse_entry(code, entry)
    return codes


def parse_entry(code: str, entry: dict[str, Any]) -> PromoCode:
    course_ids = entry.get("courseIds")
    active = entry.get("active", True)
    if course_ids is not None and not isinstance(course_ids, list):
        raise MalformedError(f"{code}: courseIds is not a list")
    if not isinstance(active, bool):
        raise MalformedError(f"{code}: active is not true or false")
    try:
        return PromoCode(
            discount_of(entry),
            None if course_ids is None else frozenset(UUID(str(c)) for c in course_ids),
            moment(entry.get("validFrom")),
            moment(entry.get("validTo"), end_of_day=True),
            active,
        )
    # ArithmeticError: decimal's refusal of a percentage that is not a number.
    except (ValueError, ArithmeticError, InvalidInputError) as error:
        raise MalformedError(f"{code}: {error}") from None


def discount_of(entry: dict[str, Any]) -> Discount:
    if "discountPercentage" in entry:
        if "discountAmount" in entry:
            raise MalformedError("both discountPercentage and discountAmount")
        return Discount.percentage(str(entry["discountPercentage"]))
    amount, currency = entry.get("discountAmount"), entry.get("currency")
    if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(currency, str):
        raise MalformedError("needs discountPercentage, or discountAmount with currency")
    return Discount(amount=amount, currency=currency.upper())


def moment(value: Any, end_of_day: bool = False) -> datetime | None:
    """A timestamp, UTC when it names no zone; a date alone starts that day, or with
    ``end_of_day`` ends it, so ``"validTo": "2025-12-31"`` still holds on the 31st."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedError(f"{value!r} is not an ISO-8601 date or time")
    if len(value) == 10:
        day = date.fromisoformat(value) + timedelta(days=1 if end_of_day else 0)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def open_promo_provider(settings: Settings) -> PromoProvider:
    """The HTTP promo API when ``promo_api_url`` is set, else the promo codes file."""
    if settings.promo_api_url:
        return HttpPromoProvider(settings)
    return FilePromoProvider(
        settings.promo_codes_file or Path(settings.data_dir) / "promo-codes.json"
    )
