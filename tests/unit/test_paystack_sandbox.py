"""The embedded default's Paystack: checkouts, the learner paying or cancelling on its page,
the webhooks it signs, refunds, and its state across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commands.payments.ports import GatewayUnavailableError
from domain.errors import ConflictError, NotFoundError
from infra.payments.paystack_sandbox import PaystackSandbox
from infra.settings import Settings


def sandbox_at(data_dir: Path, **overrides: object) -> PaystackSandbox:
    return PaystackSandbox(Settings(_env_file=None, data_dir=data_dir, **overrides))


@pytest.fixture
def sandbox(tmp_path: Path) -> PaystackSandbox:
    return sandbox_at(tmp_path, public_base_url="https://campus.example.com")


def start(sandbox: PaystackSandbox, reference: str = "campus-ref-1", amount: int = 1_500_000):
    return sandbox.initialize(
        reference, "ada@example.com", amount, "NGN", None, {"paymentId": "p-1"}
    )


def test_a_checkout_is_served_on_campus_under_its_access_code(sandbox):
    checkout = start(sandbox)

    assert checkout.access_code.startswith("ac_")
    assert checkout.authorization_url == (
        f"https://campus.example.com/sandbox/paystack/checkout/{checkout.access_code}"
    )
    assert sandbox.transaction_for(checkout.access_code).email == "ada@example.com"


def test_initializing_one_reference_twice_answers_the_first_checkout(sandbox):
    first = start(sandbox)

    assert start(sandbox, amount=99) == first
    assert sandbox.verify("campus-ref-1").amount == 1_500_000


def test_an_invalid_checkout_is_refused(sandbox):
    with pytest.raises(GatewayUnavailableError):
        start(sandbox, amount=0)


def test_a_checkout_nobody_finished_verifies_as_abandoned_and_may_still_be_paid(sandbox):
    checkout = start(sandbox)

    assert (sandbox.verify("campus-ref-1").status, sandbox.verify("campus-ref-1").paid_at) == (
        "abandoned",
        None,
    )
    sandbox.complete(checkout.access_code)
    paid = sandbox.verify("campus-ref-1")
    assert (paid.status, paid.gateway_response, paid.amount) == ("success", "Successful", 1_500_000)
    assert paid.paid_at is not None and paid.paid_at.tzinfo is not None


def test_completing_answers_a_charge_success_webhook_signed_with_the_secret_key(sandbox):
    checkout = start(sandbox)

    body, signature = sandbox.complete(checkout.access_code)

    assert sandbox.signature_valid(body, signature)
    event = json.loads(body)
    assert event["event"] == "charge.success"
    assert event["data"] == event["data"] | {
        "reference": "campus-ref-1",
        "amount": 1_500_000,
        "currency": "NGN",
        "status": "success",
        "gateway_response": "Successful",
        "customer": {"email": "ada@example.com"},
        "metadata": {"paymentId": "p-1"},
    }


def test_cancelling_is_final_and_answers_a_signed_charge_failed_webhook(sandbox):
    checkout = start(sandbox)

    body, signature = sandbox.abandon(checkout.access_code)

    assert sandbox.signature_valid(body, signature)
    assert json.loads(body)["event"] == "charge.failed"
    cancelled = sandbox.verify("campus-ref-1")
    assert (cancelled.status, cancelled.gateway_response) == ("failed", "Abandoned by the customer")
    with pytest.raises(ConflictError):
        sandbox.complete(checkout.access_code)


def test_a_paid_checkout_cannot_be_paid_or_cancelled_again(sandbox):
    checkout = start(sandbox)
    sandbox.complete(checkout.access_code)

    with pytest.raises(ConflictError):
        sandbox.complete(checkout.access_code)
    with pytest.raises(ConflictError):
        sandbox.abandon(checkout.access_code)


def test_an_unknown_checkout_is_not_found(sandbox):
    assert sandbox.transaction_for("ac_unknown") is None
    with pytest.raises(NotFoundError):
        sandbox.complete("ac_unknown")
    with pytest.raises(GatewayUnavailableError, match="Transaction reference not found"):
        sandbox.verify("campus-never-started")


def test_a_webhook_signed_with_another_key_or_unsigned_is_not_believed(sandbox, tmp_path):
    body, _ = sandbox.complete(start(sandbox).access_code)
    other = sandbox_at(tmp_path / "other")
    _, forged = other.complete(start(other).access_code)

    assert not sandbox.signature_valid(body, forged)
    assert not sandbox.signature_valid(body, None)
    assert not sandbox.signature_valid(body, "zz-not-hex-ü")


def test_refunds_may_be_partial_but_never_exceed_what_was_paid(sandbox):
    sandbox.complete(start(sandbox).access_code)

    sandbox.refund("campus-ref-1", 500_000, "NGN")
    with pytest.raises(GatewayUnavailableError):
        sandbox.refund("campus-ref-1", 1_000_001, "NGN")
    assert sandbox.verify("campus-ref-1").status == "success"
    sandbox.refund("campus-ref-1", 1_000_000, "NGN")
    assert sandbox.verify("campus-ref-1").status == "reversed"


def test_an_unpaid_transaction_cannot_be_refunded(sandbox):
    start(sandbox)

    with pytest.raises(GatewayUnavailableError):
        sandbox.refund("campus-ref-1", 100, "NGN")


def test_checkouts_and_the_signing_key_survive_a_restart(tmp_path):
    before = sandbox_at(tmp_path)
    checkout = start(before)

    after = sandbox_at(tmp_path)
    body, signature = after.complete(checkout.access_code)

    assert before.signature_valid(body, signature)
    assert start(after) == checkout
    assert after.verify("campus-ref-1").status == "success"


def test_a_configured_secret_key_signs_the_webhooks(tmp_path):
    sandbox = sandbox_at(tmp_path, paystack_secret_key="sk_test_configured")

    assert sandbox.secret_key == "sk_test_configured"
    assert not (tmp_path / "paystack-sandbox-key").exists()
