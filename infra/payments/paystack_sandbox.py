"""The embedded default's Paystack: the ``Paystack`` port in-process, no account, no internet.

It answers like Paystack's transaction API and serves its own checkout page (see
``write_api/paystack_sandbox.py``): the learner presses Pay or Cancel there, and the sandbox
signs the webhook Paystack would send, with its own secret key. Its transactions live in
``data_dir/paystack-sandbox.sqlite``, so a checkout started before a restart can finish after.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commands.payments.ports import (
    PROCESSED,
    GatewayRefund,
    GatewayUnavailableError,
    PaystackCheckout,
    PaystackTransaction,
)
from domain.errors import ConflictError, NotFoundError
from infra.payments.paystack import signature_matches, webhook_signature
from infra.security.secrets import configured_or_generated
from infra.settings import Settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    reference TEXT PRIMARY KEY, access_code TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
    amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
    gateway_response TEXT NOT NULL, paid_at TEXT, callback_url TEXT, metadata TEXT NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS refunds (
    id INTEGER PRIMARY KEY, reference TEXT NOT NULL, amount INTEGER NOT NULL,
    currency TEXT NOT NULL, refunded_at TEXT NOT NULL);
"""
# Paystack reports a checkout nobody finished as "abandoned", which is not final: the learner
# may still pay. Cancelling on the sandbox's page makes it "failed", which is.
OPEN = ("abandoned", "The transaction was not completed")
PAID = ("success", "Successful")
CANCELLED = ("failed", "Abandoned by the customer")


class CheckoutNotFoundError(NotFoundError):
    """No sandbox checkout has this access code."""

    message = "Unknown checkout"


class CheckoutClosedError(ConflictError):
    """The checkout was already paid or cancelled."""

    message = "This checkout is already paid or cancelled"


@dataclass(frozen=True)
class SandboxTransaction:
    """One transaction as the sandbox's checkout page shows it."""

    reference: str
    access_code: str
    email: str
    amount: int
    currency: str
    status: str
    gateway_response: str
    paid_at: str | None
    callback_url: str | None
    metadata: dict[str, Any]
    refunded: int

    @property
    def open(self) -> bool:
        return self.status == OPEN[0]


class PaystackSandbox:
    """Paystack's transaction API, kept in SQLite under the data directory."""

    def __init__(self, settings: Settings) -> None:
        self.secret_key = configured_or_generated(
            settings,
            settings.paystack_secret_key,
            "paystack-sandbox-key",
            lambda: "sk_test_sandbox_" + secrets.token_hex(20),
            "CAMPUS_PAYSTACK_SECRET_KEY",
        )
        self.checkout_base = f"{settings.public_base_url.rstrip('/')}/sandbox/paystack/checkout"
        self.path = Path(settings.data_dir) / "paystack-sandbox.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as db:
            db.executescript(SCHEMA)

    def initialize(
        self,
        reference: str,
        email: str,
        amount: int,
        currency: str,
        callback_url: str | None,
        metadata: dict[str, Any],
    ) -> PaystackCheckout:
        if not reference or "@" not in email or not isinstance(amount, int) or amount <= 0:
            raise refused("Invalid transaction")
        with self.transaction() as db:
            known = db.execute(
                "SELECT access_code FROM transactions WHERE reference = ?", (reference,)
            ).fetchone()
            # Paystack refuses a reused reference; the sandbox answers the first checkout again
            # so that a retried initialize is harmless.
            access_code = known[0] if known else "ac_" + secrets.token_hex(8)
            if not known:
                db.execute(
                    "INSERT INTO transactions (reference, access_code, email, amount, currency,"
                    " status, gateway_response, callback_url, metadata)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        reference,
                        access_code,
                        email,
                        amount,
                        currency.upper(),
                        *OPEN,
                        callback_url or None,
                        json.dumps(metadata),
                    ),
                )
        return PaystackCheckout(reference, access_code, f"{self.checkout_base}/{access_code}")

    def verify(self, reference: str) -> PaystackTransaction:
        found = self.find("reference", reference)
        if found is None:
            raise refused("Transaction reference not found")
        return PaystackTransaction(
            reference=found.reference,
            status=found.status,
            amount=found.amount,
            currency=found.currency,
            paid_at=datetime.fromisoformat(found.paid_at) if found.paid_at else None,
            gateway_response=found.gateway_response,
        )

    def refund(self, reference: str, amount: int, currency: str) -> str:
        """The sandbox pays back at once: the refund is processed as it is taken."""
        with self.transaction() as db:
            found = self.row(db, "reference", reference)
            if found is None:
                raise refused("Transaction reference not found")
            refusal = refund_refusal(found, amount, currency)
            if refusal:
                raise refused(refusal)
            refunded = found.refunded + amount
            status = "reversed" if refunded == found.amount else found.status
            db.execute(
                "UPDATE transactions SET refunded = ?, status = ? WHERE reference = ?",
                (refunded, status, reference),
            )
            db.execute(
                "INSERT INTO refunds (reference, amount, currency, refunded_at)"
                " VALUES (?, ?, ?, ?)",
                (reference, amount, found.currency, now_iso()),
            )
        return PROCESSED

    def refunds(self, reference: str) -> list[GatewayRefund]:
        """The sandbox pays back at once: every refund it took is processed."""
        with self.transaction() as db:
            rows = db.execute(
                "SELECT amount, currency FROM refunds WHERE reference = ?", (reference,)
            ).fetchall()
        return [GatewayRefund(amount, currency, PROCESSED) for amount, currency in rows]

    def signature_valid(self, body: bytes, signature: str | None) -> bool:
        """Whether ``x-paystack-signature`` is the hex HMAC-SHA512 of the raw body."""
        return signature_matches(self.secret_key, body, signature)

    def transaction_for(self, access_code: str) -> SandboxTransaction | None:
        return self.find("access_code", access_code)

    def complete(self, access_code: str) -> tuple[bytes, str]:
        """The learner paid: the transaction succeeds; answers the signed ``charge.success``."""
        return self.close_checkout(access_code, *PAID, now_iso(), "charge.success")

    def abandon(self, access_code: str) -> tuple[bytes, str]:
        """The learner cancelled, for good; answers the signed ``charge.failed``."""
        return self.close_checkout(access_code, *CANCELLED, None, "charge.failed")

    def close_checkout(
        self, access_code: str, status: str, response: str, paid_at: str | None, event: str
    ) -> tuple[bytes, str]:
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE transactions SET status = ?, gateway_response = ?, paid_at = ?"
                " WHERE access_code = ? AND status = ?",
                (status, response, paid_at, access_code, OPEN[0]),
            ).rowcount
            closed = self.row(db, "access_code", access_code)
        if closed is None:
            raise CheckoutNotFoundError
        if not changed:
            raise CheckoutClosedError
        body = json.dumps({"event": event, "data": webhook_data(closed)}).encode()
        return body, webhook_signature(self.secret_key, body)

    def find(self, column: str, value: str) -> SandboxTransaction | None:
        with self.transaction() as db:
            return self.row(db, column, value)

    @staticmethod
    def row(db: sqlite3.Connection, column: str, value: str) -> SandboxTransaction | None:
        found = db.execute(f"SELECT * FROM transactions WHERE {column} = ?", (value,)).fetchone()
        if found is None:
            return None
        return SandboxTransaction(**(dict(found) | {"metadata": json.loads(found["metadata"])}))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One connection per call, in a write-locked transaction: threads and processes
        sharing the file never interleave a read and the write that depends on it."""
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as db:
            db.row_factory = sqlite3.Row
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


def refund_refusal(found: SandboxTransaction, amount: int, currency: str) -> str | None:
    """Paystack's reason to refuse this refund, if it has one."""
    if found.status not in ("success", "reversed"):
        return "Transaction has not been paid"
    if currency.upper() != found.currency:
        return "Currency does not match the transaction"
    if not isinstance(amount, int) or amount <= 0 or found.refunded + amount > found.amount:
        return "Refund amount cannot be more than the transaction amount left"
    return None


def refused(reason: str) -> GatewayUnavailableError:
    # The words the HTTP client uses for a refusal, so both adapters read alike.
    return GatewayUnavailableError(f"Paystack refused the request: {reason}")


def webhook_data(transaction: SandboxTransaction) -> dict[str, Any]:
    return {
        "reference": transaction.reference,
        "amount": transaction.amount,
        "currency": transaction.currency,
        "status": transaction.status,
        "paid_at": transaction.paid_at,
        "gateway_response": transaction.gateway_response,
        "customer": {"email": transaction.email},
        "metadata": transaction.metadata,
    }


def now_iso() -> str:
    """The time as Paystack writes it: UTC, milliseconds, a trailing Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
