"""Paystack's transaction API, served on loopback so the real client runs in tests.

``serving_paystack()`` starts one HTTP server in a background thread that answers like
https://api.paystack.co: ``POST /transaction/initialize``, ``GET /transaction/verify/{ref}``,
``POST /refund``, ``GET /refund`` (filtered by ``transaction``, Paystack's id of the
transaction), ``GET /refund/{id}`` and the Charge API (``tests/paystack_charge.py``, reached as
``.charges``), each behind ``Authorization: Bearer <secret key>``. Tests play the learner and
Paystack's side with ``pay``/``fail`` (``process_refunds`` settles the refunds Paystack
queued, answering the signed refund webhooks it would send), build signed webhooks with
``webhook``, and flip ``outage`` to make Paystack answer 503 (``"down"``), not answer within
the client's timeout (``"slow"``), or answer 200 with an HTML page (``"garbled"``).
``answer_late`` holds routes (e.g. ``{"POST /charge"}``) that do their work but answer too late
for the client; ``answer_lost`` routes (e.g. ``{"POST /refund"}``) do their work and drop the
connection without answering.

Counting, outages included, for tests that prove what was asked how often (also across
processes, since every Campus process calls this one server):

* ``requests``: ``"METHOD /path"`` of every request, in order;
* ``calls[route]``: requests per route, e.g. ``calls["POST /charge"]``,
  ``calls["GET /charge/{reference}"]``, ``calls["GET /transaction/verify/{reference}"]``;
* ``calls_by_reference[(route, reference)]``: the same, per reference;
* ``charges_by_reference[reference]``: ``POST /charge`` per reference (above 1 is a second
  charge attempt), and ``double_charges()`` lists the references charged more than once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from collections import Counter
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.loopback import FakeHandler, serving
from tests.paystack_charge import ChargeAPI

SECRET_KEY = "sk_test_campus_0123456789abcdef0123456789abcdef"
# A slow Paystack holds each request this long unless the server closes first: far past any
# client timeout the tests configure, short enough not to stall a run if one leaks.
SLOW_SECONDS = 10.0

Answer = tuple[int, dict[str, Any]]


class PaystackState:
    """Paystack's transactions, what it was asked, and whether it is up."""

    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key
        self.base_url = ""
        self.transactions: dict[str, dict[str, Any]] = {}
        self.outage: Literal["down", "slow", "garbled"] | None = None
        self.requests: list[str] = []  # "METHOD /path" of every request, outages included
        self.calls: Counter[str] = Counter()
        self.calls_by_reference: Counter[tuple[str, str]] = Counter()
        self.charges_by_reference: Counter[str] = Counter()
        self.answer_late: set[str] = set()
        self.answer_lost: set[str] = set()
        self.charges = ChargeAPI(self.transactions)
        self.initialized: list[dict[str, Any]] = []  # bodies of accepted initializations
        self.refunds: list[dict[str, Any]] = []  # bodies of accepted refunds
        self.refunded: list[dict[str, Any]] = []  # the refunds as Paystack lists them
        self.verifications = 0
        self.closing = threading.Event()
        self.lock = threading.Lock()

    def settings(self, **overrides: object) -> dict[str, object]:
        """Campus settings that send Paystack calls here."""
        configured = {"paystack_base_url": self.base_url, "paystack_secret_key": self.secret_key}
        return configured | overrides

    def pay(self, reference: str, amount: int | None = None, currency: str | None = None) -> None:
        """The learner paid; ``amount``/``currency`` make Paystack report other figures."""
        transaction = self.transactions[reference]
        transaction |= {"status": "success", "gateway_response": "Successful", "paid_at": now()}
        transaction["amount"] = transaction["amount"] if amount is None else amount
        transaction["currency"] = currency or transaction["currency"]

    def fail(self, reference: str) -> None:
        self.transactions[reference] |= {"status": "failed", "gateway_response": "Declined"}

    def webhook(
        self, reference: str, event: str = "charge.success", secret: str | None = None
    ) -> tuple[bytes, str]:
        """The body and ``x-paystack-signature`` Paystack would POST about this transaction;
        ``secret`` signs with another key, as a forger would."""
        transaction = self.transactions[reference]
        data = {k: v for k, v in transaction.items() if k != "email"}
        customer = {"id": 1, "email": transaction["email"], "customer_code": "CUS_campus"}
        body = json.dumps({"event": event, "data": data | {"customer": customer}}).encode()
        key = (secret or self.secret_key).encode()
        return body, hmac.new(key, body, hashlib.sha512).hexdigest()

    def count(self, method: str, path: str, body: dict[str, Any]) -> str:
        """Count one request; answer its route (the path with ``{reference}`` in it)."""
        route, reference = f"{method} {path}", str(body.get("reference") or "")
        for prefix in ("/transaction/verify/", "/charge/", "/refund/"):
            rest = path.removeprefix(prefix)
            if method == "GET" and rest != path:
                route, reference = f"GET {prefix}{{reference}}", unquote(rest)
        self.requests.append(f"{method} {path}")
        self.calls[route] += 1
        self.calls_by_reference[(route, reference)] += 1
        if route == "POST /charge":
            self.charges_by_reference[reference] += 1
        return route

    def double_charges(self) -> list[str]:
        return [ref for ref, n in self.charges_by_reference.items() if n > 1]

    def answer(
        self, method: str, path: str, body: dict[str, Any], query: dict[str, str] | None = None
    ) -> Answer:
        if (charged := self.charges.answer(method, path, body)) is not None:
            return charged
        if method == "POST" and path == "/transaction/initialize":
            return self.initialize(body)
        if method == "GET" and path.startswith("/transaction/verify/"):
            return self.verify(unquote(path.removeprefix("/transaction/verify/")))
        if method == "POST" and path == "/refund":
            return self.refund(body)
        if method == "GET" and path == "/refund":
            return self.list_refunds(query or {})
        if method == "GET" and path.startswith("/refund/"):
            return self.fetch_refund(unquote(path.removeprefix("/refund/")))
        return 404, refusal("Route not found")

    def initialize(self, body: dict[str, Any]) -> Answer:
        email, amount, reference = body.get("email"), body.get("amount"), body.get("reference")
        if not isinstance(email, str) or "@" not in email:
            return 400, refusal("Invalid Email Address Passed")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            return 400, refusal("Invalid Amount Sent")
        if not isinstance(reference, str) or not reference:
            return 400, refusal("Invalid transaction reference")
        if reference in self.transactions:
            return 400, refusal("Duplicate Transaction Reference")
        self.initialized.append(body)
        access_code = secrets.token_hex(8)
        self.transactions[reference] = {
            "id": len(self.transactions) + 1,
            "status": "abandoned",  # what Paystack reports until the learner pays
            "reference": reference,
            "amount": amount,
            "currency": body.get("currency", "NGN"),
            "gateway_response": "The transaction was not completed",
            "paid_at": None,
            "created_at": now(),
            "channel": "card",
            "metadata": body.get("metadata", ""),
            "email": email,
        }
        return 200, {
            "status": True,
            "message": "Authorization URL created",
            "data": {
                "authorization_url": f"https://checkout.paystack.com/{access_code}",
                "access_code": access_code,
                "reference": reference,
            },
        }

    def verify(self, reference: str) -> Answer:
        self.verifications += 1
        transaction = self.transactions.get(reference)
        if transaction is None:
            return 400, refusal("Transaction reference not found")
        hidden = {"email", "steps", "outcome", "charge_status", "display_text"}
        data = {k: v for k, v in transaction.items() if k not in hidden}
        data |= {"paidAt": transaction["paid_at"], "customer": {"email": transaction["email"]}}
        return 200, {"status": True, "message": "Verification successful", "data": data}

    def refund(self, body: dict[str, Any]) -> Answer:
        transaction = self.transactions.get(str(body.get("transaction")))
        if transaction is None:
            return 404, refusal("Transaction not found")
        if transaction["status"] != "success":
            return 400, refusal("Cannot refund a transaction that was not successful")
        refunded = sum(  # a refund that failed gave nothing back: its amount may be asked again
            r["amount"]
            for r in self.refunded
            if r["transaction"] == transaction["id"] and r["status"] != "failed"
        )
        amount = body.get("amount", transaction["amount"] - refunded)
        if not isinstance(amount, int) or amount <= 0 or refunded + amount > transaction["amount"]:
            return 400, refusal("Refund amount cannot be more than the transaction amount")
        self.refunds.append(body | {"amount": amount})
        refund = {"id": len(self.refunded) + 1, "transaction": transaction["id"]}
        refund |= {"amount": amount, "currency": transaction["currency"], "status": "pending"}
        refund |= {"created_at": now(), "refunded_at": None}
        self.refunded.append(refund)
        data = refund | {"transaction": {k: transaction[k] for k in ("id", "reference", "amount")}}
        message = "Refund has been queued for processing"
        return 200, {"status": True, "message": message, "data": data}

    def list_refunds(self, query: dict[str, str]) -> Answer:
        """Newest first, a page at a time; ``transaction`` and ``currency`` filter."""
        found = [
            refund
            for refund in reversed(self.refunded)
            if query.get("transaction") in (None, str(refund["transaction"]))
            and query.get("currency") in (None, refund["currency"])
        ]
        per_page, page = int(query.get("perPage") or 50), int(query.get("page") or 1)
        shown = found[(page - 1) * per_page : page * per_page]
        meta = {"total": len(found), "perPage": per_page, "page": page}
        return 200, {"status": True, "message": "Refunds retrieved", "data": shown, "meta": meta}

    def fetch_refund(self, refund_id: str) -> Answer:
        for refund in self.refunded:
            if str(refund["id"]) == refund_id:
                return 200, {"status": True, "message": "Refund retrieved", "data": refund}
        return 404, refusal("Refund not found")

    def process_refunds(self, status: str = "processed") -> list[tuple[bytes, str]]:
        """Paystack's side settles every refund still open: ``processed`` or ``failed``;
        answers the signed webhooks (``refund.processed``, ``refund.failed``) it would send."""
        notices = []
        for refund in self.refunded:
            if refund["status"] == "pending":
                refund |= {"status": status, "refunded_at": now()}
                notices.append(self.refund_webhook(refund, f"refund.{status}"))
        return notices

    def refund_webhook(self, refund: dict[str, Any], event: str) -> tuple[bytes, str]:
        """A refund event as Paystack words it: the refund, naming our transaction reference."""
        reference = next(
            r for r, t in self.transactions.items() if t["id"] == refund["transaction"]
        )
        data = {k: refund[k] for k in ("amount", "currency", "status")}
        data |= {"transaction_reference": reference, "refund_reference": f"RF{refund['id']}"}
        body = json.dumps({"event": event, "data": data}).encode()
        return body, hmac.new(self.secret_key.encode(), body, hashlib.sha512).hexdigest()


def serving_paystack(secret_key: str = SECRET_KEY) -> AbstractContextManager[PaystackState]:
    """Serve Paystack on a loopback ephemeral port until the block ends."""
    return serving(PaystackHandler, PaystackState(secret_key))


def refusal(message: str) -> dict[str, Any]:
    return {"status": False, "message": message}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class PaystackHandler(FakeHandler):
    def do_GET(self) -> None:
        self.handle_call()

    def do_POST(self) -> None:
        self.handle_call()

    def handle_call(self) -> None:
        state = self.server.state
        path, query = urlsplit(self.path).path, dict(parse_qsl(urlsplit(self.path).query))
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        with state.lock:
            route = state.count(self.command, path, body if isinstance(body, dict) else {})
        if state.outage == "slow":
            state.closing.wait(SLOW_SECONDS)
            return
        if state.outage == "down":
            return self.send_json(503, refusal("Service Unavailable"))
        if state.outage == "garbled":
            page = b"<html><body>Please sign in to the Wi-Fi</body></html>"
            return self.send(200, "text/html", page)
        if self.headers.get("Authorization") != f"Bearer {state.secret_key}":
            return self.send_json(401, refusal("Invalid key"))
        if not isinstance(body, dict):
            return self.send_json(400, refusal("Invalid JSON"))
        with state.lock:
            answer = state.answer(self.command, path, body, query)
        if route in state.answer_lost:
            self.close_connection = True  # done, and the connection drops before the answer
            return None
        if route in state.answer_late:
            state.closing.wait(SLOW_SECONDS)  # done, but the client has given up by now
            return None
        self.send_json(*answer)
