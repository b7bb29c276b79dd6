"""The payer's next step of a card charge: the PIN, OTP, phone, birthday or address the
gateway asked for, passed on to it and never kept (not in an event, a log or a table)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.applications import Commerce
from commands.payments.ports import NEXT_STEPS, Gateways
from commands.payments.results import PaymentResult
from domain.actor import Actor
from domain.commerce.payment import PaymentStateError
from domain.commerce.payment_terms import PaymentNotFoundError, payment_id_of
from domain.errors import ForbiddenError, InvalidInputError


@dataclass(frozen=True)
class AuthorizePayment:
    actor: Actor
    transaction_id: str
    answer: dict[str, str] = field(repr=False)  # secrets: never in a repr, a log or an event


def authorize_payment(
    cmd: AuthorizePayment, commerce: Commerce, gateways: Gateways
) -> PaymentResult:
    """The payment after the gateway read the answer; a decline raises (402)."""
    payment = commerce.get_payment(payment_id_of(cmd.transaction_id))
    if payment.user_id != cmd.actor.user_id:
        if cmd.actor.is_admin:
            raise ForbiddenError("Only the payer authorizes a payment")
        raise PaymentNotFoundError  # someone else's payment does not exist for this caller
    if payment.next_step is None:
        raise PaymentStateError("This payment is not waiting for the payer")
    step = payment.next_step.step
    answered = gateways.card_charges.authorize(payment, step, answer_to(step, cmd.answer))
    return PaymentResult.of(answered)


def answer_to(step: str, answer: dict[str, str]) -> dict[str, str]:
    """The fields ``step`` needs, all of them, and nothing else."""
    wanted = NEXT_STEPS.get(step, ())
    if not wanted:
        raise PaymentStateError("Finish this payment on the page given, then ask its status")
    missing = [name for name in wanted if not answer.get(name)]
    if missing:
        raise InvalidInputError(f"This payment is waiting for {step}: send {', '.join(missing)}")
    return {name: answer[name] for name in wanted}
