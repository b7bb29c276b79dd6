"""The checkout's rules, shared by every payment use case: what a course costs with a coupon and
a promo, the coupon's use held while a payment is open and redeemed or released when it
settles, settling a payment once a gateway decides, and Paystack's side of a checkout.

Settling records the payment, the learner's purchase and the coupon in one transaction, and
checkouts of one coupon take turns in this process, so a coupon's last use goes to one payer.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from uuid import UUID, uuid4

from commands.applications import Catalog, Commerce
from commands.contention import retried
from commands.payments.ports import Gateways, GatewayUnavailableError, PromoProvider
from commands.payments.refund_second_payment import refund_second_payment
from domain.commerce.coupon import Coupon, CouponInvalidError
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.commerce.pricing import Discount, Quote
from domain.courses.structure import CourseNotFoundError
from domain.errors import InvalidInputError

Clock = Callable[[], datetime]
# What Paystack calls a transaction that will not be paid after all.
FINAL_FAILURES = frozenset({"failed", "reversed"})


def list_price(catalog: Catalog, course_id: UUID) -> tuple[int, str]:
    """The course's price and currency; drafts and archived courses are not for sale."""
    course = catalog.get_course(course_id)
    if not course.is_published:
        raise CourseNotFoundError
    return course.price, course.currency


def promo_discount(
    promos: PromoProvider, code: str | None, course_id: UUID, user_id: UUID
) -> Discount | None:
    return promos.lookup(code, course_id, user_id) if code else None


def find_coupon(commerce: Commerce, code: str | None) -> Coupon | None:
    if not code:
        return None
    coupon = commerce.find(Coupon.create_id(code))
    if coupon is None:
        raise CouponInvalidError
    return coupon


def coupon_discount(
    coupon: Coupon | None, course_id: UUID, user_id: UUID, now: datetime
) -> Discount | None:
    """What the coupon takes off for this learner and course; why not, raised."""
    return coupon.ensure_applicable(course_id, user_id, now) if coupon else None


def ensure_client_agrees(amount: int | None, price: Quote) -> None:
    """A client may state the list price or the total; any other figure is a mistake."""
    if amount is not None and amount not in (price.price, price.total):
        raise InvalidInputError(
            f"The amount does not match the course price ({price.price}) "
            f"or the total after discounts ({price.total}), in minor units of {price.currency}"
        )


def coupon_lock(commerce: Commerce, code: str | None) -> AbstractContextManager[object]:
    """Checkouts of one coupon take turns in this process (see ``exclusive``)."""
    return commerce.exclusive(Coupon.create_id(code)) if code else nullcontext()


def hold_coupon(coupon: Coupon | None, payment: Payment, now: datetime) -> list[Coupon]:
    """The coupon with a use held for the payment, to save with it; none without a coupon."""
    if coupon is None:
        return []
    coupon.hold(payment.id, payment.course_id, payment.user_id, now)
    return [coupon]


def close_coupon(commerce: Commerce, payment: Payment, paid: bool) -> list[Coupon]:
    """The payment's coupon with its held use redeemed (paid) or given back, to save with it."""
    if not payment.coupon_code:
        return []
    coupon = commerce.get_coupon(payment.coupon_code)
    if paid:
        coupon.redeem(payment.id, payment.user_id)
    else:
        coupon.release(payment.id)
    return [coupon]


def settle(
    commerce: Commerce,
    settling: Payment,
    paid: bool,
    paid_at: datetime | None = None,
    amount: int | None = None,
    currency: str | None = None,
    reason: str = "",
    card_details: str | None = None,
) -> Payment:
    """Record the outcome of ``settling`` once (reloaded on each attempt, since a concurrent
    settlement may have won); a repeated outcome changes nothing."""

    def attempt() -> Payment:
        payment = commerce.get_payment(settling.id)
        if paid:
            payment.succeed(amount, currency, paid_at, card_details)  # type: ignore[arg-type]
        else:
            payment.fail(reason)
        if payment.status not in (Status.SUCCEEDED, Status.FAILED):
            return payment  # refunded already: nothing left to settle
        purchase = commerce.get_purchase(payment.user_id, payment.course_id)
        first = purchase.paid_first_by_another(payment.id) if paid else None
        if first is not None:  # paid twice: this one is owed back, and uses no coupon
            payment.owe_back(uuid4(), first)
        owned = paid and first is None
        purchase.close(payment.id, owned)
        commerce.save(payment, purchase, *close_coupon(commerce, payment, owned))
        return payment

    with coupon_lock(commerce, settling.coupon_code):  # the code is fixed at initiation
        return retried(attempt)


def open_paystack_checkout(
    commerce: Commerce, gateways: Gateways, payment: Payment, email: str
) -> Payment:
    """Open Paystack's page for the payment; a Paystack that does not answer fails it."""
    metadata = {
        "paymentId": str(payment.id),
        "courseId": str(payment.course_id),
        "userId": str(payment.user_id),
    }
    reference, amount, currency = payment.transaction_id, payment.amount, payment.currency
    callback_url = gateways.paystack_callback_url
    try:
        page = gateways.paystack.initialize(
            reference, email, amount, currency, callback_url, metadata
        )
    except GatewayUnavailableError:
        settle(commerce, payment, False, reason="Paystack did not answer")
        raise
    payment.start_checkout(page.access_code, page.authorization_url)
    commerce.save(payment)
    return payment


def as_the_gateway_says(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """The payment settled by its gateway's word, asked where the gateway may know more than
    the books (a charge undecided, a checkout open or given up); a second payment for a course
    paid for already is refunded."""
    if payment.method is Method.CARD:
        decided = gateways.card_charges.confirm(payment)
    else:
        decided = confirm_with_paystack(commerce, gateways, payment)
    return refund_second_payment(commerce, gateways, decided)


def confirm_with_paystack(commerce: Commerce, gateways: Gateways, payment: Payment) -> Payment:
    """Ask Paystack what became of the payment's transaction and record it if it is final."""
    if payment.method is not Method.PAYSTACK or payment.status not in (
        Status.PENDING,
        Status.FAILED,
    ):
        return payment
    found = gateways.paystack.verify(payment.transaction_id)
    if found.status == "success":
        return settle(commerce, payment, True, found.paid_at, found.amount, found.currency)
    if found.status in FINAL_FAILURES and payment.status is Status.PENDING:
        return settle(commerce, payment, False, reason=found.gateway_response or found.status)
    return payment
