"""Paystack's transaction API over HTTP (https://paystack.com/docs/api/), the ``Paystack`` port.

Campus only asks Paystack to do things (start a checkout, confirm a charge, refund one), so
every failure to get a clear answer is ``GatewayUnavailableError``: a timeout, a server error,
a body that is not Paystack's JSON, or a refusal of a request we built (a 4xx means our
configuration or reference is wrong, never that the learner did something wrong).
``open_paystack`` picks this client when a base URL is configured, else the embedded sandbox.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from commands.payments.ports import (
    ChargeRefusedError,
    GatewayRefund,
    GatewayUnavailableError,
    Paystack,
    PaystackCheckout,
    PaystackTransaction,
)
from infra.http import http_client
from infra.settings import Settings

log = logging.getLogger(__name__)
# Refunds are listed a page at a time. One transaction with more pages than this means the
# filter was not applied: the answer is "could not ask", never a guess from a partial list.
REFUNDS_PER_PAGE = 100
LONGEST_BACKOFF_SECONDS = 2.0  # between two attempts of one request
REFUND_PAGES = 10


class PaystackDown(Exception):
    """Paystack did not answer, or answered with a server error: worth asking again."""


class PaystackRefusal(ChargeRefusedError):
    """Paystack answered ``"status": false``: it refused the request as sent and did nothing."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(f"Paystack refused the request: {message}")
        self.status_code = status_code


def longest_refund_wait(settings: Settings) -> float:
    """The longest a refund request can wait on Paystack, each wait counted whole: the refund,
    sent once, then the question of which refunds it holds, asked up to ``gateway_retries``
    times with backoff between."""
    attempts = max(1, settings.gateway_retries)
    waits = settings.gateway_timeout_seconds * (1 + attempts)
    return waits + LONGEST_BACKOFF_SECONDS * (attempts - 1)


class PaystackClient:
    """The ``Paystack`` port against the real API, authenticated with the secret key."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.secret_key = settings.paystack_secret_key
        self.attempts = max(1, settings.gateway_retries)
        self.http = client or http_client(
            base_url=settings.paystack_base_url.rstrip("/"),
            timeout=settings.gateway_timeout_seconds,
            headers={"Authorization": f"Bearer {settings.paystack_secret_key}"},
        )

    def initialize(
        self,
        reference: str,
        email: str,
        amount: int,
        currency: str,
        callback_url: str | None,
        metadata: dict[str, Any],
    ) -> PaystackCheckout:
        body = {"email": email, "amount": amount, "currency": currency, "reference": reference}
        body |= {"metadata": metadata} | ({"callback_url": callback_url} if callback_url else {})
        data = self.call("POST", "/transaction/initialize", body)
        try:
            return PaystackCheckout(
                reference=str(data["reference"]),
                access_code=str(data["access_code"]),
                authorization_url=str(data["authorization_url"]),
            )
        except (KeyError, TypeError):
            raise unavailable("initialize", "a checkout without its fields") from None

    def verify(self, reference: str) -> PaystackTransaction:
        data = self.call("GET", f"/transaction/verify/{quote(reference, safe='')}")
        try:
            return PaystackTransaction(
                reference=str(data["reference"]),
                status=str(data["status"]),
                amount=int(data["amount"]),
                currency=str(data["currency"]),
                paid_at=parse_time(data.get("paid_at") or data.get("paidAt")),
                gateway_response=str(data.get("gateway_response") or ""),
            )
        except (KeyError, TypeError, ValueError):
            raise unavailable("verify", "a transaction without its fields") from None

    def refund(self, reference: str, amount: int, currency: str) -> str:
        """Sent once: Paystack takes a second partial refund of one transaction, so a retry
        after a lost answer could pay back twice. The caller asks ``refunds`` instead.
        Paystack queues most refunds (``pending``) and says when they are processed."""
        body = {"transaction": reference, "amount": amount, "currency": currency}
        data = self.call("POST", "/refund", body, attempts=1)
        return str(data.get("status") or "pending") if isinstance(data, dict) else "pending"

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """``GET /refund`` filters by ``transaction``, Paystack's numeric id of the transaction
        (not our reference), which ``verify`` answers; a reference Paystack never received
        has no refunds."""
        try:
            data = self.call("GET", f"/transaction/verify/{quote(reference, safe='')}")
        except PaystackRefusal as refused:
            if refused.status_code in (400, 404):  # "Transaction reference not found"
                return []
            raise
        if not isinstance(data, dict) or "id" not in data:
            raise unavailable("verify", "a transaction without its id")
        found: list[GatewayRefund] = []
        for page in range(1, REFUND_PAGES + 1):
            query = f"transaction={data['id']}&perPage={REFUNDS_PER_PAGE}&page={page}"
            listed = self.call("GET", f"/refund?{query}")
            if not isinstance(listed, list):
                raise unavailable("/refund", "a list of refunds that is not a list")
            found += [refund_of(entry) for entry in listed if names(entry, data["id"])]
            if len(listed) < REFUNDS_PER_PAGE:
                return found
        raise unavailable("/refund", f"more than {REFUND_PAGES} pages of refunds")

    def signature_valid(self, body: bytes, signature: str | None) -> bool:
        """Whether ``x-paystack-signature`` is the hex HMAC-SHA512 of the raw body."""
        return signature_matches(self.secret_key, body, signature)

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        attempts: int | None = None,
    ) -> Any:
        """Paystack's ``data`` for one request, asked up to ``attempts`` (default
        ``gateway_retries``) times.

        A retried POST whose first attempt did reach Paystack is refused as a duplicate
        reference; that is still "could not ask", never a second checkout. Requests that
        must never reach Paystack twice (a card charge, a payer's OTP, a refund: Paystack
        takes a second partial one) pass ``attempts=1``.
        """
        retrying = retry(
            retry=retry_if_exception_type(PaystackDown),
            stop=stop_after_attempt(attempts or self.attempts),
            wait=wait_exponential(multiplier=0.2, max=LONGEST_BACKOFF_SECONDS),
            reraise=True,
        )
        try:
            return retrying(self.call_once)(method, path, body)
        except PaystackDown as down:
            raise unavailable(path, str(down)) from None

    def call_once(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        try:
            response = self.http.request(method, path, json=body)
        except httpx.HTTPError as error:
            raise PaystackDown(type(error).__name__) from None
        # 429 is Paystack asking us to slow down, which a short backoff does.
        if response.status_code >= 500 or response.status_code == 429:
            raise PaystackDown(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise unavailable(path, f"HTTP {response.status_code} without JSON") from None
        if not isinstance(answer, dict):
            raise unavailable(path, "JSON that is not an object")
        if response.is_success and answer.get("status") is True and "data" in answer:
            return answer["data"]
        message = str(answer.get("message") or f"HTTP {response.status_code}")
        log.warning("Paystack refused %s %s: %s", method, path, message)
        raise PaystackRefusal(message, response.status_code)


def open_paystack(settings: Settings) -> Paystack:
    """The real Paystack when a base URL is configured, else the embedded sandbox."""
    if settings.paystack_base_url:
        if not settings.paystack_secret_key:
            raise RuntimeError("CAMPUS_PAYSTACK_SECRET_KEY must be set with a Paystack base URL")
        return PaystackClient(settings)
    # Imported here: the sandbox signs its webhooks with this module's helpers.
    from infra.payments.paystack_sandbox import PaystackSandbox

    return PaystackSandbox(settings)


def webhook_signature(secret_key: str, body: bytes) -> str:
    """What Paystack sends as ``x-paystack-signature``: hex HMAC-SHA512 of the raw body."""
    return hmac.new(secret_key.encode(), body, hashlib.sha512).hexdigest()


def signature_matches(secret_key: str, body: bytes, signature: str | None) -> bool:
    if not isinstance(signature, str) or not signature:
        return False
    # Compared as bytes: compare_digest refuses non-ASCII text, and garbage must be "no".
    expected = webhook_signature(secret_key, body).encode()
    return hmac.compare_digest(expected, signature.strip().lower().encode("utf-8", "replace"))


def names(refund: object, transaction_id: object) -> bool:
    """Whether a listed refund is of this transaction, should Paystack ignore the filter;
    the list names it by id, some answers by the whole transaction."""
    if not isinstance(refund, dict):
        raise unavailable("/refund", "a refund that is not an object")
    named = refund.get("transaction")
    named = named.get("id") if isinstance(named, dict) else named
    return str(named) == str(transaction_id)


def refund_of(entry: dict[str, Any]) -> GatewayRefund:
    try:
        return GatewayRefund(int(entry["amount"]), str(entry["currency"]), str(entry["status"]))
    except (KeyError, TypeError, ValueError):
        raise unavailable("/refund", "a refund without its fields") from None


def parse_time(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def unavailable(path: str, reason: str) -> GatewayUnavailableError:
    log.warning("Paystack unavailable on %s: %s", path, reason)
    return GatewayUnavailableError()
