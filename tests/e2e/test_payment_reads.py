"""Reading payments and coupons back (spec §3): a learner's history, the admin's lists and
coupon usage, on both backends; and the two read models rebuilt from the event store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from commands.learning.drop_refunded_enrollments import DropRefundedEnrollments
from commands.payments.expire_checkouts import ExpireCheckouts, expire_checkouts
from commands.payments.reconcile_refunds import ReconcileRefunds, reconcile_refunds
from domain.learning.enrollment_terms import Status as Progress
from infra.eventstore.publishing import read_published
from projections.coupons import coupon_uses, coupons
from projections.payments import payments
from projections.queries.open_checkouts import OpenCheckoutsQuery
from projections.queries.refunded_enrollments import RefundedEnrollmentsQuery
from projections.queries.refunds_in_flight import RefundsInFlightQuery
from projections.rebuild import rebuild
from tests.api import admin_token, bearer, data, error, signed_up
from tests.commerce import APPROVED, DECLINED, card, course_for_sale, create_coupon, pay
from tests.conftest import Running
from tests.sweeps import found, swept_tomorrow


@dataclass
class Shop:
    """A campus with an admin, three courses for sale and the last write's consistency token."""

    running: Running
    admin: str
    courses: list[str]
    written: str = ""
    learners: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (id, token)

    @property
    def client(self):
        return self.running.client

    def learner(self, name: str) -> str:
        pair, self.written = signed_up(self.client)
        self.learners[name] = (pair["userId"], pair["token"])
        return pair["token"]

    def id_of(self, name: str) -> str:
        return self.learners[name][0]

    def pay(self, token: str, course: int = 0, expect: int = 201, **fields: Any) -> dict:
        response = pay(self.client, token, self.courses[course], **fields)
        assert response.status_code == expect, response.text
        self.written = response.headers["X-Consistency-Token"]
        return response.json()["data"]

    def checkout(self, token: str, course: int = 0, **fields: Any) -> dict:
        """A Paystack checkout, left pending: the learner has not paid on Paystack's page."""
        return self.pay(token, course, method="paystack", cardDetails=None, **fields)

    def payments(self, token: str, query: str = "") -> dict:
        answer = self.client.get(f"/api/payments?{query}", headers=bearer(token, self.written))
        return data(answer)

    def coupons(self, query: str = "") -> dict[str, dict]:
        answer = self.client.get(
            f"/api/admin/coupons?{query}", headers=bearer(self.admin, self.written)
        )
        return {c["code"]: c for c in data(answer)["coupons"]}


@pytest.fixture
def shop(backend: Running) -> Shop:
    admin = admin_token(backend)
    courses = [course_for_sale(backend.client, admin, price) for price in ("5000", "80", "12.5")]
    return Shop(backend, admin, courses)


def test_a_learner_sees_only_their_own_payments_newest_first(shop: Shop) -> None:
    ada, bob = shop.learner("ada"), shop.learner("bob")
    first = shop.pay(ada, 0)
    second = shop.pay(ada, 1)
    shop.pay(bob, 0)

    listed = shop.payments(ada)
    assert (listed["total"], listed["page"], listed["pageSize"]) == (2, 1, 20)
    assert [p["paymentId"] for p in listed["payments"]] == [second["paymentId"], first["paymentId"]]
    latest = listed["payments"][0]
    assert latest == latest | {
        "transactionId": second["transactionId"],
        "courseId": shop.courses[1],
        "userId": shop.id_of("ada"),
        "method": "card",
        "status": "success",
        "originalAmount": 80.0,
        "discountedAmount": 80.0,
        "refundedAmount": 0.0,
        "refundInProgress": 0.0,
        "currency": "NGN",
        "couponCode": None,
        "promoCode": None,
        "card": {"brand": "visa", "last4": "4242"},
    }
    assert latest["paymentDate"].endswith("Z") and latest["createdAt"].endswith("Z")


def test_card_numbers_never_reach_the_read_model(shop: Shop) -> None:
    shop.pay(shop.learner("ada"), 0)
    assert APPROVED not in repr(shop.payments(shop.admin))  # and now it is projected
    with shop.running.campus.read_engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(payments))]
    assert rows and APPROVED not in repr(rows)


def test_an_admin_lists_one_learners_payments_or_everyones(shop: Shop) -> None:
    ada, bob = shop.learner("ada"), shop.learner("bob")
    shop.pay(ada, 0)
    shop.pay(bob, 0)
    shop.pay(bob, 1, expect=402, cardDetails=card(DECLINED))

    bobs = shop.payments(shop.admin, f"userId={shop.id_of('bob')}")
    assert {p["userId"] for p in bobs["payments"]} == {shop.id_of("bob")} and bobs["total"] == 2
    assert shop.payments(shop.admin)["total"] == 3
    failed = shop.payments(shop.admin, "status=failed")["payments"]
    assert [(p["userId"], p["status"], p["card"]) for p in failed] == [
        (shop.id_of("bob"), "failed", {"brand": "visa", "last4": "0002"})
    ]
    assert shop.payments(bob, "status=success")["total"] == 1
    assert shop.payments(bob, f"userId={shop.id_of('bob')}")["total"] == 2


def test_a_learner_naming_another_learner_is_refused(shop: Shop) -> None:
    ada = shop.learner("ada")
    shop.learner("bob")
    refused = shop.client.get(f"/api/payments?userId={shop.id_of('bob')}", headers=bearer(ada))
    assert "own payments" in error(refused, 403)["message"]
    error(shop.client.get("/api/payments"), 401)
    error(shop.client.get("/api/payments?status=lost", headers=bearer(ada)), 400)


def test_payments_come_in_pages_with_the_total(shop: Shop) -> None:
    for name in ("ada", "bob", "cy"):
        token = shop.learner(name)
        for course in range(3):
            shop.pay(token, course)
    everything = shop.payments(shop.admin, "pageSize=100")["payments"]
    pages = [shop.payments(shop.admin, f"page={n}&pageSize=4") for n in (1, 2, 3, 4)]
    assert [len(p["payments"]) for p in pages] == [4, 4, 1, 0]
    assert {(p["total"], p["pageSize"]) for p in pages} == {(9, 4)}
    assert [x for p in pages for x in p["payments"]] == everything
    created = [p["createdAt"] for p in everything]
    assert created == sorted(created, reverse=True)
    error(shop.client.get("/api/payments?pageSize=0", headers=bearer(shop.admin)), 400)
    error(shop.client.get("/api/payments?page=0", headers=bearer(shop.admin)), 400)


def test_coupon_usage_counts_redemptions_checkouts_in_flight_and_what_remains(shop: Shop) -> None:
    coupon = create_coupon(
        shop.client, shop.admin, "save12", discountPercentage="12.5", maxRedemptions=5
    )
    create_coupon(shop.client, shop.admin, "TENOFF", discountPercentage=None, discountAmount="10")
    paid = shop.pay(shop.learner("ada"), 0, couponCode="SAVE12")
    shop.pay(shop.learner("bob"), 0, expect=402, couponCode="save12", cardDetails=card(DECLINED))
    shop.checkout(shop.learner("cy"), 0, couponCode="SAVE12")
    shop.pay(shop.learner("dee"), 1, couponCode="tenoff")

    listed = shop.coupons()
    assert listed["SAVE12"] == listed["SAVE12"] | {
        "couponId": coupon["couponId"],
        "discountPercentage": 12.5,
        "discountAmount": None,
        "isActive": True,
        "usageType": "multi_use",
        "maxRedemptions": 5,
        "perUserLimit": None,
        "redemptions": 1,
        "inFlight": 1,  # cy's checkout; bob's declined card gave its hold back
        "remaining": 3,
    }
    assert listed["TENOFF"] == listed["TENOFF"] | {
        "discountPercentage": None,
        "discountAmount": 10.0,
        "currency": "NGN",
        "redemptions": 1,
        "inFlight": 0,
        "remaining": None,
    }
    ada = shop.payments(shop.learners["ada"][1])["payments"][0]
    assert (ada["paymentId"], ada["couponCode"]) == (paid["paymentId"], "SAVE12")
    assert (ada["originalAmount"], ada["discountedAmount"]) == (5000.0, 4375.0)


def test_the_coupon_list_filters_on_active_and_is_for_admins_only(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "LIVE")
    create_coupon(shop.client, shop.admin, "GONE")
    gone = shop.client.post("/api/admin/coupons/GONE/deactivate", headers=bearer(shop.admin))
    shop.written = gone.headers["X-Consistency-Token"]
    assert list(shop.coupons("active=true")) == ["LIVE"]
    assert list(shop.coupons("active=false")) == ["GONE"]
    assert list(shop.coupons()) == ["GONE", "LIVE"]  # newest first
    learner = shop.learner("ada")
    error(shop.client.get("/api/admin/coupons", headers=bearer(learner)), 403)


def test_refunds_show_as_partially_refunded_then_refunded(shop: Shop) -> None:
    paid = shop.pay(shop.learner("ada"), 0)
    refund = f"/api/admin/payments/{paid['paymentId']}/refund"
    for amount, status, refunded in (
        (1000, "partially_refunded", 1000.0),
        (None, "refunded", 5000.0),
    ):
        answer = shop.client.post(
            refund, json={"amount": amount, "reason": "asked"}, headers=bearer(shop.admin)
        )
        assert answer.status_code == 200, answer.text
        shop.written = answer.headers["X-Consistency-Token"]
        (seen,) = shop.payments(shop.admin)["payments"]
        assert (seen["status"], seen["refundedAmount"]) == (status, refunded)


def test_a_refund_left_in_flight_is_found_in_the_read_model_and_settled(shop: Shop) -> None:
    paid = shop.pay(shop.learner("ada"), 0)
    campus, payment_id = shop.running.campus, UUID(paid["paymentId"])
    payment = campus.apps["commerce"].get_payment(payment_id)
    payment.start_refund(uuid4(), None, "asked", uuid4())
    campus.apps["commerce"].save(payment)  # and the process died before asking the gateway
    in_flight = RefundsInFlightQuery(campus.read_engine)
    assert found(in_flight) == [payment_id]
    assert in_flight(datetime.now(UTC) - timedelta(minutes=1)) == []

    assert swept_tomorrow(campus, ReconcileRefunds(), reconcile_refunds) == 1
    assert campus.apps["commerce"].get_payment(payment_id).refund_in_flight is None


def test_a_checkout_nobody_finished_is_found_in_the_read_model_and_given_up(shop: Shop) -> None:
    create_coupon(shop.client, shop.admin, "ONCE", discountPercentage=50, maxRedemptions=1)
    left = shop.checkout(shop.learner("ada"), couponCode="ONCE")
    campus, payment_id = shop.running.campus, UUID(left["paymentId"])
    open_checkouts = OpenCheckoutsQuery(campus.read_engine)
    assert found(open_checkouts) == [payment_id]
    assert open_checkouts(datetime.now(UTC) - timedelta(minutes=1)) == []

    assert swept_tomorrow(campus, ExpireCheckouts(), expire_checkouts) == 1
    assert campus.apps["commerce"].get_coupon("ONCE").uses == 0


def test_an_enrollment_whose_payment_was_refunded_is_found_in_the_read_models_and_dropped(
    shop: Shop,
) -> None:
    ada = shop.learner("ada")
    paid = shop.pay(ada, 0)
    enrolled = shop.client.post(
        "/api/enrollments/enroll", json={"courseId": shop.courses[0]}, headers=bearer(ada)
    )
    assert enrolled.status_code == 201, enrolled.text
    campus, payment_id = shop.running.campus, UUID(paid["paymentId"])
    payment, refund_id = campus.apps["commerce"].get_payment(payment_id), uuid4()
    payment.start_refund(refund_id, None, "asked", uuid4())
    payment.complete_refund(refund_id)
    campus.apps["commerce"].save(payment)  # as the reconciler completes one, with no request

    refunded = RefundedEnrollmentsQuery(campus.read_engine)
    assert found(lambda _: refunded()) == [payment_id]
    drop = campus.bus.handlers[DropRefundedEnrollments]
    assert drop(DropRefundedEnrollments()) == 1
    dropped = campus.apps["learning"].get_enrollment(UUID(data(enrolled)["enrollmentId"]))
    assert dropped.status is Progress.DROPPED


def some_commerce(shop: Shop) -> None:
    """Coupons issued, changed and used every way; payments paid, declined, pending, refunded."""
    create_coupon(shop.client, shop.admin, "HALF", discountPercentage=50, maxRedemptions=10)
    create_coupon(
        shop.client,
        shop.admin,
        "ONCE",
        discountPercentage=None,
        discountAmount="1",
        usageType="single_use",
    )
    shop.client.put(
        "/api/admin/coupons/HALF", json={"maxRedemptions": 20}, headers=bearer(shop.admin)
    )
    ada, bob, cy = shop.learner("ada"), shop.learner("bob"), shop.learner("cy")
    paid = shop.pay(ada, 0, couponCode="HALF")
    shop.pay(bob, 0, expect=402, couponCode="HALF", cardDetails=card(DECLINED))
    shop.pay(bob, 0, couponCode="HALF")
    shop.checkout(cy, 0, couponCode="ONCE")
    shop.pay(cy, 1)
    shop.client.post(
        f"/api/admin/payments/{paid['paymentId']}/refund",
        json={"amount": 100, "reason": "goodwill"},
        headers=bearer(shop.admin),
    )
    gone = shop.client.post("/api/admin/coupons/ONCE/deactivate", headers=bearer(shop.admin))
    shop.written = gone.headers["X-Consistency-Token"]


def snapshot(shop: Shop) -> dict[str, list[tuple]]:
    shop.payments(shop.admin)  # waits until the last write is projected
    shop.coupons()
    with shop.running.campus.read_engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (payments, coupons, coupon_uses)
        }


def test_replaying_every_commerce_event_again_changes_nothing(shop: Shop) -> None:
    some_commerce(shop)
    before = snapshot(shop)
    runner = shop.running.campus.runner()
    for app in shop.running.campus.apps.values():
        runner.apply([(0, e) for e in read_published(app, 0, 10_000)])
    assert snapshot(shop) == before


@pytest.mark.parametrize("batch_size", [1, 2000])
def test_a_rebuild_of_payments_and_coupons_equals_the_live_read_models(
    shop: Shop, batch_size: int
) -> None:
    some_commerce(shop)
    live = snapshot(shop)
    assert len(live["payments"]) == 5 and len(live["coupon_uses"]) == 4
    campus = shop.running.campus
    for name in ("payments", "coupons"):
        assert rebuild(campus.runner(name), list(campus.apps.values()), batch_size) > 0
    assert snapshot(shop) == live
