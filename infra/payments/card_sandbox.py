"""The embedded default's card gateway (SandboxCardGateway): documented test cards, no money.

Which card does what:

=================== ======== ======================
number              decision message
=================== ======== ======================
4242 4242 4242 4242 approved Approved
4084 0840 8408 4081 approved Approved
4000 0000 0000 0002 declined Card declined
4084 0800 0000 5408 declined Insufficient funds
any other number    declined Use a sandbox test card
=================== ======== ======================

Like a real gateway, it remembers each ``reference``: charging one twice answers the first
decision again and charges nothing more, so a retried request cannot take money twice.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from commands.payments.ports import CardCharge, CardGateway, GatewayUnavailableError
from domain.commerce.card import Card
from infra.settings import Settings

APPROVED = "Approved"
TEST_CARDS = {
    "4242424242424242": (True, APPROVED),
    "4084084084084081": (True, APPROVED),
    "4000000000000002": (False, "Card declined"),
    "4084080000005408": (False, "Insufficient funds"),
}
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
        self.refunds: list[Refund] = []

    def charge(self, reference: str, amount: int, currency: str, card: Card) -> CardCharge:
        """The test card's decision; the first decision again for a reference already seen."""
        with self.lock:
            if reference in self.by_reference:
                return self.by_reference[reference]
            approved, message = TEST_CARDS.get(card.number, (False, NOT_A_TEST_CARD))
            decision = CardCharge(approved, f"chg_{secrets.token_hex(12)}", message)
            self.by_reference[reference] = decision
            self.charges += 1
            if approved:
                self.by_token[decision.token] = Charged(decision, amount, currency)
            return decision

    def refund(self, reference: str, token: str, amount: int, currency: str) -> None:
        """Gives back part or all of an approved charge; never more than is left of it."""
        with self.lock:
            charged = self.by_token.get(token)
            if charged is None or self.by_reference.get(reference) != charged.decision:
                raise GatewayUnavailableError("The sandbox gateway knows no such charge")
            if currency != charged.currency or amount <= 0:
                raise GatewayUnavailableError("The refund does not match the charge")
            if charged.refunded + amount > charged.amount:
                raise GatewayUnavailableError("The refund is more than is left of the charge")
            charged.refunded += amount
            self.refunds.append(Refund(reference, token, amount, currency))


def open_card_gateway(settings: Settings) -> CardGateway:
    """The configured card gateway; only the sandbox exists so far."""
    if settings.card_gateway == "sandbox":
        return SandboxCardGateway()
    raise RuntimeError(f"Unknown CAMPUS_CARD_GATEWAY: {settings.card_gateway}")
