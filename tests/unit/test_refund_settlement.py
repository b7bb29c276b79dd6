"""Refunds whose gateway answer was lost, refused or never recorded, through the bus: they are
settled from the refunds the gateway holds, never withdrawn blindly and never paid twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from uuid import uuid4

import pytest

from commands.learning.drop_refunded_enrollments import DropRefundedEnrollments
from commands.learning.enroll import EnrollInCourse
from commands.payments.initiate_payment import InitiatePayment
from commands.payments.ports import GatewayRefund, GatewayUnavailableError
from commands.payments.reconcile_refunds import ReconcileRefunds
from commands.payments.refund_payment import RefundPayment
from commands.payments.settle_payment import ReceivePaystackWebhook
from commands.payments.settle_refund import RefundUndecidedError
from domain.actor import Actor
from domain.commerce.payment import Payment, PaymentStateError
from domain.commerce.payment_terms import Method, Status
from domain.learning.enrollment import Enrollment
from domain.learning.enrollment_terms import Status as Progress
from ops.bootstrap import Campus
from tests.unit.bus import admin, instructor, pay_by_card, person, published_course

PRICE = 500_000


@pytest.fixture
def campus(campus_with) -> Campus:
    """Refunds left in flight are reconciled however recent they are."""
    return campus_with(refund_settle_after_seconds=0)


def paid_on_paystack(campus: Campus) -> Payment:
    course = published_course(campus, instructor(campus), price=PRICE)
    ada = person(campus, "Ada")
    pending = campus.bus.handle(InitiatePayment(ada, ada.user_id, course.id, Method.PAYSTACK))
    campus.bus.handle(ReceivePaystackWebhook(*campus.paystack.complete(pending.access_code)))
    return campus.apps["commerce"].get_payment(pending.id)


def answer_lost(refund: Callable[..., None]) -> Callable[..., None]:
    """The gateway refunds, and its answer never arrives."""

    def refunded_silently(*args: object) -> None:
        refund(*args)
        raise GatewayUnavailableError

    return refunded_silently


def never_reached(*_: object) -> None:
    raise GatewayUnavailableError


def paystack_refunds(campus: Campus, payment: Payment) -> list[int]:
    return [refund.amount for refund in campus.paystack.refunds(payment.transaction_id)]


def test_a_refund_paid_back_whose_answer_was_lost_is_completed(campus, monkeypatch):
    payment = paid_on_paystack(campus)
    monkeypatch.setattr(campus.paystack, "refund", answer_lost(campus.paystack.refund))
    refunded = campus.bus.handle(RefundPayment(admin(campus), payment.id, None, "refund"))
    assert (refunded.status, refunded.refunded_amount) == (Status.REFUNDED, PRICE)
    assert paystack_refunds(campus, payment) == [PRICE]


def test_a_refund_the_gateway_never_received_is_withdrawn(campus, monkeypatch):
    payment = paid_on_paystack(campus)
    monkeypatch.setattr(campus.paystack, "refund", never_reached)
    with pytest.raises(GatewayUnavailableError):
        campus.bus.handle(RefundPayment(admin(campus), payment.id, None, "refund"))
    withdrawn = campus.apps["commerce"].get_payment(payment.id)
    assert (withdrawn.status, withdrawn.refund_in_flight) == (Status.SUCCEEDED, None)
    assert paystack_refunds(campus, payment) == []


def test_a_retry_refused_as_a_duplicate_completes_the_refund_without_a_second(campus, monkeypatch):
    payment = paid_on_paystack(campus)
    refund = campus.paystack.refund

    def retried_after_a_timeout(*args: object) -> None:
        refund(*args)  # done, but the answer was lost: the retry is refused
        refund(*args)

    monkeypatch.setattr(campus.paystack, "refund", retried_after_a_timeout)
    root = admin(campus)
    refunded = campus.bus.handle(RefundPayment(root, payment.id, None, "refund"))
    assert (refunded.status, refunded.refunded_amount) == (Status.REFUNDED, PRICE)
    with pytest.raises(PaymentStateError):  # the books say so: no admin refunds it again
        campus.bus.handle(RefundPayment(root, payment.id, None, "refund again"))
    assert paystack_refunds(campus, payment) == [PRICE]


def test_a_lost_card_refund_is_completed_from_the_card_gateways_refunds(campus, monkeypatch):
    course = published_course(campus, instructor(campus), price=PRICE)
    payment = pay_by_card(campus, person(campus, "Ada"), course)
    monkeypatch.setattr(campus.cards, "refund", answer_lost(campus.cards.refund))
    refunded = campus.bus.handle(RefundPayment(admin(campus), payment.id, 1_000, "late"))
    assert refunded.refunded_amount == 1_000
    assert [r.amount for r in campus.cards.refunded] == [1_000]


def test_a_refund_the_gateway_cannot_tell_about_stays_in_flight_until_reconciled(
    campus, monkeypatch
):
    payment = paid_on_paystack(campus)
    root = admin(campus)
    with monkeypatch.context() as outage:
        outage.setattr(campus.paystack, "refund", answer_lost(campus.paystack.refund))
        outage.setattr(campus.paystack, "refunds", never_reached)
        with pytest.raises(RefundUndecidedError):
            campus.bus.handle(RefundPayment(root, payment.id, None, "refund"))
        with pytest.raises(PaymentStateError):  # no second refund while this one is unknown
            campus.bus.handle(RefundPayment(root, payment.id, None, "refund again"))
        campus.follower().catch_up()
        assert campus.bus.handle(ReconcileRefunds()) == 0
    assert campus.apps["commerce"].get_payment(payment.id).refund_in_flight is not None
    assert campus.bus.handle(ReconcileRefunds()) == 1
    settled = campus.apps["commerce"].get_payment(payment.id)
    assert (settled.status, settled.refunded_amount) == (Status.REFUNDED, PRICE)
    assert paystack_refunds(campus, payment) == [PRICE]


def test_a_refund_the_gateway_is_still_paying_stays_in_flight_until_it_is_processed(
    campus, monkeypatch
):
    payment = paid_on_paystack(campus)
    refund, refunds = campus.paystack.refund, campus.paystack.refunds

    def queued(*args: object) -> str:
        refund(*args)
        return "pending"

    def still_paying(reference: str) -> list[GatewayRefund]:
        return [replace(r, status="processing") for r in refunds(reference)]

    with monkeypatch.context() as paystack:
        paystack.setattr(campus.paystack, "refund", queued)
        paystack.setattr(campus.paystack, "refunds", still_paying)
        started = campus.bus.handle(RefundPayment(admin(campus), payment.id, None, "refund"))
        assert (started.status, started.refund_in_progress) == (Status.SUCCEEDED, PRICE)
        campus.follower().catch_up()
        assert campus.bus.handle(ReconcileRefunds()) == 0
    assert campus.bus.handle(ReconcileRefunds()) == 1  # processed now
    settled = campus.apps["commerce"].get_payment(payment.id)
    assert (settled.status, settled.refunded_amount) == (Status.REFUNDED, PRICE)


def test_a_refund_owed_for_a_second_payment_that_failed_waits_for_a_person(campus, monkeypatch):
    payment = paid_on_paystack(campus)
    payment.owe_back(uuid4(), uuid4())
    campus.apps["commerce"].save(payment)

    sent = campus.paystack.refunds

    def failed(reference: str) -> list[GatewayRefund]:
        return [GatewayRefund(PRICE, "NGN", "failed")]

    monkeypatch.setattr(campus.paystack, "refunds", failed)
    campus.follower().catch_up()
    assert campus.bus.handle(ReconcileRefunds()) == 0
    assert campus.apps["commerce"].get_payment(payment.id).refund_in_flight is not None
    assert sent(payment.transaction_id) == []  # not sent again and again


def enrolled_with(campus: Campus, payment: Payment) -> Enrollment:
    learner = Actor(payment.user_id, "student")
    return campus.bus.handle(EnrollInCourse(learner, learner.user_id, payment.course_id))


def enrollment_now(campus: Campus, enrollment: Enrollment) -> Enrollment:
    return campus.apps["learning"].get_enrollment(enrollment.id)


def refunded_by_the_reconciler(campus: Campus, payment: Payment, monkeypatch) -> None:
    """An admin's refund whose answer was lost, which the reconciler completes later."""
    with monkeypatch.context() as outage:
        outage.setattr(campus.paystack, "refund", answer_lost(campus.paystack.refund))
        outage.setattr(campus.paystack, "refunds", never_reached)
        with pytest.raises(RefundUndecidedError):
            campus.bus.handle(RefundPayment(admin(campus), payment.id, None, "refund"))
    campus.follower().catch_up()
    assert campus.bus.handle(ReconcileRefunds()) == 1


def test_the_reconciler_takes_the_course_back_with_the_refund_it_completes(campus, monkeypatch):
    payment = paid_on_paystack(campus)
    enrollment = enrolled_with(campus, payment)
    refunded_by_the_reconciler(campus, payment, monkeypatch)
    assert enrollment_now(campus, enrollment).status is Progress.DROPPED


def test_an_enrollment_a_full_refund_left_standing_is_dropped_by_the_sweep(campus):
    payment = paid_on_paystack(campus)
    enrollment = enrolled_with(campus, payment)
    refund_id = uuid4()
    payment.start_refund(refund_id, None, "refund", admin(campus).user_id)
    payment.complete_refund(refund_id)
    campus.apps["commerce"].save(payment)  # and the process stopped before the drop
    campus.follower().catch_up()

    assert campus.bus.handle(DropRefundedEnrollments()) == 1
    assert enrollment_now(campus, enrollment).status is Progress.DROPPED
    campus.follower().catch_up()
    assert campus.bus.handle(DropRefundedEnrollments()) == 0


def test_a_partial_refund_keeps_its_enrollment(campus):
    payment = paid_on_paystack(campus)
    enrollment = enrolled_with(campus, payment)
    campus.bus.handle(RefundPayment(admin(campus), payment.id, 1_000, "goodwill"))
    campus.follower().catch_up()

    assert campus.bus.handle(DropRefundedEnrollments()) == 0
    assert enrollment_now(campus, enrollment).status is Progress.IN_PROGRESS


def test_a_refund_left_by_a_crash_before_the_gateway_was_asked_is_withdrawn(campus):
    payment, root = paid_on_paystack(campus), admin(campus)
    payment.start_refund(uuid4(), None, "refund", root.user_id)
    campus.apps["commerce"].save(payment)  # and the process died
    campus.follower().catch_up()
    assert campus.bus.handle(ReconcileRefunds()) == 1
    assert campus.apps["commerce"].get_payment(payment.id).refund_in_flight is None
    refunded = campus.bus.handle(RefundPayment(root, payment.id, None, "refund"))
    assert refunded.status is Status.REFUNDED
    assert campus.bus.handle(ReconcileRefunds()) == 0


def test_a_recent_refund_is_left_to_the_request_still_waiting_on_the_gateway(campus_with):
    campus = campus_with(refund_settle_after_seconds=3600)
    payment = paid_on_paystack(campus)
    payment.start_refund(uuid4(), None, "refund", admin(campus).user_id)
    campus.apps["commerce"].save(payment)
    campus.follower().catch_up()
    assert campus.bus.handle(ReconcileRefunds()) == 0
