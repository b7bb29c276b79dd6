"""The Payment aggregate's rules, in memory: a fixed amount, settling once, and refunds."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from domain.commerce.payment import Payment, PaymentStateError, RefundError
from domain.commerce.payment_terms import (
    Method,
    PaymentNotFoundError,
    Status,
    payment_id_of,
    transaction_id_of,
)
from domain.commerce.pricing import Discount, quote

PAID_AT = datetime(2025, 6, 1, 12, tzinfo=UTC)
ADMIN = uuid.uuid4()
CARD = {"brand": "visa", "last4": "4242", "expiryMonth": "12", "expiryYear": "2030"}


def initiate() -> Payment:
    """A payment of 4,500 naira: 5,000 less a 10 % coupon."""
    price = quote(5000_00, "NGN", Discount.percentage(10))
    return Payment.initiate(
        uuid.uuid4(), uuid.uuid4(), Method.CARD, price, "SPRING-25", None, None, CARD
    )


def paid() -> Payment:
    payment = initiate()
    payment.succeed(4500_00, "NGN", PAID_AT)
    return payment


def failed() -> Payment:
    payment = initiate()
    payment.fail("Card declined")
    return payment


def event_names(payment: Payment) -> list[str]:
    return [type(e).__name__ for e in payment.collect_events()]


def refund(payment: Payment, amount: int | None = None) -> int:
    refund_id = uuid.uuid4()
    taken = payment.start_refund(refund_id, amount, "requested", ADMIN)
    payment.complete_refund(refund_id)
    return taken


def test_initiating_from_a_quote_fixes_the_amounts():
    payment = initiate()

    assert (payment.original_amount, payment.amount, payment.currency) == (
        5000_00,
        4500_00,
        "NGN",
    )
    assert (payment.status, payment.coupon_code, payment.card) == (
        Status.INITIATED,
        "SPRING-25",
        CARD,
    )


def test_a_transaction_id_names_its_payment():
    payment_id = uuid.uuid4()

    assert payment_id_of(transaction_id_of(payment_id)) == payment_id


def test_a_payment_answers_its_transaction_id():
    payment = initiate()

    assert payment_id_of(payment.transaction_id) == payment.id


@pytest.mark.parametrize(
    "transaction_id",
    [
        "",
        "tx_",
        "tx_not-hex",
        "tx_" + "0" * 31,
        "e72ee336c22c461e916fdc8e3a8141ca",
        "pay_" + "3" * 32,
    ],
)
def test_a_transaction_id_that_names_no_payment_is_not_found(transaction_id):
    with pytest.raises(PaymentNotFoundError):
        payment_id_of(transaction_id)


def test_starting_the_checkout_makes_an_initiated_payment_pending():
    payment = initiate()
    payment.start_checkout("ac_1", "https://checkout.example/ac_1")

    assert (payment.status, payment.access_code) == (Status.PENDING, "ac_1")


@pytest.mark.parametrize("make", [paid, failed])
def test_the_checkout_starts_only_from_initiated(make):
    payment = make()
    with pytest.raises(PaymentStateError):
        payment.start_checkout("ac_1", "https://checkout.example/ac_1")


def test_a_checkout_cannot_start_twice():
    payment = initiate()
    payment.start_checkout("ac_1", "https://checkout.example/ac_1")
    with pytest.raises(PaymentStateError):
        payment.start_checkout("ac_2", "https://checkout.example/ac_2")


@pytest.mark.parametrize(("amount", "currency"), [(4500_01, "NGN"), (4500_00, "USD")])
def test_a_gateway_reporting_another_amount_or_currency_does_not_make_it_succeed(amount, currency):
    payment = initiate()
    payment.collect_events()
    with pytest.raises(PaymentStateError):
        payment.succeed(amount, currency, PAID_AT)

    assert event_names(payment) == []
    assert payment.status is Status.INITIATED


def test_succeeding_twice_records_one_event():
    payment = initiate()
    payment.collect_events()
    payment.succeed(4500_00, "NGN", PAID_AT, "sealed")
    payment.succeed(4500_00, "NGN", PAID_AT, "sealed")

    assert event_names(payment) == ["Succeeded"]
    assert (payment.status, payment.paid_at) == (Status.SUCCEEDED, PAID_AT)


def test_a_failure_after_success_changes_nothing():
    payment = paid()
    payment.collect_events()
    payment.fail("abandoned")

    assert event_names(payment) == []
    assert (payment.status, payment.failure) == (Status.SUCCEEDED, None)


def test_a_failed_payment_still_succeeds_when_the_gateway_says_it_was_paid():
    payment = failed()
    payment.succeed(4500_00, "NGN", PAID_AT)

    assert (payment.status, payment.failure) == (Status.SUCCEEDED, None)


def started(payment: Payment) -> Payment:
    payment.start_checkout("ac_1", "https://checkout.example/ac_1")
    return payment


def partially_refunded(payment: Payment) -> Payment:
    payment.succeed(4500_00, "NGN", PAID_AT)
    refund(payment, 1000_00)
    return payment


def refunded(payment: Payment) -> Payment:
    payment.succeed(4500_00, "NGN", PAID_AT)
    refund(payment)
    return payment


@pytest.mark.parametrize(
    ("drive", "word"),
    [
        (lambda p: p, "pending"),
        (started, "pending"),
        (lambda p: p.succeed(4500_00, "NGN", PAID_AT), "success"),
        (lambda p: p.fail("declined"), "failed"),
        (partially_refunded, "partially_refunded"),
        (refunded, "refunded"),
    ],
)
def test_the_public_status_is_the_word_the_api_answers(
    drive: Callable[[Payment], object], word: str
):
    payment = initiate()
    drive(payment)

    assert payment.public_status == word


def test_a_refund_defaults_to_all_that_is_left():
    payment = paid()

    assert refund(payment) == 4500_00
    assert (payment.status, payment.refunded_amount) == (Status.REFUNDED, 4500_00)


def test_a_partial_refund_then_the_rest_refunds_the_payment():
    payment = paid()
    refund(payment, 1000_00)
    assert payment.status is Status.PARTIALLY_REFUNDED

    assert refund(payment) == 3500_00
    assert (payment.status, payment.refunded_amount) == (Status.REFUNDED, 4500_00)


@pytest.mark.parametrize("amount", [0, -1, 4500_01])
def test_a_refund_of_nothing_or_more_than_is_left_is_refused(amount):
    payment = paid()
    with pytest.raises(RefundError):
        payment.start_refund(uuid.uuid4(), amount, "requested", ADMIN)


def test_a_refund_of_more_than_is_left_after_a_partial_refund_is_refused():
    payment = paid()
    refund(payment, 4000_00)
    with pytest.raises(RefundError):
        payment.start_refund(uuid.uuid4(), 500_01, "requested", ADMIN)


def test_a_second_refund_while_one_is_in_flight_is_refused():
    payment = paid()
    payment.start_refund(uuid.uuid4(), 1000_00, "requested", ADMIN)
    with pytest.raises(PaymentStateError):
        payment.start_refund(uuid.uuid4(), 1000_00, "requested again", ADMIN)


def test_an_aborted_refund_frees_the_payment_for_another_refund():
    payment = paid()
    refund_id = uuid.uuid4()
    payment.start_refund(refund_id, 1000_00, "requested", ADMIN)
    payment.abort_refund(refund_id, "gateway refused")

    assert payment.refunded_amount == 0
    assert refund(payment) == 4500_00


def test_completing_another_refund_than_the_one_in_flight_changes_nothing():
    payment = paid()
    payment.start_refund(uuid.uuid4(), 1000_00, "requested", ADMIN)
    payment.collect_events()
    payment.complete_refund(uuid.uuid4())

    assert event_names(payment) == []
    assert (payment.status, payment.refunded_amount) == (Status.SUCCEEDED, 0)


@pytest.mark.parametrize("make", [initiate, failed])
def test_only_a_successful_payment_can_be_refunded(make):
    payment = make()
    with pytest.raises(PaymentStateError):
        payment.start_refund(uuid.uuid4(), None, "requested", ADMIN)


def test_a_second_payment_is_owed_back_whole_once():
    payment = paid()
    payment.collect_events()
    refund_id = uuid.uuid4()
    payment.owe_back(refund_id, uuid.uuid4())
    payment.owe_back(uuid.uuid4(), uuid.uuid4())

    assert event_names(payment) == ["PaidTwice"]
    assert payment.refund_in_flight == (refund_id, 4500_00)
    payment.complete_refund(refund_id)
    assert (payment.status, payment.refunded_amount) == (Status.REFUNDED, 4500_00)


def test_a_payment_owed_back_takes_no_refund_by_hand_meanwhile():
    payment = paid()
    payment.owe_back(uuid.uuid4(), uuid.uuid4())
    with pytest.raises(PaymentStateError):
        payment.start_refund(uuid.uuid4(), None, "requested", ADMIN)


def test_the_card_details_of_a_success_are_marked_private_so_they_are_never_published():
    assert "card_details" in Payment.Succeeded.private_fields
