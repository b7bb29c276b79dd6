"""Paystack's Charge API over HTTP (https://paystack.com/docs/api/charge/): the ``CardGateway``
port when ``CAMPUS_CARD_GATEWAY=paystack``, on ``PaystackClient``'s plumbing (base URL, secret
key, timeouts, retries, ``GatewayUnavailableError`` for outages and garbage).

``POST /charge`` and ``POST /charge/submit_*`` are sent once, never retried: a timeout there
may hide a charge Paystack took (or an OTP it spent), so it is reported as unavailable and
Campus asks later instead. Asking is safe to repeat and retried: ``GET /transaction/verify``
decides, and ``GET /charge/{reference}`` says what an undecided charge waits for.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from commands.payments.ports import CardCharge, GatewayRefund
from domain.commerce.card import Card
from infra.payments.paystack import PaystackClient, PaystackRefusal, unavailable
from infra.settings import Settings

FINAL_FAILURES = frozenset({"failed", "reversed"})
NEVER_RECEIVED = "Paystack never received this charge"


class PaystackCardGateway:
    """Charges cards through Paystack; our reference names the charge at Paystack too."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.paystack = PaystackClient(settings, client)

    def charge(
        self,
        reference: str,
        amount: int,
        currency: str,
        card: Card,
        email: str,
        metadata: dict[str, str] | None = None,
    ) -> CardCharge:
        body = {"email": email, "amount": amount, "currency": currency, "reference": reference}
        body |= {"card": card_fields(card), "metadata": metadata or {}}
        return charge_of(self.paystack.call("POST", "/charge", body, attempts=1), reference)

    def submit(self, reference: str, step: str, answer: dict[str, str]) -> CardCharge:
        path = "/charge/submit_" + step.removeprefix("send_")
        data = self.paystack.call("POST", path, answer | {"reference": reference}, attempts=1)
        return charge_of(data, reference)

    def check(self, reference: str) -> CardCharge:
        """Verify decides; an undecided charge is asked what it waits for."""
        try:
            found = self.paystack.verify(reference)
        except PaystackRefusal as refused:
            if refused.status_code in (400, 404):  # "Transaction reference not found"
                return CardCharge("failed", "", NEVER_RECEIVED)
            raise
        if found.status == "success":
            return CardCharge("success", reference, found.gateway_response or "Approved")
        if found.status in FINAL_FAILURES:
            return CardCharge("failed", "", found.gateway_response or found.status)
        data = self.paystack.call("GET", f"/charge/{quote(reference, safe='')}")
        return charge_of(data, reference)

    def refund(self, reference: str, token: str, amount: int, currency: str) -> str:
        return self.paystack.refund(reference, amount, currency)

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """The card was charged as a Paystack transaction, so Paystack lists its refunds."""
        return self.paystack.refunds(reference)

    def close(self) -> None:
        self.paystack.close()


def card_fields(card: Card) -> dict[str, str]:
    return {
        "number": card.number,
        "cvv": card.cvv,
        "expiry_month": f"{card.expiry_month:02d}",
        "expiry_year": str(card.expiry_year),
    }


def charge_of(data: Any, reference: str) -> CardCharge:
    """Paystack's charge ``data`` as the port's answer; refunds name the charge by reference."""
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise unavailable("/charge", "a charge without its status")
    status = data["status"]
    words = data.get("display_text") or data.get("gateway_response") or data.get("message")
    url = data.get("url")
    return CardCharge(status, reference, str(words or status), str(url) if url else None)
