"""The embedded default's promo codes file: matching, restrictions, windows, and edits."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from commands.payments.ports import PromoInvalidError, PromoUnavailableError
from domain.commerce.pricing import Discount
from infra.payments.promo_file import FilePromoProvider

COURSE, OTHER_COURSE, USER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def write_codes(path: Path, *codes: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"promoCodes": list(codes)}))
    return path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "promo-codes.json"


def provider_at(path: Path, now: datetime = NOW) -> FilePromoProvider:
    return FilePromoProvider(path, clock=lambda: now)


def test_a_code_matches_whatever_its_case(path):
    write_codes(path, {"code": "Promo2025", "discountPercentage": 15})

    assert provider_at(path).lookup("pROMO2025", COURSE, USER) == Discount.percentage(15)


def test_a_fixed_code_is_its_amount_in_its_currency(path):
    write_codes(path, {"code": "WELCOME", "discountAmount": 50000, "currency": "ngn"})

    assert provider_at(path).lookup("WELCOME", COURSE, USER) == Discount(
        amount=50000, currency="NGN"
    )


def test_an_unknown_code_is_invalid(path):
    write_codes(path, {"code": "PROMO2025", "discountPercentage": 15})

    with pytest.raises(PromoInvalidError):
        provider_at(path).lookup("PROMO2026", COURSE, USER)


def test_a_code_restricted_to_some_courses_applies_only_to_them(path):
    write_codes(path, {"code": "ONLY", "discountPercentage": 10, "courseIds": [str(COURSE)]})
    provider = provider_at(path)

    assert provider.lookup("ONLY", COURSE, USER) == Discount.percentage(10)
    with pytest.raises(PromoInvalidError, match="does not apply to this course"):
        provider.lookup("ONLY", OTHER_COURSE, USER)


@pytest.mark.parametrize(
    ("window", "now", "applies"),
    [
        ({"validFrom": "2025-06-01", "validTo": "2025-06-30"}, NOW, True),
        ({"validFrom": "2025-07-01"}, NOW, False),
        ({"validTo": "2025-06-14"}, NOW, False),
        ({"validTo": "2025-06-15"}, datetime(2025, 6, 15, 23, 59, tzinfo=UTC), True),
        ({"validTo": "2025-06-15T12:00:00+00:00"}, NOW, False),
        ({"validFrom": "2025-06-15T12:00:00"}, NOW, True),
    ],
)
def test_a_code_applies_only_within_its_validity_window(path, window, now, applies):
    write_codes(path, {"code": "WINDOW", "discountPercentage": 20} | window)
    provider = provider_at(path, now)

    if applies:
        assert provider.lookup("WINDOW", COURSE, USER) == Discount.percentage(20)
    else:
        with pytest.raises(PromoInvalidError):
            provider.lookup("WINDOW", COURSE, USER)


def test_an_inactive_code_is_invalid(path):
    write_codes(path, {"code": "PAUSED", "discountPercentage": 20, "active": False})

    with pytest.raises(PromoInvalidError):
        provider_at(path).lookup("PAUSED", COURSE, USER)


def test_without_a_file_every_code_is_invalid(path):
    with pytest.raises(PromoInvalidError):
        provider_at(path).lookup("PROMO2025", COURSE, USER)


def test_an_edited_file_is_read_again(path):
    write_codes(path, {"code": "PROMO2025", "discountPercentage": 15})
    provider = provider_at(path)
    assert provider.lookup("PROMO2025", COURSE, USER) == Discount.percentage(15)

    write_codes(
        path,
        {"code": "PROMO2025", "discountPercentage": 25},
        {"code": "NEW", "discountPercentage": 5},
    )
    later = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))

    assert provider.lookup("PROMO2025", COURSE, USER) == Discount.percentage(25)
    assert provider.lookup("NEW", COURSE, USER) == Discount.percentage(5)


def test_a_deleted_file_takes_its_codes_with_it(path):
    write_codes(path, {"code": "PROMO2025", "discountPercentage": 15})
    provider = provider_at(path)
    provider.lookup("PROMO2025", COURSE, USER)

    path.unlink()

    with pytest.raises(PromoInvalidError):
        provider.lookup("PROMO2025", COURSE, USER)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps(["PROMO2025"]),
        json.dumps({"promoCodes": [{"discountPercentage": 15}]}),
        json.dumps({"promoCodes": [{"code": "NOTHING"}]}),
        json.dumps({"promoCodes": [{"code": "ZERO", "discountPercentage": 0}]}),
        json.dumps({"promoCodes": [{"code": "CASH", "discountAmount": 500}]}),
        json.dumps({"promoCodes": [{"code": "X", "discountPercentage": 5, "courseIds": ["a"]}]}),
        json.dumps({"promoCodes": [{"code": "X", "discountPercentage": 5, "validTo": "soon"}]}),
        json.dumps({"promoCodes": [{"code": "X", "discountPercentage": "lots"}]}),
        json.dumps(
            {
                "promoCodes": [
                    {"code": "X", "discountPercentage": 5},
                    {"code": "x", "discountPercentage": 6},
                ]
            }
        ),
    ],
)
def test_a_malformed_file_makes_promos_unavailable_naming_the_file(path, content):
    path.write_text(content)

    with pytest.raises(PromoUnavailableError, match=re.escape(str(path))):
        provider_at(path).lookup("X", COURSE, USER)


def test_a_malformed_edit_is_reported_and_a_fixed_one_is_believed(path):
    provider = provider_at(path)
    path.write_text("{oops")
    with pytest.raises(PromoUnavailableError):
        provider.lookup("PROMO2025", COURSE, USER)

    write_codes(path, {"code": "PROMO2025", "discountPercentage": 15})

    assert provider.lookup("PROMO2025", COURSE, USER) == Discount.percentage(15)
