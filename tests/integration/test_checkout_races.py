"""Checkouts that race: coupon limits, idempotency keys and double clicks hold under
concurrency on both event stores, and no card is charged twice."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from uuid import UUID

from commands.payments.initiate_payment import CardInput, InitiatePayment
from domain.actor import Actor
from domain.commerce.coupon import CouponInvalidError
from domain.commerce.payment_terms import Method
from tests.api import admin_token, data, signed_up
from tests.commerce import APPROVED, CVV, course_for_sale, create_coupon, pay

CHECKOUTS = 1_000
USES = 10
THREADS = 32


def checkout(running, course_id: UUID, user_id: UUID, coupon: str) -> str:
    command = InitiatePayment(
        Actor(user_id, "student"),
        user_id,
        course_id,
        Method.CARD,
        card=CardInput(APPROVED, "12", "2099", CVV),
        coupon_code=coupon,
    )
    try:
        return running.campus.bus.handle(command).public_status
    except CouponInvalidError as refused:
        return str(refused)


def test_a_thousand_checkouts_of_a_ten_use_coupon_redeem_exactly_ten(backend):
    admin = admin_token(backend)
    course_id = UUID(course_for_sale(backend.client, admin))
    create_coupon(backend.client, admin, "TEN", maxRedemptions=USES)
    start = Barrier(THREADS)

    def contend(n: int) -> str:
        if n < THREADS:
            start.wait()
        return checkout(backend, course_id, uuid.uuid4(), "ten")

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(contend, range(CHECKOUTS)))

    assert outcomes.count("success") == USES
    assert outcomes.count("This coupon has been fully redeemed") == CHECKOUTS - USES
    coupon = backend.campus.apps["commerce"].get_coupon("TEN")
    assert (coupon.redemptions, len(coupon.holds)) == (USES, 0)
    assert backend.campus.cards.charges == USES


def test_concurrent_retries_with_one_idempotency_key_make_one_payment_and_one_charge(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    learner = signed_up(backend.client)[0]["token"]
    contenders = 12
    start = Barrier(contenders)

    def retry(_: int) -> tuple[int, str]:
        start.wait()
        response = pay(backend.client, learner, course_id, key="pay-once")
        return response.status_code, data(response)["paymentId"]

    with ThreadPoolExecutor(contenders) as pool:
        answers = set(pool.map(retry, range(contenders)))

    assert len(answers) == 1 and next(iter(answers))[0] == 201
    assert backend.campus.cards.charges == 1


def test_a_double_click_without_a_key_pays_once(backend):
    admin = admin_token(backend)
    course_id = course_for_sale(backend.client, admin)
    learner = signed_up(backend.client)[0]["token"]
    contenders = 8
    start = Barrier(contenders)

    def click(_: int) -> int:
        start.wait()
        return pay(backend.client, learner, course_id).status_code

    with ThreadPoolExecutor(contenders) as pool:
        statuses = sorted(pool.map(click, range(contenders)))

    assert statuses == [201] + [409] * (contenders - 1)
    assert backend.campus.cards.charges == 1
