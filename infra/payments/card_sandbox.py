"""The embedded default's card gateway (SandboxCardGateway): documented test cards, no money.

Which card does what:

======================= ========== ======================================
number                  decision   message
======================= ========== ======================================
4242 4242 4242 4242     approved   Approved
4084 0840 8408 4081     approved   Approved
4000 0000 0000 0002     declined   Card declined
4084 0800 0000 5408     declined   Insufficient funds
5060 6666 6666 6666 666 send_otp   then OTP 123456 approves, any other
                                   OTP declines ("Token Validation Failed")
any other number        declined   Use a sandbox test card
======================= ========== ======================================

Like a real gateway, it remembers each ``reference``: charging one twice answers the first
decision again and charges nothing more, so a retried request cannot take money twice.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from commands.payments.ports import (
    PROCESSED,
    CardCharge,
    CardGateway,
    ChargeRefusedError,
    GatewayRefund,
    GatewayUnavailableError,
)
from domain.commerce.card import Card
from infra.settings import Settings

APPROVED = "Approved"
OTP = "123456"
ASK_OTP = f"Enter the OTP sent to your phone (sandbox: {OTP})"
TEST_CARDS = {
    "4242424242424242": ("success", APPROVED),
    "4084084084084081": ("success", APPROVED),
    "4000000000000002": ("failed", "Card declined"),
    "4084080000005408": ("failed", "Insufficient funds"),
    "5060666666666666666": ("send_otp", ASK_OTP),
}
WRONG_OTP = "Token Validation Failed"
NOT_A_TEST_CARD = "Use a sandbox test card (see docs/payments.md)"


@dataclass(frozen=True)
class Refund:
    reference: str
    token: str
    amount: int
    currency: str


@dataclass
class Charged:
    decision: CardCharge
    amount: int
    currency: str
    refunded: int = 0


class SandboxCardGateway:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_reference: dict[str, CardCharge] = {}
        self.by_token: dict[str, Charged] = {}
        self.charges = 0  # charges decided, approved or declined; replays of a reference excluded
        self.refunded: list[Refund] = []
        self.amounts: dict[str, tuple[int, str]] = {}

    def charge(
        self,
        reference: str,
        amount: int,
        currency: str,
        card: Card,
        email: str = "",
        metadata: dict[str, str] | None = None,
    ) -> CardCharge:
        """The test card's decision; where the charge stands for a reference already seen."""
        with self.lock:
            if reference in self.by_reference:
                return self.by_reference[reference]
            status, message = TEST_CARDS.get(card.number, ("failed", NOT_A_TEST_CARD))
            self.charges += 1
            self.amounts[reference] = (amount, currency)
            token = f"chg_{secrets.token_hex(12)}"
            return self.decide(reference, CardCharge(status, token, message))

    def submit(self, reference: str, step: str, answer: dict[str, str]) -> CardCharge:
        """Only the OTP card asks anything: its OTP approves, any other declines."""
        with self.lock:
            charge = self.by_reference.get(reference)
            if charge is None or charge.next_step != step or step != "send_otp":
                raise ChargeRefusedError("The sandbox gateway is not waiting for this")
            approved = answer.get("otp") == OTP
            status, message = ("success", APPROVED) if approved else ("failed", WRONG_OTP)
            return self.decide(reference, CardCharge(status, charge.token, message))

    def check(self, reference: str) -> CardCharge:
        with self.lock:
            unknown = CardCharge("failed", "", "The sandbox gateway never received this charge")
            return self.by_reference.get(reference, unknown)

    def decide(self, reference: str, decision: CardCharge) -> CardCharge:
        self.by_reference[reference] = decision
        if decision.approved:
            self.by_token[decision.token] = Charged(decision, *self.amounts[reference])
        return decision

    def refund(self, reference: str, token: str, amount: int, currency: str) -> str:
        """Gives back part or all of an approved charge, at once; never more than is left."""
        with self.lock:
            charged = self.by_token.get(token)
            if charged is None or self.by_reference.get(reference) != charged.decision:
                raise GatewayUnavailableError("The sandbox gateway knows no such charge")
            if currency != charged.currency or amount <= 0:
                raise GatewayUnavailableError("The refund does not match the charge")
            if charged.refunded + amount > charged.amount:
                raise GatewayUnavailableError("The refund is more than is left of the charge")
            charged.refunded += amount
            self.refunded.append(Refund(reference, token, amount, currency))
        return PROCESSED

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """The sandbox pays back at once: every refund it took is processed."""
        with self.lock:
            mine = [r for r in self.refunded if r.reference == reference]
            return [GatewayRefund(r.amount, r.currency, PROCESSED) for r in mine]


def open_card_gateway(settings: Settings) -> CardGateway:
    """The configured card gateway: Paystack's Charge API, or the sandbox."""
    if settings.card_gateway == "paystack":
        if not (settings.paystack_base_url and settings.paystack_secret_key):
            raise RuntimeError(
                "CAMPUS_CARD_GATEWAY=paystack needs CAMPUS_PAYSTACK_BASE_URL and "
                "CAMPUS_PAYSTACK_SECRET_KEY"
            )
        # Imported here: the embedded default never loads an HTTP client it does not use.
        from infra.payments.paystack_cards import PaystackCardGateway

        return PaystackCardGateway(settings)
    if settings.card_gateway == "sandbox":
        return SandboxCardGateway()
    raise RuntimeError(f"Unknown CAMPUS_CARD_GATEWAY: {settings.card_gateway}")
