"""Ports the payment use cases need from the outside world: gateways and the promo provider,
and ``Gateways``, the one bundle of them the composition root builds and the use cases take.

Amounts crossing these ports are integers in minor units (kobo) with a currency code. Every
adapter raises ``GatewayUnavailableError`` (or ``PromoUnavailableError``) when the other side
is down, slow or answers nonsense, so a use case can tell "refused" from "could not ask".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from domain.commerce.card import Card
from domain.commerce.pricing import Discount
from domain.errors import InvalidInputError, UnavailableError

if TYPE_CHECKING:  # the card conversation is built on these ports
    from commands.payments.card_charges import CardCharges


class GatewayUnavailableError(UnavailableError):
    """The payment gateway did not answer in time or answered nonsense; nothing was decided."""

    message = "The payment gateway is unavailable; try again later"


class PromoInvalidError(InvalidInputError):
    """The provider does not know this promo code, or it does not apply to this course."""

    message = "Invalid promo code"


class PromoUnavailableError(UnavailableError):
    """The promo provider is down or slow; pay without the promo, or try again later."""

    message = "The promo service is unavailable; try again later or pay without the promo code"


class ChargeRefusedError(GatewayUnavailableError):
    """The gateway refused the charge request itself (an error, not a decline): nothing was
    charged, so the payment may fail. Any other ``GatewayUnavailableError`` from ``charge`` or
    ``submit`` means the answer was lost: the card may have been charged."""


# What a gateway may ask the payer before it decides, and what the payer answers with.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "send_pin": ("pin",),
    "send_otp": ("otp",),
    "send_phone": ("phone",),
    "send_birthday": ("birthday",),
    "send_address": ("address", "city", "state", "zipcode"),
    "open_url": (),  # the payer finishes on the bank's page; the status check follows
}


@dataclass(frozen=True)
class CardCharge:
    """Where a card gateway stands on one charge.

    ``status`` is Paystack's word: ``success``, ``failed``, ``pending`` (not decided yet), or
    a step of ``NEXT_STEPS`` the payer must take before the gateway decides.
    """

    status: str
    token: str  # the gateway's id of the charge (refunds name it); never the card number
    message: str  # the gateway's words: "Approved", "Insufficient Funds", or what to ask for
    url: str | None = None  # the page to open, for ``open_url``

    @property
    def approved(self) -> bool:
        return self.status == "success"

    @property
    def declined(self) -> bool:
        return self.status == "failed"

    @property
    def next_step(self) -> str | None:
        return self.status if self.status in NEXT_STEPS else None


class CardGateway(Protocol):
    """Charges cards. ``reference`` is ours and unique per payment: a gateway that sees one
    reference twice answers the first decision again instead of charging twice; Campus
    never sends ``charge`` twice for one reference anyway, and asks ``check`` instead."""

    def charge(
        self,
        reference: str,
        amount: int,
        currency: str,
        card: Card,
        email: str,
        metadata: dict[str, str] | None = None,
    ) -> CardCharge: ...

    def submit(self, reference: str, step: str, answer: dict[str, str]) -> CardCharge:
        """The payer's answer to ``step`` (the fields ``NEXT_STEPS`` names), never kept."""
        ...

    def check(self, reference: str) -> CardCharge:
        """Where the charge stands now, asked without charging; ``failed`` for a reference
        the gateway never received."""
        ...

    def refund(self, reference: str, token: str, amount: int, currency: str) -> str:
        """Pay ``amount`` back; answers the refund's status, as ``GatewayRefund.status``."""
        ...

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """The refunds the gateway holds against this charge, asked without refunding."""
        ...


PROCESSED = "processed"  # a refund's status once the money went back


@dataclass(frozen=True)
class GatewayRefund:
    """One refund a gateway holds against a charge. ``status`` is Paystack's word: pending,
    processing or needs-attention while it is under way, then processed (the money went back)
    or failed (none did)."""

    amount: int
    currency: str
    status: str

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def processed(self) -> bool:
        return self.status == PROCESSED


@dataclass(frozen=True)
class PaystackCheckout:
    """Paystack's answer to ``POST /transaction/initialize``."""

    reference: str
    access_code: str
    authorization_url: str


@dataclass(frozen=True)
class PaystackTransaction:
    """Paystack's answer to ``GET /transaction/verify/{reference}``.

    ``status`` is Paystack's word: success, failed, abandoned, reversed, ongoing, pending,
    processing or queued; only success, failed and reversed are final.
    """

    reference: str
    status: str
    amount: int
    currency: str
    paid_at: datetime | None
    gateway_response: str


class Paystack(Protocol):
    """Paystack's transaction API (https://paystack.com/docs/api/transaction/)."""

    def initialize(
        self,
        reference: str,
        email: str,
        amount: int,
        currency: str,
        callback_url: str | None,
        metadata: dict[str, Any],
    ) -> PaystackCheckout: ...

    def verify(self, reference: str) -> PaystackTransaction: ...

    def refund(self, reference: str, amount: int, currency: str) -> str:
        """Pay ``amount`` back; answers the refund's status, as ``GatewayRefund.status``."""
        ...

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """The refunds Paystack holds against the transaction ``reference`` names."""
        ...

    def signature_valid(self, body: bytes, signature: str | None) -> bool:
        """Whether ``x-paystack-signature`` is the hex HMAC-SHA512 of the raw body."""
        ...


class PromoProvider(Protocol):
    """The third party that issues promo codes.

    ``lookup`` answers the promo's discount, raises ``PromoInvalidError`` for a code the
    provider refuses, and ``PromoUnavailableError`` when it could not ask.
    """

    def lookup(self, code: str, course_id: UUID, user_id: UUID) -> Discount: ...


class CardCipher(Protocol):
    """Encrypts what the spec calls ``card_details`` (brand, last4, expiry, gateway token)."""

    def encrypt(self, details: dict[str, str]) -> str: ...

    def decrypt(self, token: str) -> dict[str, str]: ...


@dataclass(frozen=True)
class Gateways:
    """Everyone a checkout asks outside Campus, built once: the card gateway (through the
    conversation that records its answers), Paystack, and the promo provider."""

    card_charges: CardCharges
    paystack: Paystack
    promos: PromoProvider
    paystack_callback_url: str | None = None  # where Paystack sends the payer back
