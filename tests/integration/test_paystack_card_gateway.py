"""The Paystack card gateway against a local server that speaks Paystack's Charge API: what
it sends, which requests it repeats (only questions), and how it reports what it could not
learn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from commands.payments.ports import ChargeRefusedError, GatewayUnavailableError
from domain.commerce.card import Card
from infra.payments.card_sandbox import open_card_gateway
from infra.payments.paystack_cards import NEVER_RECEIVED, PaystackCardGateway
from infra.settings import Settings
from tests.paystack import SECRET_KEY, PaystackState, serving_paystack
from tests.paystack_charge import OTP, PROMPTS

RETRIES = 3
VERVE, OTP_CARD = "4084084084084081", "5060666666666666666"


@pytest.fixture
def paystack() -> Iterator[PaystackState]:
    with serving_paystack() as state:
        yield state


@pytest.fixture
def gateway(paystack: PaystackState, tmp_path: Path) -> Iterator[PaystackCardGateway]:
    configured = {"gateway_timeout_seconds": 0.3, "gateway_retries": RETRIES}
    settings = Settings(_env_file=None, data_dir=tmp_path, **paystack.settings(**configured))
    gateway = PaystackCardGateway(settings)
    yield gateway
    gateway.close()


def card(number: str = VERVE) -> Card:
    return Card.parse(number, "09", "2099", "408", date(2025, 1, 1))


def charge(gateway: PaystackCardGateway, number: str = VERVE, reference: str = "tx_1"):
    return gateway.charge(reference, 500_000, "NGN", card(number), "ada@example.com", {"k": "v"})


def test_a_charge_sends_the_card_amount_reference_and_metadata(paystack, gateway):
    answer = charge(gateway)

    assert answer.approved and answer.token == "tx_1"
    (sent,) = paystack.charges.cards
    assert sent == {"number": VERVE, "cvv": "408", "expiry_month": "09", "expiry_year": "2099"}
    assert paystack.transactions["tx_1"]["metadata"] == {"k": "v"}
    assert paystack.charges_by_reference == {"tx_1": 1}


def test_a_next_step_is_answered_with_paystacks_words_and_submitted_once(paystack, gateway):
    asked = charge(gateway, OTP_CARD)

    paid = gateway.submit("tx_1", "send_otp", {"otp": OTP})

    assert (asked.next_step, asked.message) == ("send_otp", PROMPTS["send_otp"])
    assert paid.approved and paystack.calls["POST /charge/submit_otp"] == 1


def test_a_charge_whose_answer_is_lost_is_sent_once_and_reported_unavailable(paystack, gateway):
    paystack.answer_late.add("POST /charge")

    with pytest.raises(GatewayUnavailableError) as lost:
        charge(gateway)

    assert not isinstance(lost.value, ChargeRefusedError)  # it may have been taken
    assert paystack.charges_by_reference == {"tx_1": 1}
    assert gateway.check("tx_1").approved  # verify decides


def test_a_charge_paystack_refuses_is_a_refusal(paystack, gateway):
    charge(gateway)

    with pytest.raises(ChargeRefusedError):
        charge(gateway)  # "Duplicate Transaction Reference": this client never does that


def test_checking_a_reference_paystack_never_received_is_a_decline(gateway):
    assert (gateway.check("tx_unknown").declined, gateway.check("tx_unknown").message) == (
        True,
        NEVER_RECEIVED,
    )


def test_questions_are_asked_again_while_paystack_is_down(paystack, gateway):
    charge(gateway)
    paystack.outage = "down"

    with pytest.raises(GatewayUnavailableError):
        gateway.check("tx_1")

    assert paystack.calls["GET /transaction/verify/{reference}"] == RETRIES


def test_a_charge_answered_with_a_web_page_is_unavailable(paystack, gateway):
    paystack.outage = "garbled"

    with pytest.raises(GatewayUnavailableError):
        charge(gateway)

    assert paystack.calls["POST /charge"] == 1


def test_the_settings_choose_paystacks_charge_api(paystack, tmp_path):
    chosen = open_card_gateway(
        Settings(_env_file=None, data_dir=tmp_path, card_gateway="paystack", **paystack.settings())
    )

    assert isinstance(chosen, PaystackCardGateway)
    assert chosen.paystack.secret_key == SECRET_KEY


def test_a_card_refund_whose_answer_is_lost_is_listed_by_paystack(paystack, gateway):
    charge(gateway)
    paystack.answer_lost.add("POST /refund")

    with pytest.raises(GatewayUnavailableError):
        gateway.refund("tx_1", "tx_1", 200_000, "NGN")

    assert [(r.amount, r.failed) for r in gateway.refunds("tx_1")] == [(200_000, False)]
    assert paystack.calls["POST /refund"] == 1
