"""The CoursePurchase aggregate's rules, in memory: one open payment, and no second sale."""

from __future__ import annotations

import uuid

import pytest

from domain.commerce.course_purchase import (
    AlreadyPaidError,
    CoursePurchase,
    PaymentInProgressError,
)
from domain.errors import ConflictError


def new_purchase() -> CoursePurchase:
    return CoursePurchase(uuid.uuid4(), uuid.uuid4())


def opened() -> tuple[CoursePurchase, uuid.UUID]:
    purchase, payment_id = new_purchase(), uuid.uuid4()
    purchase.open(payment_id)
    return purchase, payment_id


def event_names(purchase: CoursePurchase) -> list[str]:
    return [type(e).__name__ for e in purchase.collect_events()]


def test_a_purchase_id_is_one_per_learner_and_course():
    user_id, course_id = uuid.uuid4(), uuid.uuid4()

    assert CoursePurchase.create_id(user_id, course_id) == CoursePurchase.create_id(
        user_id, course_id
    )
    assert CoursePurchase.create_id(user_id, course_id) != CoursePurchase.create_id(
        uuid.uuid4(), course_id
    )


def test_a_second_payment_while_one_is_open_is_a_payment_in_progress():
    purchase, _ = opened()
    with pytest.raises(PaymentInProgressError):
        purchase.open(uuid.uuid4())


def test_a_paid_course_cannot_be_paid_again():
    purchase, payment_id = opened()
    purchase.close(payment_id, paid=True)
    with pytest.raises(AlreadyPaidError):
        purchase.open(uuid.uuid4())


def test_a_payment_after_the_one_that_paid_for_the_course_was_paid_first_by_another():
    purchase, first = opened()
    purchase.close(first, paid=True)

    assert purchase.paid_first_by_another(uuid.uuid4()) == first
    assert purchase.paid_first_by_another(first) is None


def test_no_payment_was_paid_first_while_the_course_is_unpaid():
    purchase, payment_id = opened()
    assert purchase.paid_first_by_another(payment_id) is None


@pytest.mark.parametrize("error", [AlreadyPaidError, PaymentInProgressError])
def test_a_purchase_refusal_is_a_conflict(error):
    assert issubclass(error, ConflictError)


def test_a_failed_payment_closes_the_purchase_for_another_payment():
    purchase, payment_id = opened()
    purchase.close(payment_id, paid=False)
    purchase.open(uuid.uuid4())

    assert purchase.paid_payment_id is None


def test_closing_a_payment_that_is_not_open_as_failed_records_nothing():
    purchase, _ = opened()
    purchase.collect_events()
    purchase.close(uuid.uuid4(), paid=False)

    assert event_names(purchase) == []


def test_closing_a_paid_payment_twice_records_one_event():
    purchase, payment_id = opened()
    purchase.collect_events()
    purchase.close(payment_id, paid=True)
    purchase.close(payment_id, paid=True)

    assert event_names(purchase) == ["PaymentClosed"]


def test_a_payment_paid_after_it_failed_still_owns_the_purchase():
    purchase, payment_id = opened()
    purchase.close(payment_id, paid=False)
    purchase.close(payment_id, paid=True)

    assert (purchase.open_payment_id, purchase.paid_payment_id) == (None, payment_id)


def test_a_full_refund_lets_the_course_be_bought_again():
    purchase, payment_id = opened()
    purchase.close(payment_id, paid=True)
    purchase.refund(payment_id)
    purchase.open(uuid.uuid4())

    assert purchase.paid_payment_id is None


def test_refunding_another_payment_than_the_paid_one_changes_nothing():
    purchase, payment_id = opened()
    purchase.close(payment_id, paid=True)
    purchase.collect_events()
    purchase.refund(uuid.uuid4())

    assert event_names(purchase) == []
    assert purchase.paid_payment_id == payment_id
