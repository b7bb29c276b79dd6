"""A card payment that waits: for the payer's next step, or for the gateway's decision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.commerce.payment import Payment, PaymentStateError
from domain.commerce.payment_terms import Method, NextStep, Status
from domain.commerce.pricing import quote

PAID_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
CARD = {"brand": "verve", "last4": "6666", "expiryMonth": "12", "expiryYear": "2099"}


def card_payment(method: Method = Method.CARD) -> Payment:
    price = quote(5000_00, "NGN", None)
    return Payment.initiate(uuid.uuid4(), uuid.uuid4(), method, price, None, None, None, CARD)


def event_names(payment: Payment) -> list[str]:
    return [type(e).__name__ for e in payment.collect_events()]


def test_a_gateway_asking_for_an_otp_leaves_the_payment_authorizing():
    payment = card_payment()

    payment.request_authorization("send_otp", "Enter the OTP")

    assert (payment.status, payment.public_status) == (Status.AUTHORIZING, "pending")
    assert payment.next_step == NextStep("send_otp", "Enter the OTP")
    assert event_names(payment) == ["Initiated", "AuthorizationRequested"]


def test_the_same_step_asked_again_records_nothing_more():
    payment = card_payment()
    payment.request_authorization("send_otp", "Enter the OTP")

    payment.request_authorization("send_otp", "Enter the OTP")

    assert event_names(payment) == ["Initiated", "AuthorizationRequested"]


def test_an_authorizing_payment_succeeds_and_forgets_its_step():
    payment = card_payment()
    payment.request_authorization("send_pin", "Enter your PIN")

    payment.succeed(5000_00, "NGN", PAID_AT)

    assert (payment.status, payment.next_step) == (Status.SUCCEEDED, None)


def test_a_deferred_charge_stays_open_and_waits_for_the_gateway():
    payment = card_payment()

    payment.defer_charge("No answer")

    assert payment.is_open and payment.awaits_gateway and payment.public_status == "pending"
    assert event_names(payment) == ["Initiated", "ChargeDeferred"]


def test_a_paystack_checkout_cannot_ask_for_a_card_step():
    payment = card_payment(Method.PAYSTACK)

    with pytest.raises(PaymentStateError):
        payment.request_authorization("send_otp", "Enter the OTP")


def test_an_answer_to_a_step_not_asked_is_refused():
    payment = card_payment()
    payment.request_authorization("send_pin", "Enter your PIN")

    with pytest.raises(PaymentStateError, match="send_pin"):
        payment.ensure_awaits("send_otp")


def test_a_settled_payment_asks_nothing_of_the_payer():
    payment = card_payment()
    payment.fail("Declined")

    with pytest.raises(PaymentStateError):
        payment.request_authorization("send_otp", "Enter the OTP")
    with pytest.raises(PaymentStateError):
        payment.ensure_awaits("send_otp")
