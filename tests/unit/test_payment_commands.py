"""Paying for a course through the bus: card charges, Paystack checkouts, refunds and what a
refund undoes, with the embedded default's sandbox gateways."""

from __future__ import annotations

import pytest

from commands.learning.drop_enrollment import DropRefundedEnrollment
from commands.learning.enroll import EnrollInCourse
from commands.payments.authorize_payment import AuthorizePayment
from commands.payments.card_charges import PaymentDeclinedError
from commands.payments.initiate_payment import InitiatePayment
from commands.payments.refund_payment import RefundPayment
from commands.payments.settle_payment import (
    InvalidSignatureError,
    ReceivePaystackWebhook,
    RefreshPaymentStatus,
)
from domain.commerce.course_purchase import AlreadyPaidError
from domain.commerce.idempotency_key import IdempotencyKeyReusedError
from domain.commerce.payment import RefundError
from domain.commerce.payment_terms import Method, PaymentNotFoundError, Status
from domain.courses.structure import CourseNotFoundError
from domain.errors import ForbiddenError, InvalidInputError
from domain.learning.enrollment_terms import Status as Progress
from ops.bootstrap import Campus
from tests.unit.bus import (
    DECLINED_CARD,
    OTP_CARD,
    Course,
    admin,
    bought,
    card,
    instructor,
    pay_by_card,
    person,
    published_course,
)

PRICE = 500_000


@pytest.fixture
def course(campus: Campus) -> Course:
    return published_course(campus, instructor(campus), price=PRICE)


def checkout(campus: Campus, learner, course: Course):
    command = InitiatePayment(learner, learner.user_id, course.id, Method.PAYSTACK)
    return campus.bus.handle(command)


def test_an_approved_card_pays_the_price_and_the_purchase_names_the_payment(campus, course):
    ada = person(campus, "Ada")
    payment = pay_by_card(campus, ada, course)
    assert (payment.status, payment.amount) == (Status.SUCCEEDED, PRICE)
    purchase = campus.apps["commerce"].get_purchase(ada.user_id, course.id)
    assert purchase.paid_payment_id == payment.id


def test_a_declined_card_fails_the_payment_and_leaves_the_course_for_sale(campus, course):
    ada = person(campus, "Ada")
    with pytest.raises(PaymentDeclinedError):
        pay_by_card(campus, ada, course, DECLINED_CARD)
    assert pay_by_card(campus, ada, course).status is Status.SUCCEEDED


def test_a_second_checkout_with_the_same_idempotency_key_charges_once(campus, course):
    ada = person(campus, "Ada")
    first = pay_by_card(campus, ada, course, idempotency_key="checkout-1")
    again = pay_by_card(campus, ada, course, idempotency_key="checkout-1")
    assert again.id == first.id
    assert campus.cards.charges == 1


def test_a_retried_checkout_that_was_declined_answers_the_decline_without_charging_again(
    campus, course
):
    ada = person(campus, "Ada")
    for _ in range(2):
        with pytest.raises(PaymentDeclinedError):
            pay_by_card(campus, ada, course, DECLINED_CARD, idempotency_key="checkout-1")
    assert campus.cards.charges == 1


def test_an_idempotency_key_cannot_be_reused_for_another_purchase(campus, course):
    ada = person(campus, "Ada")
    pay_by_card(campus, ada, course, idempotency_key="checkout-1")
    other = published_course(campus, course.owner, price=PRICE)
    with pytest.raises(IdempotencyKeyReusedError):
        pay_by_card(campus, ada, other, idempotency_key="checkout-1")


def test_a_paid_course_is_not_sold_twice_to_the_same_learner(campus, course):
    ada = person(campus, "Ada")
    pay_by_card(campus, ada, course)
    with pytest.raises(AlreadyPaidError):
        pay_by_card(campus, ada, course)
    assert campus.cards.charges == 1


def test_the_amount_a_client_states_must_be_the_price_or_the_total(campus, course):
    ada = person(campus, "Ada")
    command = InitiatePayment(
        ada, ada.user_id, course.id, Method.CARD, amount=PRICE - 1, card=card()
    )
    with pytest.raises(InvalidInputError):
        campus.bus.handle(command)
    assert campus.cards.charges == 0


def test_a_draft_course_is_not_for_sale(campus):
    draft = published_course(campus, instructor(campus), price=PRICE, publish=False)
    with pytest.raises(CourseNotFoundError):
        pay_by_card(campus, person(campus, "Ada"), draft)


def test_a_learner_pays_only_for_themselves(campus, course):
    ada, bob = person(campus, "Ada"), person(campus, "Bob")
    command = InitiatePayment(ada, bob.user_id, course.id, Method.CARD, card=card())
    with pytest.raises(ForbiddenError):
        campus.bus.handle(command)


def test_a_card_asking_for_an_otp_waits_for_the_payer_and_the_right_otp_approves(campus, course):
    ada = person(campus, "Ada")
    waiting = pay_by_card(campus, ada, course, OTP_CARD)
    assert waiting.status is Status.AUTHORIZING and waiting.next_step.step == "send_otp"
    paid = campus.bus.handle(AuthorizePayment(ada, waiting.transaction_id, {"otp": "123456"}))
    assert paid.status is Status.SUCCEEDED


def test_a_wrong_otp_declines_the_payment(campus, course):
    ada = person(campus, "Ada")
    waiting = pay_by_card(campus, ada, course, OTP_CARD)
    with pytest.raises(PaymentDeclinedError):
        campus.bus.handle(AuthorizePayment(ada, waiting.transaction_id, {"otp": "000000"}))
    assert campus.apps["commerce"].get_payment(waiting.id).status is Status.FAILED


def test_only_the_payer_may_answer_their_cards_question(campus, course):
    waiting = pay_by_card(campus, person(campus, "Ada"), course, OTP_CARD)
    bob = person(campus, "Bob")
    with pytest.raises(PaymentNotFoundError):
        campus.bus.handle(AuthorizePayment(bob, waiting.transaction_id, {"otp": "123456"}))
    assert campus.apps["commerce"].get_payment(waiting.id).status is Status.AUTHORIZING


def test_a_paystack_checkout_is_paid_when_its_signed_webhook_arrives(campus, course):
    pending = checkout(campus, person(campus, "Ada"), course)
    assert pending.status is Status.PENDING
    body, signature = campus.paystack.complete(pending.access_code)
    paid = campus.bus.handle(ReceivePaystackWebhook(body, signature))
    assert paid.status is Status.SUCCEEDED


def test_a_webhook_with_a_wrong_signature_settles_nothing(campus, course):
    pending = checkout(campus, person(campus, "Ada"), course)
    body, _ = campus.paystack.complete(pending.access_code)
    with pytest.raises(InvalidSignatureError):
        campus.bus.handle(ReceivePaystackWebhook(body, "0" * 128))
    assert campus.apps["commerce"].get_payment(pending.id).status is Status.PENDING


def test_a_checkout_cancelled_on_paystack_fails_and_leaves_the_course_for_sale(campus, course):
    ada = person(campus, "Ada")
    pending = checkout(campus, ada, course)
    body, signature = campus.paystack.abandon(pending.access_code)
    assert campus.bus.handle(ReceivePaystackWebhook(body, signature)).status is Status.FAILED
    assert pay_by_card(campus, ada, course).status is Status.SUCCEEDED


def test_a_paystack_payment_is_refunded_through_paystack(campus, course):
    pending = checkout(campus, person(campus, "Ada"), course)
    campus.bus.handle(ReceivePaystackWebhook(*campus.paystack.complete(pending.access_code)))
    refunded = campus.bus.handle(RefundPayment(admin(campus), pending.id, None, "refund"))
    assert refunded.status is Status.REFUNDED
    assert campus.paystack.transaction_for(pending.access_code).refunded == PRICE


def test_asking_after_a_pending_checkout_settles_it_from_what_paystack_knows(campus, course):
    ada = person(campus, "Ada")
    pending = checkout(campus, ada, course)
    campus.paystack.complete(pending.access_code)  # the webhook is lost on its way
    paid = campus.bus.handle(RefreshPaymentStatus(ada, pending.transaction_id))
    assert paid.status is Status.SUCCEEDED


def test_another_learners_payment_does_not_exist_for_them(campus, course):
    pending = checkout(campus, person(campus, "Ada"), course)
    with pytest.raises(PaymentNotFoundError):
        campus.bus.handle(RefreshPaymentStatus(person(campus, "Bob"), pending.transaction_id))


def test_only_admins_refund_payments(campus, course):
    ada = person(campus, "Ada")
    payment = pay_by_card(campus, ada, course)
    with pytest.raises(ForbiddenError):
        campus.bus.handle(RefundPayment(ada, payment.id, None, "changed my mind"))
    assert campus.apps["commerce"].get_payment(payment.id).refunded_amount == 0


def test_refunds_never_pay_back_more_than_was_paid(campus, course):
    payment = pay_by_card(campus, person(campus, "Ada"), course)
    root = admin(campus)
    campus.bus.handle(RefundPayment(root, payment.id, PRICE - 100, "goodwill"))
    with pytest.raises(RefundError):
        campus.bus.handle(RefundPayment(root, payment.id, 101, "more goodwill"))
    assert campus.apps["commerce"].get_payment(payment.id).refunded_amount == PRICE - 100


def test_a_refunded_payment_drops_the_enrollment_it_paid_for(campus, course):
    ada = person(campus, "Ada")
    enrollment = bought(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), enrollment.payment_id, None, "refund"))
    dropped = campus.apps["learning"].get_enrollment(enrollment.id)
    assert dropped.status is Progress.DROPPED


def test_a_partial_refund_keeps_the_enrollment(campus, course):
    enrollment = bought(campus, person(campus, "Ada"), course)
    campus.bus.handle(RefundPayment(admin(campus), enrollment.payment_id, 1000, "late video"))
    kept = campus.apps["learning"].get_enrollment(enrollment.id)
    assert kept.status is Progress.IN_PROGRESS


def test_a_course_refunded_in_full_may_be_bought_again(campus, course):
    ada = person(campus, "Ada")
    first = pay_by_card(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), first.id, None, "refund"))
    assert pay_by_card(campus, ada, course).status is Status.SUCCEEDED


def test_an_enrollment_is_not_dropped_for_a_payment_still_paid(campus, course):
    enrollment = bought(campus, person(campus, "Ada"), course)
    assert campus.bus.handle(DropRefundedEnrollment(enrollment.payment_id)) is False
    assert campus.apps["learning"].get_enrollment(enrollment.id).status is Progress.IN_PROGRESS


def test_enrolling_with_a_refunded_payment_is_refused(campus, course):
    ada = person(campus, "Ada")
    payment = pay_by_card(campus, ada, course)
    campus.bus.handle(RefundPayment(admin(campus), payment.id, None, "refund"))
    with pytest.raises(InvalidInputError):
        campus.bus.handle(EnrollInCourse(ada, ada.user_id, course.id, payment.id))
