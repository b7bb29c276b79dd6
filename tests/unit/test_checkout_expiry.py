"""Checkouts nobody finished, through the bus: Paystack pages and card charges left at the
payer's next step, given up after a while, their coupon use given back and the course free to
buy again; one the gateway has settled is settled its way, and a learner who pays after all
still gets what they paid for."""

from __future__ import annotations

import pytest

from commands.coupons.manage_coupon import CreateCoupon
from commands.payments.expire_checkouts import EXPIRED, ExpireCheckouts
from commands.payments.initiate_payment import InitiatePayment
from commands.payments.ports import GatewayUnavailableError
from commands.payments.settle_payment import ReceivePaystackWebhook, RefreshPaymentStatus
from domain.actor import Actor
from domain.commerce.coupon import CouponInvalidError
from domain.commerce.coupon_usage import UsageType
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.commerce.pricing import Discount
from ops.bootstrap import Campus
from tests.unit.bus import (
    OTP_CARD,
    Course,
    admin,
    instructor,
    pay_by_card,
    person,
    published_course,
    window,
)

PRICE = 500_000


@pytest.fixture
def campus(campus_with) -> Campus:
    """Checkouts are given up however recent they are."""
    return campus_with(checkout_expires_after_seconds=0)


@pytest.fixture
def course(campus: Campus) -> Course:
    return published_course(campus, instructor(campus), price=PRICE)


@pytest.fixture
def single_use(campus: Campus) -> str:
    """A coupon of one use, for half the price."""
    half, once = Discount(basis_points=5000), UsageType.SINGLE_USE
    campus.bus.handle(CreateCoupon(admin(campus), "ONCE", half, *window(), usage_type=once))
    return "ONCE"


def checkout(campus: Campus, learner: Actor, course: Course, coupon: str | None = None) -> Payment:
    """The learner is sent to Paystack's page, and the sweep's worklist hears of it."""
    payment = campus.bus.handle(
        InitiatePayment(learner, learner.user_id, course.id, Method.PAYSTACK, coupon_code=coupon)
    )
    campus.follower().catch_up()
    return payment


def payment_now(campus: Campus, payment: Payment) -> Payment:
    return campus.apps["commerce"].get_payment(payment.id)


def test_a_checkout_nobody_finished_is_failed_and_gives_its_coupon_use_back(
    campus, course, single_use
):
    walked_away = checkout(campus, person(campus, "Ada"), course, single_use)
    with pytest.raises(CouponInvalidError):  # held by the open checkout
        checkout(campus, person(campus, "Bob"), course, single_use)

    assert campus.bus.handle(ExpireCheckouts()) == 1

    given_up = payment_now(campus, walked_away)
    assert (given_up.status, given_up.failure) == (Status.FAILED, EXPIRED)
    assert checkout(campus, person(campus, "Cy"), course, single_use).amount == PRICE // 2


def test_its_learner_may_check_out_the_course_again(campus, course):
    ada = person(campus, "Ada")
    checkout(campus, ada, course)
    campus.bus.handle(ExpireCheckouts())

    assert checkout(campus, ada, course).status is Status.PENDING


def test_a_checkout_paid_whose_word_never_came_is_settled_as_paid(campus, course):
    paid = checkout(campus, person(campus, "Ada"), course)
    campus.paystack.complete(paid.access_code)  # the webhook is lost

    assert campus.bus.handle(ExpireCheckouts()) == 0
    assert payment_now(campus, paid).status is Status.SUCCEEDED


def test_a_recent_checkout_is_left_to_its_learner(campus_with):
    campus = campus_with(checkout_expires_after_seconds=3600)
    course = published_course(campus, instructor(campus), price=PRICE)
    recent = checkout(campus, person(campus, "Ada"), course)

    assert campus.bus.handle(ExpireCheckouts()) == 0
    assert payment_now(campus, recent).status is Status.PENDING


def test_a_checkout_paystack_cannot_be_asked_about_stays_open(campus, course, monkeypatch):
    waiting = checkout(campus, person(campus, "Ada"), course)

    def away(reference: str) -> None:
        raise GatewayUnavailableError("Paystack did not answer")

    monkeypatch.setattr(campus.paystack, "verify", away)
    assert campus.bus.handle(ExpireCheckouts()) == 0
    assert payment_now(campus, waiting).status is Status.PENDING


def test_a_learner_who_pays_after_it_was_given_up_is_still_settled_as_paid(
    campus, course, single_use
):
    late = checkout(campus, person(campus, "Ada"), course, single_use)
    campus.bus.handle(ExpireCheckouts())
    assert payment_now(campus, late).status is Status.FAILED

    campus.bus.handle(ReceivePaystackWebhook(*campus.paystack.complete(late.access_code)))

    assert payment_now(campus, late).status is Status.SUCCEEDED
    assert campus.apps["commerce"].get_coupon(single_use).redemptions == 1


def test_a_status_check_finds_a_given_up_checkout_paid_after_all(campus, course):
    ada = person(campus, "Ada")
    late = checkout(campus, ada, course)
    campus.bus.handle(ExpireCheckouts())
    campus.paystack.complete(late.access_code)  # and its webhook is lost

    asked = campus.bus.handle(RefreshPaymentStatus(ada, late.transaction_id))
    assert asked.status is Status.SUCCEEDED


def test_a_card_charge_left_at_its_otp_prompt_is_given_up_and_the_learner_may_pay_again(
    campus, course, single_use
):
    ada = person(campus, "Ada")
    waiting = pay_by_card(campus, ada, course, OTP_CARD, coupon_code=single_use)
    assert waiting.status is Status.AUTHORIZING
    campus.follower().catch_up()

    assert campus.bus.handle(ExpireCheckouts()) == 1
    given_up = payment_now(campus, waiting)
    assert (given_up.status, given_up.failure) == (Status.FAILED, EXPIRED)
    assert campus.apps["commerce"].get_coupon(single_use).uses == 0
    assert pay_by_card(campus, ada, course).status is Status.SUCCEEDED
