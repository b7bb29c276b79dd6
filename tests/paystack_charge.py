"""Paystack's Charge API (https://paystack.com/docs/api/charge/) for the local Paystack of
``tests/paystack.py``: one server answers both APIs, as https://api.paystack.co does.

``POST /charge`` takes a card; the card's number picks the flow (``FLOWS``): the steps the
payer is asked for (``send_pin``, then ``send_otp``, ...) and the outcome after them. The
right answers are ``PIN`` and ``OTP`` (any phone, birthday or address will do); a wrong one
declines the charge. ``POST /charge/submit_{pin,otp,phone,birthday,address}`` takes them,
``GET /charge/{reference}`` tells where a charge stands, and ``GET /transaction/verify`` (in
``PaystackState``) reports it as a transaction. A ``pending`` charge stays so until the test
calls ``approve`` or ``decline``. Every charge is recorded when it arrives, even if its answer
is held back (``PaystackState.answer_late``): the card is charged, the client never hears.

How many times each thing was asked is counted by ``PaystackState`` (see ``count``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

Answer = tuple[int, dict[str, Any]]
PIN, OTP = "1234", "123456"
# Card number -> (steps asked before deciding, outcome, gateway_response of the outcome).
FLOWS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "4084084084084081": ((), "success", "Approved"),
    "5060666666666666666": (("send_otp",), "success", "Approved"),
    "507850785078507812": (("send_pin", "send_otp"), "success", "Approved"),
    "4111111111111111": (("send_phone", "send_birthday", "send_address"), "success", "Approved"),
    "5399838383838381": (("open_url",), "pending", "Awaiting the bank's page"),
    "4000000000000002": ((), "failed", "Declined"),
    "4084080000005408": ((), "failed", "Insufficient Funds"),
    "4000000000000077": ((), "pending", "Transaction is processing"),
}
PROMPTS = {
    "send_pin": "Please enter your 4-digit PIN",
    "send_otp": "Please enter the OTP sent to your phone",
    "send_phone": "Please enter your phone number",
    "send_birthday": "Please enter your date of birth",
    "send_address": "Please enter your billing address",
    "open_url": "Please open the URL to authorize the charge",
}
WRONG = {"pin": (PIN, "Incorrect PIN"), "otp": (OTP, "Token Validation Failed")}
# What verify calls a charge that is not decided yet.
UNDECIDED = "ongoing"


class ChargeAPI:
    """The charges of one Paystack, kept among its ``transactions`` (verify reads them)."""

    def __init__(self, transactions: dict[str, dict[str, Any]]) -> None:
        self.transactions = transactions
        self.cards: list[dict[str, Any]] = []  # the card objects received, for the leak tests

    def answer(self, method: str, path: str, body: dict[str, Any]) -> Answer | None:
        if method == "POST" and path == "/charge":
            return self.charge(body)
        if method == "POST" and path.startswith("/charge/submit_"):
            return self.submit(path.removeprefix("/charge/submit_"), body)
        if method == "GET" and path.startswith("/charge/"):
            return self.found(self.transactions.get(path.removeprefix("/charge/")))
        return None

    def charge(self, body: dict[str, Any]) -> Answer:
        reference, card = body.get("reference"), body.get("card") or {}
        if not isinstance(reference, str) or not reference:
            return 400, refusal("Invalid transaction reference")
        if reference in self.transactions:
            return 400, refusal("Duplicate Transaction Reference")
        if not isinstance(body.get("amount"), int) or "@" not in str(body.get("email")):
            return 400, refusal("Invalid Amount Sent or Email Address Passed")
        self.cards.append(card)
        steps, outcome, words = FLOWS.get(card.get("number"), ((), "failed", "Declined"))
        self.transactions[reference] = {
            "id": len(self.transactions) + 1,
            "reference": reference,
            "amount": body["amount"],
            "currency": body.get("currency", "NGN"),
            "email": body["email"],
            "metadata": body.get("metadata", ""),
            "channel": "card",
            "paid_at": None,
            "steps": list(steps),
            "outcome": (outcome, words),
        }
        return self.advance(self.transactions[reference])

    def submit(self, kind: str, body: dict[str, Any]) -> Answer:
        charge = self.transactions.get(str(body.get("reference")))
        if charge is None or charge["charge_status"] != f"send_{kind}":
            return 400, refusal(f"No charge is waiting for {kind}")
        if not body.get(kind):
            return 400, refusal(f"{kind} is required")
        right, refused = WRONG.get(kind, (body[kind], ""))
        if body[kind] != right:
            return self.decide(charge, "failed", refused)
        return self.advance(charge)

    def advance(self, charge: dict[str, Any]) -> Answer:
        if charge["steps"]:
            step = charge["steps"].pop(0)
            charge |= {"charge_status": step, "status": UNDECIDED, "display_text": PROMPTS[step]}
            if step == "open_url":
                charge["url"] = f"https://standard.paystack.co/otp/{charge['reference']}"
            return self.found(charge)
        return self.decide(charge, *charge["outcome"])

    def decide(self, charge: dict[str, Any], status: str, words: str) -> Answer:
        charge |= {"charge_status": status, "gateway_response": words, "display_text": None}
        charge["status"] = "pending" if status == "pending" else status
        if status == "success":
            charge["paid_at"] = charge["transaction_date"] = now()
        return self.found(charge)

    def approve(self, reference: str) -> None:
        """A pending charge (or one on the bank's page) went through."""
        self.decide(self.transactions[reference], "success", "Approved")

    def decline(self, reference: str, words: str = "Declined") -> None:
        self.decide(self.transactions[reference], "failed", words)

    def found(self, charge: dict[str, Any] | None) -> Answer:
        if charge is None:
            return 404, refusal("Charge not found")
        shown = {k: v for k, v in charge.items() if k not in ("steps", "outcome", "email")}
        data = shown | {"status": charge["charge_status"]}
        return 200, {"status": True, "message": "Charge attempted", "data": data}


def refusal(message: str) -> dict[str, Any]:
    return {"status": False, "message": message}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
