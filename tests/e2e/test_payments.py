"""Paying for a course over HTTP (spec §3), on both backends, against a local Paystack and a
local promo provider that speak those providers' APIs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from commands.payments.expire_checkouts import ExpireCheckouts, expire_checkouts
from domain.learning.enrollment_terms import Status
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
from tests.promos import Promos, serving_promos
from tests.sweeps import found, swept_tomorrow


@dataclass
class Shop:
    running: Running
    paystack: PaystackState
    promos: Promos
    admin: str
    course_id: str

    @property
    def client(self):
        return self.running.client

    def learner(self) -> str:
        return signed_up(self.client)[0]["token"]

    def checkout(self, token: str, key: str | None = None, **fields: object) -> dict:
        body = {"courseId": self.course_id, "method": "paystack"} | fields
        headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
        response = self.client.post("/api/payments/initiate", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return data(response)

    def webhook(self, body: bytes, signature: str | None) -> object:
        headers = {"x-paystack-signature": signature} if signature else {}
        return self.client.post("/api/payments/webhooks/paystack", content=body, headers=headers)

    def paid_checkout(self, token: str) -> dict:
        started = self.checkout(token)
        self.paystack.pay(started["transactionId"])
        self.webhook(*self.paystack.webhook(started["transactionId"]))
        return started

    def refund(self, url: str, body: dict) -> None:
        """An admin's refund, which Paystack queues and then processes."""
        asked = self.client.post(url, json=body, headers=bearer(self.admin))
        assert asked.status_code == 200, asked.text
        for notice in self.paystack.process_refunds():
            self.webhook(*notice)

    def refunded(self, payment: dict, token: str) -> tuple[str, float, float]:
        """The payment's status, refunded amount and refund in progress, as its payer sees."""
        now = data(status(self.client, token, payment["transactionId"]))
        return now["status"], now["refundedAmount"], now["refundInProgress"]


@pytest.fixture(params=["embedded", "services"])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    factory = embedded_campus if request.param == "embedded" else services_campus
    with (
        serving_paystack() as paystack,
        serving_promos() as promos,
        factory(
            tmp_path, **paystack.settings(), **promos.settings(promo_timeout_seconds=0.3)
        ) as running,
    ):
        admin = admin_token(running)
        yield Shop(running, paystack, promos, admin, course_for_sale(running.client, admin))


def test_checking_a_code_with_the_other_shows_what_paying_with_both_charges(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "SAVE10", discountPercentage=10)
    shop.promos.codes["PROMO2025"] = {"code": "PROMO2025", "valid": True, "discountPercentage": 15}
    learner = shop.learner()
    both = {"couponCode": "SAVE10", "promoCode": "PROMO2025", "courseId": shop.course_id}

    promo = data(
        shop.client.post("/api/payments/validate-promo", json=both, headers=bearer(learner))
    )
    coupon = data(
        shop.client.post("/api/payments/validate-coupon", json=both, headers=bearer(learner))
    )
    paid = data(
        pay(shop.client, learner, shop.course_id, couponCode="SAVE10", promoCode="PROMO2025")
    )

    assert promo["discountPercentage"] == 15 and coupon["discountPercentage"] == 10
    assert (
        promo["discountedAmount"] == coupon["discountedAmount"] == paid["discountedAmount"] == 3825
    )


def test_a_learner_pays_by_card_with_a_coupon_and_a_promo(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "SAVE10", discountPercentage=10)
    shop.promos.codes["PROMO2025"] = {"code": "PROMO2025", "valid": True, "discountPercentage": 15}
    learner = shop.learner()
    coupon = shop.client.post(
        "/api/payments/validate-coupon",
        json={"couponCode": "save10", "courseId": shop.course_id},
        headers=bearer(learner),
    )
    promo = shop.client.post(
        "/api/payments/validate-promo",
        json={"promoCode": "PROMO2025", "courseId": shop.course_id},
        headers=bearer(learner),
    )
    assert data(coupon)["valid"] and data(coupon)["discountPercentage"] == 10
    assert data(promo)["discountPercentage"] == 15

    paid = data(
        pay(shop.client, learner, shop.course_id, couponCode="SAVE10", promoCode="PROMO2025")
    )

    # 10 % off 5,000 is 4,500; 15 % off that is 3,825.
    assert paid["status"] == "success" and paid["method"] == "card"
    assert (paid["originalAmount"], paid["discountedAmount"], paid["currency"]) == (
        5000,
        3825,
        "NGN",
    )
    assert paid["card"] == {"brand": "visa", "last4": "4242"}
    assert data(status(shop.client, learner, paid["transactionId"]))["status"] == "success"


@pytest.mark.parametrize("number", [DECLINED, INSUFFICIENT_FUNDS])
def test_a_declined_card_is_a_402_and_the_learner_may_pay_again(shop: Shop, number: str) -> None:
    learner = shop.learner()

    declined = pay(shop.client, learner, shop.course_id, cardDetails=card(number))

    assert "declined" in error(declined, 402)["message"].lower()
    paid = pay(shop.client, learner, shop.course_id, cardDetails=card(APPROVED_VERVE))
    assert data(paid)["status"] == "success"


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (card("4242424242424241"), "Invalid card number"),
        (card(month="01", year="2020"), "The card has expired"),
        (card(cvv="12"), "Invalid CVV"),
        (card(month="13"), "Invalid expiry month"),
    ],
)
def test_card_details_that_cannot_be_right_are_a_400(
    shop: Shop, details: dict, message: str
) -> None:
    refused = pay(shop.client, shop.learner(), shop.course_id, cardDetails=details)

    assert error(refused, 400)["message"] == message


def test_a_client_amount_that_disagrees_with_the_server_is_a_400(shop: Shop) -> None:
    learner = shop.learner()

    assert error(pay(shop.client, learner, shop.course_id, amount=10), 400)
    assert data(pay(shop.client, learner, shop.course_id, amount=5000))["amount"] == 5000


def test_a_learner_cannot_pay_for_someone_else(shop: Shop) -> None:
    someone = signed_up(shop.client)[0]["userId"]

    refused = pay(shop.client, shop.learner(), shop.course_id, userId=someone)

    assert error(refused, 403)


def test_an_admin_cannot_pay_for_a_user_who_does_not_exist(shop: Shop) -> None:
    refused = pay(shop.client, shop.admin, shop.course_id, userId=str(uuid4()))

    assert error(refused, 404)["message"] == "User not found"
    assert shop.running.campus.cards.charges == 0


def test_a_learner_cannot_see_another_learners_payment(shop: Shop) -> None:
    paid = data(pay(shop.client, shop.learner(), shop.course_id))

    assert error(status(shop.client, shop.learner(), paid["transactionId"]), 404)
    assert data(status(shop.client, shop.admin, paid["transactionId"]))["status"] == "success"


def test_an_unknown_transaction_is_a_404(shop: Shop) -> None:
    assert error(status(shop.client, shop.learner(), "tx_" + "0" * 32), 404)
    assert error(status(shop.client, shop.learner(), "nonsense"), 404)


def test_a_paid_course_is_not_sold_twice(shop: Shop) -> None:
    learner = shop.learner()
    assert data(pay(shop.client, learner, shop.course_id))["status"] == "success"

    again = pay(shop.client, learner, shop.course_id)

    assert error(again, 409)["message"] == "You have already paid for this course"


def test_paystack_checkout_webhook_and_status(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "SAVE10")
    learner = shop.learner()

    started = shop.checkout(learner, couponCode="SAVE10", paystackEmail="payer@example.com")

    assert started["status"] == "pending" and started["accessCode"]
    (sent,) = shop.paystack.initialized
    assert sent["amount"] == 450_000 and sent["reference"] == started["transactionId"]
    assert sent["email"] == "payer@example.com" and sent["currency"] == "NGN"
    shop.paystack.pay(started["transactionId"])
    delivered = shop.webhook(*shop.paystack.webhook(started["transactionId"]))
    assert delivered.status_code == 200, delivered.text
    settled = data(status(shop.client, learner, started["transactionId"]))
    assert settled["status"] == "success" and settled["discountedAmount"] == 4500


def test_a_webhook_with_a_bad_signature_changes_nothing(shop: Shop) -> None:
    started = shop.checkout(shop.learner())
    shop.paystack.pay(started["transactionId"])
    body, _ = shop.paystack.webhook(started["transactionId"])
    forged, forged_signature = shop.paystack.webhook(started["transactionId"], secret="sk_wrong")

    assert error(shop.webhook(forged, forged_signature), 401)
    assert error(shop.webhook(body, None), 401)
    assert error(shop.webhook(body, "00" * 64), 401)
    assert shop.paystack.verifications == 0  # nothing unsigned reaches Paystack either


def test_a_replayed_webhook_settles_once(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "ONCE", maxRedemptions=5)
    learner = shop.learner()
    started = shop.checkout(learner, couponCode="ONCE")
    shop.paystack.pay(started["transactionId"])
    notice = shop.paystack.webhook(started["transactionId"])

    first, second = shop.webhook(*notice), shop.webhook(*notice)

    assert first.status_code == second.status_code == 200
    assert data(second)["status"] == "success"
    coupon = shop.client.put("/api/admin/coupons/once", json={}, headers=bearer(shop.admin))
    assert data(coupon)["redemptions"] == 1 and data(coupon)["inFlight"] == 0


def test_paystack_reporting_another_amount_does_not_mark_success(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.checkout(learner)
    shop.paystack.pay(started["transactionId"], amount=100)

    refused = shop.webhook(*shop.paystack.webhook(started["transactionId"]))

    assert error(refused, 409)
    assert data(status(shop.client, learner, started["transactionId"]))["status"] == "pending"


def test_status_asks_paystack_about_a_pending_payment(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.checkout(learner)
    assert data(status(shop.client, learner, started["transactionId"]))["status"] == "pending"

    shop.paystack.pay(started["transactionId"])

    assert data(status(shop.client, learner, started["transactionId"]))["status"] == "success"


def test_a_failed_paystack_charge_releases_the_checkout(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.checkout(learner)
    shop.paystack.fail(started["transactionId"])

    assert data(status(shop.client, learner, started["transactionId"]))["status"] == "failed"
    assert shop.checkout(learner)["status"] == "pending"


def test_a_second_checkout_while_one_is_pending_is_a_409(shop: Shop) -> None:
    learner = shop.learner()
    shop.checkout(learner)

    again = pay(shop.client, learner, shop.course_id)

    assert error(again, 409)["message"] == "A payment for this course is already in progress"


def test_a_retry_with_the_same_idempotency_key_answers_the_first_payment(shop: Shop) -> None:
    learner = shop.learner()
    first = shop.checkout(learner, key="checkout-1")
    retried = shop.checkout(learner, key="checkout-1")

    assert retried["paymentId"] == first["paymentId"]
    assert retried["accessCode"] == first["accessCode"]
    assert len(shop.paystack.initialized) == 1


def test_an_idempotency_key_reused_with_another_body_is_a_409(shop: Shop) -> None:
    learner = shop.learner()
    assert data(pay(shop.client, learner, shop.course_id, key="k"))["status"] == "success"

    other = pay(shop.client, learner, shop.course_id, key="k", method="paystack")

    assert "different request" in error(other, 409)["message"]


def test_a_declined_payment_is_answered_again_on_retry(shop: Shop) -> None:
    learner = shop.learner()
    first = pay(shop.client, learner, shop.course_id, key="d", cardDetails=card(DECLINED))
    again = pay(shop.client, learner, shop.course_id, key="d", cardDetails=card(DECLINED))

    assert error(first, 402)["message"] == error(again, 402)["message"]
    assert shop.running.campus.cards.charges == 1


@pytest.mark.parametrize("method", ["card", "paystack"])
def test_a_full_discount_succeeds_at_zero_without_a_gateway(shop: Shop, method: str) -> None:
    create_coupon(shop.client, shop.admin, "FREE", discountPercentage=100)
    learner = shop.learner()

    body = {"courseId": shop.course_id, "method": method, "couponCode": "FREE"}
    paid = shop.client.post("/api/payments/initiate", json=body, headers=bearer(learner))

    assert data(paid)["status"] == "success" and data(paid)["discountedAmount"] == 0
    assert shop.paystack.initialized == [] and shop.running.campus.cards.charges == 0


def test_an_admin_refunds_in_part_then_in_full(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.paid_checkout(learner)
    url = f"/api/admin/payments/{started['paymentId']}/refund"

    shop.refund(url, {"amount": "1000"})
    assert shop.refunded(started, learner) == ("partially_refunded", 1000, 0)
    shop.refund(url, {})
    assert shop.refunded(started, learner) == ("refunded", 5000, 0)

    assert error(shop.client.post(url, json={}, headers=bearer(shop.admin)), 409)
    assert [r["amount"] for r in shop.paystack.refunds] == [100_000, 400_000]
    assert data(pay(shop.client, learner, shop.course_id))["status"] == "success"  # for sale again


def test_a_refund_paystack_queued_is_counted_once_paystack_processed_it(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.paid_checkout(learner)
    enrolled = shop.client.post(
        "/api/enrollments/enroll", json={"courseId": shop.course_id}, headers=bearer(learner)
    )
    url = f"/api/admin/payments/{started['paymentId']}/refund"

    queued = data(shop.client.post(url, json={}, headers=bearer(shop.admin)))
    assert (queued["status"], queued["refundedAmount"], queued["refundInProgress"]) == (
        "success",
        0,
        5000,
    )
    assert queued["message"] == "Refund started: it completes when the gateway pays it back"
    listed = data(shop.client.get("/api/payments", headers=bearer(shop.admin)))["payments"]
    [mine] = [p for p in listed if p["paymentId"] == started["paymentId"]]
    assert (mine["status"], mine["refundInProgress"]) == ("success", 5000)
    assert error(shop.client.post(url, json={}, headers=bearer(shop.admin)), 409)  # one at a time
    learning = shop.running.campus.apps["learning"]
    assert (
        learning.get_enrollment(UUID(data(enrolled)["enrollmentId"])).status is Status.IN_PROGRESS
    )
    for notice in shop.paystack.process_refunds():
        assert shop.webhook(*notice).status_code == 200
    assert shop.refunded(started, learner) == ("refunded", 5000, 0)
    assert learning.get_enrollment(UUID(data(enrolled)["enrollmentId"])).status is Status.DROPPED


def test_a_refund_that_failed_at_paystack_is_withdrawn_and_may_be_asked_again(shop: Shop) -> None:
    learner = shop.learner()
    started = shop.paid_checkout(learner)
    url = f"/api/admin/payments/{started['paymentId']}/refund"

    shop.client.post(url, json={}, headers=bearer(shop.admin))
    for notice in shop.paystack.process_refunds("failed"):
        assert shop.webhook(*notice).status_code == 200
    assert shop.refunded(started, learner) == ("success", 0, 0)

    shop.refund(url, {})
    assert shop.refunded(started, learner) == ("refunded", 5000, 0)


def test_a_refund_paystack_made_whose_answer_was_lost_is_in_the_books_once(shop: Shop) -> None:
    started = shop.checkout(shop.learner())
    shop.paystack.pay(started["transactionId"])
    shop.webhook(*shop.paystack.webhook(started["transactionId"]))
    shop.paystack.answer_lost.add("POST /refund")
    url = f"/api/admin/payments/{started['paymentId']}/refund"

    refunded = shop.client.post(url, json={}, headers=bearer(shop.admin))
    again = shop.client.post(url, json={}, headers=bearer(shop.admin))

    assert data(refunded)["refundInProgress"] == 5000  # found queued at Paystack
    assert error(again, 409)
    assert [r["amount"] for r in shop.paystack.refunded] == [500_000]
    assert shop.paystack.calls["POST /refund"] == 1


def test_a_learner_who_pays_twice_for_a_course_gets_the_second_payment_back(shop: Shop) -> None:
    learner = shop.learner()
    given_up = shop.checkout(learner)
    campus = shop.running.campus
    assert found(OpenCheckoutsQuery(campus.read_engine))
    assert swept_tomorrow(campus, ExpireCheckouts(), expire_checkouts) == 1
    replacement = shop.checkout(learner)
    for paid in (replacement, given_up):  # Paystack's page of the first was still open
        shop.paystack.pay(paid["transactionId"])
        shop.webhook(*shop.paystack.webhook(paid["transactionId"]))

    assert [r["transaction"] for r in shop.paystack.refunds] == [given_up["transactionId"]]
    for notice in shop.paystack.process_refunds():
        shop.webhook(*notice)
    assert shop.refunded(given_up, learner) == ("refunded", 5000, 0)
    first = data(status(shop.client, learner, replacement["transactionId"]))
    assert first["status"] == "success"


def test_a_refund_paystack_cannot_tell_about_is_a_503_and_stays_in_progress(shop: Shop) -> None:
    started = shop.checkout(shop.learner())
    shop.paystack.pay(started["transactionId"])
    shop.webhook(*shop.paystack.webhook(started["transactionId"]))
    shop.paystack.answer_lost |= {"POST /refund", "GET /transaction/verify/{reference}"}
    url = f"/api/admin/payments/{started['paymentId']}/refund"

    undecided = shop.client.post(url, json={}, headers=bearer(shop.admin))
    shop.paystack.answer_lost.clear()
    again = shop.client.post(url, json={}, headers=bearer(shop.admin))

    assert "settled once the gateway answers" in error(undecided, 503)["message"]
    assert error(again, 409)
    assert [r["amount"] for r in shop.paystack.refunded] == [500_000]


def test_a_card_refund_goes_back_to_the_card(shop: Shop) -> None:
    paid = data(pay(shop.client, shop.learner(), shop.course_id))
    url = f"/api/admin/payments/{paid['paymentId']}/refund"

    refunded = shop.client.post(url, json={"amount": "5000.01"}, headers=bearer(shop.admin))
    assert error(refunded, 400)
    refunded = shop.client.post(url, json={"reason": "duplicate"}, headers=bearer(shop.admin))

    assert data(refunded)["status"] == "refunded"
    assert [r.amount for r in shop.running.campus.cards.refunded] == [500_000]


def test_only_admins_refund(shop: Shop) -> None:
    learner = shop.learner()
    paid = data(pay(shop.client, learner, shop.course_id))

    refused = shop.client.post(
        f"/api/admin/payments/{paid['paymentId']}/refund", json={}, headers=bearer(learner)
    )

    assert error(refused, 403)


def test_a_promo_provider_outage_is_a_503_and_paying_without_the_promo_works(shop: Shop) -> None:
    shop.promos.codes["PROMO2025"] = {"code": "PROMO2025", "valid": True, "discountPercentage": 15}
    shop.promos.outage = "down"
    learner = shop.learner()

    checked = shop.client.post(
        "/api/payments/validate-promo",
        json={"promoCode": "PROMO2025", "courseId": shop.course_id},
        headers=bearer(learner),
    )
    with_promo = pay(shop.client, learner, shop.course_id, promoCode="PROMO2025")
    without = pay(shop.client, learner, shop.course_id)

    assert error(checked, 503) and error(with_promo, 503)
    assert data(without)["status"] == "success" and data(without)["amount"] == 5000


def test_an_unknown_promo_is_a_400(shop: Shop) -> None:
    checked = shop.client.post(
        "/api/payments/validate-promo",
        json={"promoCode": "NOPE", "courseId": shop.course_id},
        headers=bearer(shop.learner()),
    )

    assert error(checked, 400)["message"].startswith("Invalid promo code")


def test_paying_with_an_unknown_promo_is_a_402_and_charges_nothing(shop: Shop) -> None:
    learner = shop.learner()

    refused = pay(shop.client, learner, shop.course_id, promoCode="NOPE")
    listed = shop.client.get("/api/payments", headers=bearer(learner))

    assert error(refused, 402)["message"].startswith("Invalid promo code")
    assert data(listed)["payments"] == []
