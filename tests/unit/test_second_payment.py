"""A learner who pays twice for one course, through the bus: a Paystack checkout given up for
lost and paid after all, beside the checkout that replaced it. The first payment keeps the
course; the second is refunded in full, by Campus itself, and never counts a coupon use."""

from __future__ import annotations

import pytest

from commands.coupons.manage_coupon import CreateCoupon
from commands.learning.enroll import EnrollInCourse
from commands.payments.expire_checkouts import ExpireCheckouts
from commands.payments.initiate_payment import InitiatePayment
from commands.payments.ports import GatewayUnavailableError
from commands.payments.reconcile_refunds import ReconcileRefunds
from commands.payments.settle_payment import ReceivePaystackWebhook
from domain.actor import Actor
from domain.commerce.coupon_usage import UsageType
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError
from ops.bootstrap import Campus
from tests.unit.bus import Course, admin, instructor, person, published_course, window

PRICE = 500_000


@pytest.fixture
def campus(campus_with) -> Campus:
    """Checkouts are given up, and refunds in flight reconciled, however recent they are."""
    return campus_with(checkout_expires_after_seconds=0, refund_settle_after_seconds=0)


@pytest.fixture
def course(campus: Campus) -> Course:
    return published_course(campus, instructor(campus), price=PRICE)


@pytest.fixture
def ada(campus: Campus) -> Actor:
    return person(campus, "Ada")


def checkout(campus: Campus, learner: Actor, course: Course, coupon: str | None = None) -> Payment:
    payment = campus.bus.handle(
        InitiatePayment(learner, learner.user_id, course.id, Method.PAYSTACK, coupon_code=coupon)
    )
    campus.follower().catch_up()  # the sweeps' worklists hear of it
    return payment


def pay(campus: Campus, payment: Payment) -> None:
    campus.bus.handle(ReceivePaystackWebhook(*campus.paystack.complete(payment.access_code)))


def given_up_then_replaced(
    campus: Campus, learner: Actor, course: Course, coupon: str | None = None
) -> tuple[Payment, Payment]:
    """A checkout given up for lost, and the one the learner started after it."""
    given_up = checkout(campus, learner, course, coupon)
    campus.bus.handle(ExpireCheckouts())
    return given_up, checkout(campus, learner, course, coupon)


def away(*_: object) -> None:
    raise GatewayUnavailableError


def payment_now(campus: Campus, payment: Payment) -> Payment:
    return campus.apps["commerce"].get_payment(payment.id)


def paystack_refunds(campus: Campus, payment: Payment) -> list[int]:
    return [refund.amount for refund in campus.paystack.refunds(payment.transaction_id)]


def test_the_second_payment_for_a_course_is_refunded_in_full(campus, course, ada):
    given_up, replacement = given_up_then_replaced(campus, ada, course)
    pay(campus, replacement)
    pay(campus, given_up)  # on the page still open at Paystack

    second = payment_now(campus, given_up)
    assert (second.status, second.refunded_amount) == (Status.REFUNDED, PRICE)
    assert paystack_refunds(campus, given_up) == [PRICE]
    assert payment_now(campus, replacement).status is Status.SUCCEEDED
    assert paystack_refunds(campus, replacement) == []


def test_the_first_payment_keeps_the_course_whichever_checkout_it_was(campus, course, ada):
    given_up, replacement = given_up_then_replaced(campus, ada, course)
    pay(campus, given_up)  # paid late, before the replacement
    pay(campus, replacement)

    assert payment_now(campus, replacement).status is Status.REFUNDED
    enrolled = campus.bus.handle(EnrollInCourse(ada, ada.user_id, course.id))
    assert enrolled.payment_id == given_up.id


def test_a_second_payment_owed_back_does_not_enroll(campus, course, ada, monkeypatch):
    given_up, replacement = given_up_then_replaced(campus, ada, course)
    pay(campus, replacement)
    monkeypatch.setattr(campus.paystack, "refund", away)  # its refund is still to be sent
    pay(campus, given_up)

    with pytest.raises(InvalidInputError):
        campus.bus.handle(EnrollInCourse(ada, ada.user_id, course.id, payment_id=given_up.id))


def test_the_second_payment_counts_no_coupon_use(campus, course, ada):
    half, twice = Discount(basis_points=5000), UsageType.MULTI_USE
    campus.bus.handle(
        CreateCoupon(admin(campus), "HALF", half, *window(), usage_type=twice, max_redemptions=2)
    )
    given_up, replacement = given_up_then_replaced(campus, ada, course, "HALF")
    pay(campus, replacement)
    pay(campus, given_up)

    assert campus.apps["commerce"].get_coupon("HALF").redemptions == 1


def test_a_redelivered_confirmation_refunds_the_second_payment_once(campus, course, ada):
    given_up, replacement = given_up_then_replaced(campus, ada, course)
    pay(campus, replacement)
    notice = campus.paystack.complete(given_up.access_code)
    campus.bus.handle(ReceivePaystackWebhook(*notice))
    campus.bus.handle(ReceivePaystackWebhook(*notice))

    assert paystack_refunds(campus, given_up) == [PRICE]


def test_a_refund_paystack_never_received_is_sent_by_the_reconciler(
    campus, course, ada, monkeypatch
):
    given_up, replacement = given_up_then_replaced(campus, ada, course)
    pay(campus, replacement)
    refund = campus.paystack.refund
    monkeypatch.setattr(campus.paystack, "refund", away)
    pay(campus, given_up)
    owed = payment_now(campus, given_up)
    assert (owed.status, owed.refund_in_flight[1]) == (Status.SUCCEEDED, PRICE)

    monkeypatch.setattr(campus.paystack, "refund", refund)
    campus.follower().catch_up()
    assert campus.bus.handle(ReconcileRefunds()) == 1
    assert payment_now(campus, given_up).status is Status.REFUNDED
    assert paystack_refunds(campus, given_up) == [PRICE]
