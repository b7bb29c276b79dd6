"""Payments (spec §3): initiate by card or Paystack, check coupons and promos, follow a
payment's status, receive Paystack's webhooks, and refunds (admins).

``GET /api/payments/status/{transactionId}`` lives on the write side although it is a GET:
while a Paystack checkout is pending it asks Paystack and records the outcome, which is a
command, and it answers from the payment itself so the status is never behind.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from commands.payments.authorize_payment import AuthorizePayment
from commands.payments.check_discounts import DiscountCheck, ValidateCoupon, ValidatePromo
from commands.payments.initiate_payment import CardInput, InitiatePayment
from commands.payments.ports import PromoInvalidError
from commands.payments.refund_payment import RefundPayment
from commands.payments.results import PaymentResult
from commands.payments.settle_payment import ReceivePaystackWebhook, RefreshPaymentStatus
from domain.commerce.payment_terms import Method, Status
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError, PaymentRequiredError
from infra.web.auth import AdminUser, CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.payments import (
    DiscountResponse,
    DiscountValidateRequest,
    NextActionResponse,
    PaymentAuthorizeRequest,
    PaymentInitiateRequest,
    PaymentResponse,
    RefundRequest,
)
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["payments"])
MESSAGES = {
    ("card", "success"): "Card payment processed successfully",
    ("paystack", "pending"): "Payment initialized successfully with Paystack",
    ("card", "pending"): "Card payment pending: see nextAction",
}
UNDECIDED = "The card gateway has not decided yet: ask GET /api/payments/status/{}"


def major(minor: int) -> float:
    return minor / 100


def minor(amount: Decimal) -> int:
    return int(amount * 100)


REFUNDED = "Refund processed successfully"
REFUND_STARTED = "Refund started: it completes when the gateway pays it back"


def answer(payment: PaymentResult, message: str | None = None) -> PaymentResponse:
    status = payment.public_status
    if message is None:
        message = MESSAGES.get((payment.method.value, status), f"Payment {status}")
        if payment.amount == 0 and status == "success":
            message = "Payment completed: the discounts cover the whole price"
        elif payment.coupon_code or payment.promo_code:
            message += " with discounts applied"
    return PaymentResponse(
        payment_id=str(payment.id),
        transaction_id=payment.transaction_id,
        status=status,
        method=payment.method.value,
        currency=payment.currency,
        amount=major(payment.amount),
        original_amount=major(payment.original_amount),
        discounted_amount=major(payment.amount),
        refunded_amount=major(payment.refunded_amount),
        refund_in_progress=major(payment.refund_in_progress),
        coupon_code=payment.coupon_code,
        promo_code=payment.promo_code,
        access_code=payment.access_code,
        authorization_url=payment.authorization_url,
        payment_date=payment.paid_at,
        card=payment.card,
        next_action=next_action(payment),
        message=message,
    )


def next_action(payment: PaymentResult) -> NextActionResponse | None:
    if payment.next_step and payment.status is Status.AUTHORIZING:
        step = payment.next_step
        return NextActionResponse(type=step.step, message=step.message, url=step.url)
    if payment.awaits_gateway:
        return NextActionResponse(
            type="check_status", message=UNDECIDED.format(payment.transaction_id)
        )
    return None


def enveloped(
    model: PaymentResponse | DiscountResponse, status_code: int = 200
) -> EnvelopeResponse:
    return success(model.model_dump(by_alias=True, exclude_none=True), status_code)


@router.post(
    "/api/payments/initiate",
    status_code=201,
    responses=documented(PaymentResponse, 201, errors=(402, 503)),
)
def initiate(
    body: PaymentInitiateRequest,
    user: CurrentUser,
    bus: Bus,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> EnvelopeResponse:
    """Pay for a course by card (201 settled, 201 pending with a nextAction, or 402) or
    Paystack (201, pending)."""
    card = body.card_details
    command = InitiatePayment(
        actor(user),
        body.user_id or user.user_id,
        body.course_id,
        Method(body.method),
        minor(body.amount) if body.amount is not None else None,
        card and CardInput(card.number, card.expiry_month, card.expiry_year, card.cvv),
        body.paystack_email,
        body.coupon_code,
        body.promo_code,
        idempotency_key,
    )
    try:
        payment = bus.handle(command)
    except PromoInvalidError as invalid:
        # At checkout the spec answers an invalid promo with 402; validate-promo keeps its 400.
        raise PaymentRequiredError(str(invalid)) from None
    return enveloped(answer(payment), 201)


@router.post(
    "/api/payments/{transaction_id}/authorize",
    responses=documented(PaymentResponse, errors=(402, 503)),
)
def authorize(
    transaction_id: str, body: PaymentAuthorizeRequest, user: CurrentUser, bus: Bus
) -> EnvelopeResponse:
    """Send the PIN, OTP, phone, birthday or address a pending card payment asks for."""
    fields = body.model_dump(exclude_none=True, mode="json")
    payment = bus.handle(AuthorizePayment(actor(user), transaction_id, fields))
    return enveloped(answer(payment))


@router.get(
    "/api/payments/status/{transaction_id}",
    responses=documented(PaymentResponse, errors=(403, 503)),
)
def status(transaction_id: str, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """A payment's status (its payer or an admin); a pending Paystack payment is verified."""
    payment = bus.handle(RefreshPaymentStatus(actor(user), transaction_id))
    return enveloped(answer(payment).model_copy(update={"message": None}))


def discount_fields(discount: Discount) -> dict[str, float | None]:
    """A discount on the wire: a percentage, or a fixed amount in major units."""
    return {
        "discount_percentage": float(discount.percent) if discount.percent is not None else None,
        "discount_amount": major(discount.amount) if discount.amount is not None else None,
    }


def discount_answer(check: DiscountCheck, message: str) -> DiscountResponse:
    discount, price = check.discount, check.price
    return DiscountResponse(
        valid=True,
        **discount_fields(discount),
        currency=price.currency,
        original_amount=major(price.price),
        discounted_amount=major(price.total),
        message=message,
    )


@router.post("/api/payments/validate-coupon", responses=documented(DiscountResponse))
def validate_coupon(body: DiscountValidateRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Whether a coupon applies to a course for the caller, and what it takes off.

    With a promoCode too, the amount is what paying with both costs."""
    if not body.coupon_code:
        raise InvalidInputError("couponCode is required")
    check = bus.handle(
        ValidateCoupon(actor(user), body.coupon_code, body.course_id, body.promo_code)
    )
    return enveloped(discount_answer(check, "Coupon validated successfully"))


@router.post(
    "/api/payments/validate-promo", responses=documented(DiscountResponse, errors=(402, 503))
)
def validate_promo(body: DiscountValidateRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Whether the promo provider honours a promo code for a course, and what it takes off.

    With a couponCode too, the amount is what paying with both costs."""
    if not body.promo_code:
        raise InvalidInputError("promoCode is required")
    check = bus.handle(
        ValidatePromo(actor(user), body.promo_code, body.course_id, body.coupon_code)
    )
    return enveloped(discount_answer(check, "Promo validated successfully"))


# Read raw, not parsed: the signature is over the exact bytes Paystack sent.
WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object", "title": "PaystackEvent"}}},
    }
}


@router.post(
    "/api/payments/webhooks/paystack",
    responses=documented(errors=(401,)),
    openapi_extra=WEBHOOK_BODY,
)
async def paystack_webhook(
    request: Request,
    signature: Annotated[str | None, Header(alias="x-paystack-signature")] = None,
) -> EnvelopeResponse:
    """Paystack's notice of a charge, signed with our secret key (x-paystack-signature)."""
    body = await request.body()
    notice = ReceivePaystackWebhook(body, signature)
    payment = await run_in_threadpool(request.app.state.bus.handle, notice)
    return success({"received": True, "status": payment.public_status if payment else None})


@router.post(
    "/api/admin/payments/{payment_id}/refund", responses=documented(PaymentResponse, errors=(503,))
)
def refund(payment_id: UUID, body: RefundRequest, user: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Refund a successful payment in full (no amount) or in part. A refund the gateway queues
    (Paystack's usually are) answers with it in ``refundInProgress``; the payment counts it in
    ``refundedAmount`` once the gateway has paid it back."""
    amount = minor(body.amount) if body.amount is not None else None
    payment = bus.handle(RefundPayment(actor(user), payment_id, amount, body.reason))
    return enveloped(answer(payment, REFUND_STARTED if payment.refund_in_progress else REFUNDED))
