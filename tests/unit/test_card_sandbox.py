"""The sandbox card gateway: its test cards, one decision per reference, and refunds."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from commands.payments.ports import ChargeRefusedError, GatewayUnavailableError
from domain.commerce.card import Card
from infra.payments.card_sandbox import (
    ASK_OTP,
    NOT_A_TEST_CARD,
    OTP,
    WRONG_OTP,
    SandboxCardGateway,
    open_card_gateway,
)
from infra.settings import Settings


def card(number: str) -> Card:
    return Card.parse(number, "12", "2099", "123", date(2025, 1, 1))


@pytest.fixture
def gateway() -> SandboxCardGateway:
    return SandboxCardGateway()


@pytest.mark.parametrize("number", ["4242424242424242", "4084 0840 8408 4081"])
def test_the_approving_test_cards_are_approved(gateway, number):
    charge = gateway.charge("pay-1", 1_500_000, "NGN", card(number))

    assert (charge.approved, charge.message) == (True, "Approved")
    assert charge.token.startswith("chg_")
    assert number.replace(" ", "") not in charge.token


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000000000000002", "Card declined"),
        ("4084080000005408", "Insufficient funds"),
        ("5555555555554444", NOT_A_TEST_CARD),
    ],
)
def test_the_declining_test_cards_and_any_other_card_are_declined(gateway, number, message):
    charge = gateway.charge("pay-1", 1_500_000, "NGN", card(number))

    assert (charge.approved, charge.message) == (False, message)


def test_a_reference_charged_twice_answers_the_first_decision_and_charges_once(gateway):
    first = gateway.charge("pay-1", 1_500_000, "NGN", card("4242424242424242"))
    again = gateway.charge("pay-1", 1_500_000, "NGN", card("4000000000000002"))

    assert again == first
    assert gateway.charges == 1


def test_concurrent_charges_of_one_reference_charge_once(gateway):
    decisions = []
    threads = [
        threading.Thread(
            target=lambda: decisions.append(
                gateway.charge("pay-1", 100, "NGN", card("4242424242424242"))
            )
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({decision.token for decision in decisions}) == 1
    assert gateway.charges == 1


def test_different_references_are_different_charges(gateway):
    first = gateway.charge("pay-1", 100, "NGN", card("4242424242424242"))
    second = gateway.charge("pay-2", 100, "NGN", card("4242424242424242"))

    assert first.token != second.token
    assert gateway.charges == 2


def test_an_approved_charge_can_be_refunded_in_parts_up_to_its_amount(gateway):
    charge = gateway.charge("pay-1", 1_000, "NGN", card("4242424242424242"))

    gateway.refund("pay-1", charge.token, 400, "NGN")
    gateway.refund("pay-1", charge.token, 600, "NGN")

    assert [refund.amount for refund in gateway.refunded] == [400, 600]
    with pytest.raises(GatewayUnavailableError):
        gateway.refund("pay-1", charge.token, 1, "NGN")


def test_a_refund_of_more_than_was_charged_is_refused(gateway):
    charge = gateway.charge("pay-1", 1_000, "NGN", card("4242424242424242"))

    with pytest.raises(GatewayUnavailableError):
        gateway.refund("pay-1", charge.token, 1_001, "NGN")
    assert gateway.refunded == []


@pytest.mark.parametrize(
    ("reference", "token_of"),
    [("pay-1", lambda charge: "chg_unknown"), ("pay-2", lambda charge: charge.token)],
)
def test_a_refund_of_an_unknown_charge_is_refused(gateway, reference, token_of):
    charge = gateway.charge("pay-1", 1_000, "NGN", card("4242424242424242"))

    with pytest.raises(GatewayUnavailableError):
        gateway.refund(reference, token_of(charge), 100, "NGN")


def test_a_declined_charge_cannot_be_refunded(gateway):
    charge = gateway.charge("pay-1", 1_000, "NGN", card("4000000000000002"))

    with pytest.raises(GatewayUnavailableError):
        gateway.refund("pay-1", charge.token, 1_000, "NGN")


def test_the_settings_choose_the_sandbox(tmp_path: Path):
    settings = Settings(_env_file=None, data_dir=tmp_path, card_gateway="sandbox")

    assert isinstance(open_card_gateway(settings), SandboxCardGateway)


def test_the_otp_test_card_asks_for_an_otp_and_the_sandbox_otp_approves(gateway):
    asked = gateway.charge("pay-1", 1_000, "NGN", card("5060666666666666666"))

    paid = gateway.submit("pay-1", "send_otp", {"otp": OTP})

    assert (asked.next_step, asked.message) == ("send_otp", ASK_OTP)
    assert paid.approved and paid.token == asked.token
    assert gateway.check("pay-1") == paid
    gateway.refund("pay-1", paid.token, 1_000, "NGN")


def test_a_wrong_otp_declines_the_charge(gateway):
    gateway.charge("pay-1", 1_000, "NGN", card("5060666666666666666"))

    declined = gateway.submit("pay-1", "send_otp", {"otp": "000000"})

    assert (declined.declined, declined.message) == (True, WRONG_OTP)


def test_a_step_the_sandbox_did_not_ask_for_is_refused(gateway):
    gateway.charge("pay-1", 1_000, "NGN", card("4242424242424242"))

    with pytest.raises(ChargeRefusedError):
        gateway.submit("pay-1", "send_otp", {"otp": OTP})


def test_a_reference_the_sandbox_never_charged_checks_as_failed(gateway):
    assert gateway.check("pay-unknown").declined
