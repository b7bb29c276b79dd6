"""The HTTP promo provider against a local server speaking the promo API (tests/promos.py).

What HttpPromoProvider believes, what it refuses, how often it asks a failing provider, and
that it says "unavailable" rather than "invalid" whenever it could not get an answer.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from commands.payments.ports import PromoInvalidError, PromoUnavailableError
from domain.commerce.pricing import Discount
from infra.payments.promo_file import FilePromoProvider, open_promo_provider
from infra.payments.promo_http import HttpPromoProvider
from infra.settings import Settings
from tests.promos import Promos, serving_promos

COURSE, USER = uuid.uuid4(), uuid.uuid4()
RETRIES = 3


@pytest.fixture
def promos() -> Iterator[Promos]:
    with serving_promos() as promos:
        yield promos


def settings(tmp_path: Path, promos: Promos, **overrides: object) -> Settings:
    values = promos.settings(promo_timeout_seconds=0.3, promo_retries=RETRIES) | overrides
    return Settings(_env_file=None, data_dir=tmp_path, **values)


@pytest.fixture
def provider(tmp_path: Path, promos: Promos) -> Iterator[HttpPromoProvider]:
    provider = HttpPromoProvider(settings(tmp_path, promos))
    yield provider
    provider.close()


def test_a_valid_percentage_promo_is_that_percentage_off(promos, provider):
    promos.codes["PROMO2025"] = {"valid": True, "discountPercentage": 15}

    assert provider.lookup("PROMO2025", COURSE, USER) == Discount.percentage(15)
    assert promos.asked == [("PROMO2025", {"courseId": str(COURSE), "userId": str(USER)})]


def test_a_fractional_percentage_is_kept_exactly(promos, provider):
    promos.codes["HALF"] = {"valid": True, "discountPercentage": 12.5}

    assert provider.lookup("HALF", COURSE, USER).percent == Decimal("12.5")


def test_a_valid_fixed_promo_is_that_amount_off_in_its_currency(promos, provider):
    promos.codes["FIFTY"] = {"valid": True, "discountAmount": 50000, "currency": "NGN"}

    assert provider.lookup("FIFTY", COURSE, USER) == Discount(amount=50000, currency="NGN")


def test_an_unknown_code_is_invalid(promos, provider):
    with pytest.raises(PromoInvalidError):
        provider.lookup("NOSUCHCODE", COURSE, USER)
    assert promos.requests == 1


def test_a_code_the_provider_refuses_is_invalid_with_its_reason(promos, provider):
    promos.codes["OLD"] = {"valid": False, "reason": "Expired on 2024-12-31"}

    with pytest.raises(PromoInvalidError, match="Expired on 2024-12-31"):
        provider.lookup("OLD", COURSE, USER)
    assert promos.requests == 1


def test_a_code_refused_without_a_reason_is_plainly_invalid(promos, provider):
    promos.codes["OLD"] = {"valid": False}

    with pytest.raises(PromoInvalidError, match=r"^Invalid promo code$"):
        provider.lookup("OLD", COURSE, USER)


@pytest.mark.parametrize("outage", ["down", "slow", "garbled"])
def test_a_failing_provider_is_asked_promo_retries_times_then_unavailable(promos, provider, outage):
    promos.codes["PROMO2025"] = {"valid": True, "discountPercentage": 15}
    promos.outage = outage

    with pytest.raises(PromoUnavailableError):
        provider.lookup("PROMO2025", COURSE, USER)
    assert promos.requests == RETRIES


def test_a_provider_that_recovers_between_attempts_is_believed(promos, provider):
    promos.codes["PROMO2025"] = {"valid": True, "discountPercentage": 15}
    promos.outage = "down"
    recovered = time_later(0.05, lambda: setattr(promos, "outage", None))

    assert provider.lookup("PROMO2025", COURSE, USER) == Discount.percentage(15)
    recovered.join()


@pytest.mark.parametrize(
    "answer",
    [
        {"discountPercentage": 15},
        {"valid": "yes", "discountPercentage": 15},
        {"valid": True},
        {"valid": True, "discountPercentage": 15, "discountAmount": 100, "currency": "NGN"},
        {"valid": True, "discountAmount": 100},
        {"valid": True, "discountPercentage": "15"},
    ],
)
def test_an_ill_shaped_answer_is_retried_then_unavailable(promos, provider, answer):
    promos.codes["ODD"] = answer

    with pytest.raises(PromoUnavailableError):
        provider.lookup("ODD", COURSE, USER)
    assert promos.requests == RETRIES


@pytest.mark.parametrize(
    "answer",
    [
        {"valid": True, "discountPercentage": 0},
        {"valid": True, "discountPercentage": 150},
        {"valid": True, "discountPercentage": 12.345},
        {"valid": True, "discountAmount": -5, "currency": "NGN"},
    ],
)
def test_a_discount_out_of_range_is_unavailable_without_retrying(promos, provider, answer):
    promos.codes["BROKEN"] = answer

    with pytest.raises(PromoUnavailableError):
        provider.lookup("BROKEN", COURSE, USER)
    assert promos.requests == 1


def test_a_wrong_api_key_is_unavailable_without_retrying(tmp_path, promos):
    promos.codes["PROMO2025"] = {"valid": True, "discountPercentage": 15}
    provider = HttpPromoProvider(settings(tmp_path, promos, promo_api_key="not-the-key"))

    with pytest.raises(PromoUnavailableError):
        provider.lookup("PROMO2025", COURSE, USER)
    assert promos.requests == 1
    provider.close()


def test_no_api_key_sends_no_authorization_header(tmp_path):
    with serving_promos(api_key=None) as promos:
        promos.codes["OPEN"] = {"valid": True, "discountPercentage": 5}
        provider = HttpPromoProvider(settings(tmp_path, promos))

        assert provider.lookup("OPEN", COURSE, USER) == Discount.percentage(5)
        provider.close()


def test_a_code_with_reserved_characters_reaches_the_provider_intact(promos, provider):
    code = "50% OFF/now?#&x=1"
    promos.codes[code] = {"valid": True, "discountPercentage": 50}

    assert provider.lookup(code, COURSE, USER) == Discount.percentage(50)
    assert [asked for asked, _ in promos.asked] == [code]


def test_an_unreachable_provider_is_unavailable(tmp_path, promos):
    nobody = HttpPromoProvider(settings(tmp_path, promos, promo_api_url=unused_port_url()))

    with pytest.raises(PromoUnavailableError):
        nobody.lookup("PROMO2025", COURSE, USER)
    nobody.close()


def test_the_api_url_chooses_the_http_provider_and_its_absence_the_file(tmp_path, promos):
    assert isinstance(open_promo_provider(settings(tmp_path, promos)), HttpPromoProvider)
    embedded = open_promo_provider(Settings(_env_file=None, data_dir=tmp_path))
    assert isinstance(embedded, FilePromoProvider)
    assert embedded.path == tmp_path / "promo-codes.json"


def time_later(seconds: float, action: Callable[[], object]) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def unused_port_url() -> str:
    # A port the OS just handed out and nobody listens on: connections are refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"
