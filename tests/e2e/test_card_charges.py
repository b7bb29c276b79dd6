"""Card payments through Paystack's Charge API over HTTP, on both backends, against a local
Paystack (tests/paystack.py, tests/paystack_charge.py): approvals, declines, the payer's next
steps, undecided charges, and lost answers that are asked about but never charged again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from commands.payments.expire_checkouts import ExpireCheckouts, expire_checkouts
from projections.queries.open_checkouts import OpenCheckoutsQuery
from tests.api import admin_token, bearer, data, error, signed_up
from tests.commerce import (
    APPROVED_VERVE,
    DECLINED,
    INSUFFICIENT_FUNDS,
    card,
    course_for_sale,
    create_coupon,
    pay,
    status,
)
from tests.conftest import Running, embedded_campus, services_campus
from tests.paystack import PaystackState, serving_paystack
from tests.paystack_charge import OTP, PIN
from tests.sweeps import found, swept_tomorrow

OTP_CARD = "5060666666666666666"
PIN_AND_OTP_CARD = "507850785078507812"
PHONE_BIRTHDAY_ADDRESS_CARD = "4111111111111111"
PENDING_CARD = "4000000000000077"
TIMEOUT = 2.0  # long enough for a loaded machine; the late answers wait ten seconds


@dataclass
class Till:
    running: Running
    paystack: PaystackState
    admin: str
    course_id: str

    @property
    def client(self):
        return self.running.client

    def learner(self) -> str:
        return signed_up(self.client)[0]["token"]

    def pay(self, token: str, number: str, key: str | None = None, **fields: object):
        return pay(self.client, token, self.course_id, key, cardDetails=card(number), **fields)

    def authorize(self, token: str, transaction_id: str, **answer: str):
        url = f"/api/payments/{transaction_id}/authorize"
        return self.client.post(url, json=answer, headers=bearer(token))


@pytest.fixture(params=["embedded", "services"])
def till(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Till]:
    factory = embedded_campus if request.param == "embedded" else services_campus
    settings = {"card_gateway": "paystack", "gateway_timeout_seconds": TIMEOUT}
    with serving_paystack() as paystack, factory(tmp_path, **paystack.settings(**settings)) as on:
        admin = admin_token(on)
        yield Till(on, paystack, admin, course_for_sale(on.client, admin))


def test_an_approved_card_is_paid_at_once_through_paystack(till: Till) -> None:
    paid = data(till.pay(till.learner(), APPROVED_VERVE))

    assert paid["status"] == "success" and "nextAction" not in paid
    (sent,) = till.paystack.charges.cards
    assert sent["number"] == APPROVED_VERVE and sent["expiry_year"] == "2099"
    assert till.paystack.charges_by_reference == {paid["transactionId"]: 1}


@pytest.mark.parametrize(
    ("number", "words"), [(DECLINED, "Declined"), (INSUFFICIENT_FUNDS, "Insufficient Funds")]
)
def test_a_card_paystack_declines_is_a_402_with_its_reason(
    till: Till, number: str, words: str
) -> None:
    declined = till.pay(till.learner(), number)

    assert error(declined, 402)["message"] == f"Payment declined: {words}"


def test_a_card_that_asks_for_an_otp_is_paid_after_the_otp(till: Till) -> None:
    create_coupon(till.client, till.admin, "SAVE10")
    learner = till.learner()

    started = data(till.pay(learner, OTP_CARD, couponCode="SAVE10"))
    paid = till.authorize(learner, started["transactionId"], otp=OTP)

    assert started["status"] == "pending"
    assert started["nextAction"]["type"] == "send_otp" and started["nextAction"]["message"]
    assert data(paid)["status"] == "success" and data(paid)["discountedAmount"] == 4500
    coupon = till.client.put("/api/admin/coupons/save10", json={}, headers=bearer(till.admin))
    assert data(coupon)["redemptions"] == 1 and data(coupon)["inFlight"] == 0


def test_a_card_that_asks_for_a_pin_then_an_otp_is_paid_after_both(till: Till) -> None:
    learner = till.learner()
    started = data(till.pay(learner, PIN_AND_OTP_CARD))

    after_pin = data(till.authorize(learner, started["transactionId"], pin=PIN))
    paid = data(till.authorize(learner, started["transactionId"], otp=OTP))

    assert started["nextAction"]["type"] == "send_pin"
    assert after_pin["status"] == "pending" and after_pin["nextAction"]["type"] == "send_otp"
    assert paid["status"] == "success"
    assert data(status(till.client, learner, paid["transactionId"]))["status"] == "success"


def test_phone_birthday_and_address_are_passed_on_in_turn(till: Till) -> None:
    learner = till.learner()
    tx = data(till.pay(learner, PHONE_BIRTHDAY_ADDRESS_CARD))["transactionId"]

    data(till.authorize(learner, tx, phone="08012345678"))
    data(till.authorize(learner, tx, birthday="1990-02-01"))
    address = {"address": "1 Marina", "city": "Lagos", "state": "Lagos", "zipcode": "100001"}
    paid = data(till.authorize(learner, tx, **address))

    assert paid["status"] == "success"
    sent = [route for route in till.paystack.calls if route.startswith("POST /charge/submit_")]
    assert sent == [
        "POST /charge/submit_phone",
        "POST /charge/submit_birthday",
        "POST /charge/submit_address",
    ]


def test_a_wrong_otp_declines_the_payment_with_a_402(till: Till) -> None:
    learner = till.learner()
    started = data(till.pay(learner, OTP_CARD))

    refused = till.authorize(learner, started["transactionId"], otp="000000")

    assert error(refused, 402)["message"] == "Payment declined: Token Validation Failed"
    assert data(till.pay(learner, APPROVED_VERVE))["status"] == "success"  # free to pay again


def test_an_answer_to_another_step_is_a_400(till: Till) -> None:
    learner = till.learner()
    started = data(till.pay(learner, PIN_AND_OTP_CARD))

    refused = till.authorize(learner, started["transactionId"], otp=OTP)

    assert "send_pin" in error(refused, 400)["message"]


def test_only_the_payer_sends_the_next_step(till: Till) -> None:
    started = data(till.pay(till.learner(), OTP_CARD))

    assert error(till.authorize(till.learner(), started["transactionId"], otp=OTP), 404)
    assert error(till.authorize(till.admin, started["transactionId"], otp=OTP), 403)
    assert till.paystack.calls["POST /charge/submit_otp"] == 0


def test_an_undecided_charge_is_pending_until_paystack_decides(till: Till) -> None:
    learner = till.learner()
    started = data(till.pay(learner, PENDING_CARD))
    tx = started["transactionId"]
    still = data(status(till.client, learner, tx))

    till.paystack.charges.approve(tx)

    assert started["status"] == still["status"] == "pending"
    assert started["nextAction"]["type"] == "check_status"
    assert till.paystack.calls_by_reference[("GET /charge/{reference}", tx)] >= 1
    assert data(status(till.client, learner, tx))["status"] == "success"
    assert till.paystack.charges_by_reference[tx] == 1


def test_a_lost_answer_is_decided_by_verify_on_retry_and_never_charged_again(till: Till) -> None:
    learner = till.learner()
    till.paystack.answer_late.add("POST /charge")

    first = data(till.pay(learner, APPROVED_VERVE, key="lost-1"))
    till.paystack.answer_late.clear()
    retried = till.pay(learner, APPROVED_VERVE, key="lost-1")

    assert first["status"] == "pending" and first["nextAction"]["type"] == "check_status"
    assert retried.status_code == 201 and data(retried)["status"] == "success"
    assert till.paystack.charges_by_reference == {first["transactionId"]: 1}
    assert till.paystack.calls["GET /transaction/verify/{reference}"] >= 1


def test_a_lost_answer_is_decided_by_verify_on_the_status_endpoint(till: Till) -> None:
    learner = till.learner()
    till.paystack.answer_late.add("POST /charge")

    first = data(till.pay(learner, APPROVED_VERVE))
    settled = data(status(till.client, learner, first["transactionId"]))

    assert first["status"] == "pending" and settled["status"] == "success"
    assert till.paystack.double_charges() == []
    assert till.paystack.calls["POST /charge"] == 1


def test_a_charge_paystack_never_received_fails_and_frees_the_course(till: Till) -> None:
    learner = till.learner()
    till.paystack.outage = "slow"

    first = data(till.pay(learner, APPROVED_VERVE))
    till.paystack.outage = None

    assert data(status(till.client, learner, first["transactionId"]))["status"] == "failed"
    assert data(till.pay(learner, APPROVED_VERVE))["status"] == "success"


def test_an_otp_prompt_paystack_gave_up_on_fails_on_the_status_check(till: Till) -> None:
    create_coupon(till.client, till.admin, "HELD", maxRedemptions=1)
    learner = till.learner()
    tx = data(till.pay(learner, OTP_CARD, couponCode="HELD"))["transactionId"]

    till.paystack.charges.decline(tx, "Transaction abandoned")

    assert data(status(till.client, learner, tx))["status"] == "failed"
    coupon = till.client.put("/api/admin/coupons/held", json={}, headers=bearer(till.admin))
    assert data(coupon)["inFlight"] == data(coupon)["redemptions"] == 0


def test_a_charge_given_up_at_its_otp_prompt_and_approved_later_is_paid(till: Till) -> None:
    learner = till.learner()
    tx = data(till.pay(learner, OTP_CARD))["transactionId"]
    campus = till.running.campus
    assert found(OpenCheckoutsQuery(campus.read_engine))
    assert swept_tomorrow(campus, ExpireCheckouts(), expire_checkouts) == 1
    assert data(status(till.client, learner, tx))["status"] == "failed"

    till.paystack.charges.approve(tx)  # the bank let it through after all
    webhook = till.paystack.webhook(tx)
    delivered = till.client.post(
        "/api/payments/webhooks/paystack",
        content=webhook[0],
        headers={"x-paystack-signature": webhook[1]},
    )

    assert data(delivered)["status"] == "success"
    assert data(status(till.client, learner, tx))["status"] == "success"
