"""Card charges: send a payment's charge once, then follow it until the gateway decides.

After ``POST /charge`` the gateway may approve, decline, ask the payer for a next step (a PIN,
an OTP, ...) or leave the charge undecided. Campus records each answer on the payment and
never sends the charge again for its reference: it passes on the payer's answers
(``authorize``) or asks where the charge stands (``confirm``). An answer that never came
leaves the payment pending rather than failed, because the card may have been charged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from commands.applications import Commerce
from commands.contention import retried
from commands.payments.checkout import settle
from commands.payments.ports import (
    CardCharge,
    CardCipher,
    CardGateway,
    ChargeRefusedError,
    GatewayRefund,
    GatewayUnavailableError,
)
from domain.commerce.card import Card
from domain.commerce.payment import Payment
from domain.commerce.payment_terms import Method, Status
from domain.errors import PaymentRequiredError

Clock = Callable[[], datetime]
UNDECIDED = "The card gateway has not decided yet"
STRIPES = 64


class PaymentDeclinedError(PaymentRequiredError):
    message = "Payment declined"


class CardCharges:
    """The card gateway's side of payments, recorded on the Commerce application."""

    def __init__(
        self, commerce: Commerce, cards: CardGateway, cipher: CardCipher, clock: Clock
    ) -> None:
        self.commerce, self.cards, self.cipher, self.clock = commerce, cards, cipher, clock
        # One conversation with the gateway per payment at a time in this process (two
        # clicks on "submit OTP"); a lock apart from the application's, held alone.
        self.stripes = [threading.Lock() for _ in range(STRIPES)]

    def charge(self, payment: Payment, card: Card, email: str) -> Payment:
        """Send the charge (once per payment); a decline raises ``PaymentDeclinedError``."""
        reference, amount, currency = payment.transaction_id, payment.amount, payment.currency
        metadata = {"paymentId": str(payment.id), "courseId": str(payment.course_id)}
        metadata["userId"] = str(payment.user_id)
        try:
            answer = self.cards.charge(reference, amount, currency, card, email, metadata)
        except ChargeRefusedError:
            settle(self.commerce, payment, False, reason="The card gateway refused the charge")
            raise
        except GatewayUnavailableError:
            return self.record(payment, CardCharge("pending", "", UNDECIDED))
        return self.record(payment, answer)

    def authorize(self, payment: Payment, step: str, answer: dict[str, str]) -> Payment:
        """Pass the payer's answer to the step the gateway asked for."""
        with self.stripes[payment.id.int % STRIPES]:
            payment = self.commerce.get_payment(payment.id)
            payment.ensure_awaits(step)
            try:
                reply = self.cards.submit(payment.transaction_id, step, answer)
            except ChargeRefusedError:
                raise  # the step was refused as sent; the payer may send it again
            except GatewayUnavailableError:
                reply = CardCharge("pending", "", UNDECIDED)
            return self.record(payment, reply)

    def confirm(self, payment: Payment) -> Payment:
        """Ask the gateway about a charge it has not decided, or one given up here that it
        may have taken since (``Payment.given_up``); a decline is recorded, not raised."""
        if not asked_after(payment):
            return payment
        with self.stripes[payment.id.int % STRIPES]:
            payment = self.commerce.get_payment(payment.id)
            if not asked_after(payment):
                return payment
            try:
                return self.record(payment, self.cards.check(payment.transaction_id))
            except PaymentDeclinedError:
                return self.commerce.get_payment(payment.id)

    def refund(self, payment: Payment, amount: int) -> str:
        """Pay ``amount`` back to the card, named by the gateway's token kept sealed; answers
        the refund's status."""
        token = self.cipher.decrypt(payment.card_details)["token"]
        return self.cards.refund(payment.transaction_id, token, amount, payment.currency)

    def refunds(self, payment: Payment) -> list[GatewayRefund]:
        """The refunds the gateway holds against the payment's charge."""
        return self.cards.refunds(payment.transaction_id)

    def record(self, payment: Payment, answer: CardCharge) -> Payment:
        """Record the gateway's answer on the payment; a decline raises (402)."""
        if answer.approved:
            details = self.cipher.encrypt(dict(payment.card or {}) | {"token": answer.token})
            amount, currency = payment.amount, payment.currency
            return settle(
                self.commerce, payment, True, self.clock(), amount, currency, card_details=details
            )
        if answer.declined:
            failed = settle(self.commerce, payment, False, reason=answer.message)
            if failed.status is Status.FAILED:
                raise PaymentDeclinedError(f"Payment declined: {answer.message}")
            return failed
        return retried(lambda: self.wait(payment, answer))

    def wait(self, payment: Payment, answer: CardCharge) -> Payment:
        payment = self.commerce.get_payment(payment.id)
        if not payment.is_open:
            return payment  # settled meanwhile by another request that asked
        if answer.next_step:
            payment.request_authorization(answer.next_step, answer.message, answer.url)
        else:
            payment.defer_charge(answer.message or UNDECIDED)
        self.commerce.save(payment)
        return payment


def asked_after(payment: Payment) -> bool:
    return payment.charge_undecided or (payment.method is Method.CARD and payment.given_up)
