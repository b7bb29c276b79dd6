"""The Paystack HTTP client against a local server that speaks Paystack's API (tests/paystack.py):
what it sends, how it reads the answers, how it gives up, and which webhooks it believes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from commands.payments.ports import GatewayUnavailableError
from infra.payments.paystack import PaystackClient, open_paystack
from infra.payments.paystack_sandbox import PaystackSandbox
from infra.settings import Settings
from tests.paystack import PaystackState, serving_paystack

RETRIES = 3
TIMEOUT = 0.3


@pytest.fixture
def paystack() -> Iterator[PaystackState]:
    with serving_paystack() as state:
        yield state


@pytest.fixture
def client(paystack: PaystackState, tmp_path: Path) -> Iterator[PaystackClient]:
    client = PaystackClient(settings(paystack, tmp_path))
    yield client
    client.close()


def settings(paystack: PaystackState, data_dir: Path, **overrides: object) -> Settings:
    configured = {"gateway_timeout_seconds": TIMEOUT, "gateway_retries": RETRIES} | overrides
    return Settings(_env_file=None, data_dir=data_dir, **paystack.settings(**configured))


def start(client: PaystackClient, amount: int = 1_500_000, callback: str | None = None) -> str:
    reference = f"campus-{uuid.uuid4().hex[:12]}"
    client.initialize(reference, "ada@example.com", amount, "NGN", callback, {"payment": "p-1"})
    return reference


def test_initialize_sends_the_amount_in_kobo_with_our_reference_callback_and_metadata(
    paystack, client
):
    checkout = client.initialize(
        "campus-ref-1",
        "ada@example.com",
        1_500_000,
        "NGN",
        "https://campus.example.com/paid",
        {"paymentId": "p-1", "courseId": "c-1"},
    )

    assert paystack.initialized == [
        {
            "email": "ada@example.com",
            "amount": 1_500_000,
            "currency": "NGN",
            "reference": "campus-ref-1",
            "callback_url": "https://campus.example.com/paid",
            "metadata": {"paymentId": "p-1", "courseId": "c-1"},
        }
    ]
    assert checkout.reference == "campus-ref-1"
    assert checkout.authorization_url == f"https://checkout.paystack.com/{checkout.access_code}"


def test_initialize_without_a_callback_leaves_it_to_the_dashboard_setting(paystack, client):
    start(client, callback=None)
    start(client, callback="")

    assert all("callback_url" not in body for body in paystack.initialized)


def test_a_checkout_nobody_finished_verifies_as_abandoned(client):
    transaction = client.verify(start(client))

    assert (transaction.status, transaction.paid_at) == ("abandoned", None)


def test_a_paid_transaction_verifies_with_paystacks_figures_and_time(paystack, client):
    reference = start(client, amount=2_000_000)
    paystack.pay(reference, amount=1_000_000, currency="USD")

    transaction = client.verify(reference)

    assert transaction.reference == reference
    assert (transaction.status, transaction.gateway_response) == ("success", "Successful")
    assert (transaction.amount, transaction.currency) == (1_000_000, "USD")
    assert transaction.paid_at is not None and transaction.paid_at.tzinfo is not None


def test_a_failed_charge_verifies_as_failed(paystack, client):
    reference = start(client)
    paystack.fail(reference)

    assert client.verify(reference).status == "failed"


def test_verifying_an_unknown_reference_is_unavailable_not_a_decision(paystack, client):
    with pytest.raises(GatewayUnavailableError, match="Transaction reference not found"):
        client.verify("campus-never-started")
    assert paystack.requests == ["GET /transaction/verify/campus-never-started"]


def test_a_refund_names_the_transaction_amount_and_currency(paystack, client):
    reference = start(client)
    paystack.pay(reference)

    client.refund(reference, 500_000, "NGN")

    assert paystack.refunds == [{"transaction": reference, "amount": 500_000, "currency": "NGN"}]


def test_the_refunds_of_a_transaction_are_listed_by_its_paystack_id(paystack, client):
    reference, other = start(client), start(client)
    paystack.pay(reference)
    paystack.pay(other)
    assert client.refunds(reference) == []

    client.refund(reference, 400_000, "NGN")
    client.refund(other, 100, "NGN")
    paystack.process_refunds("failed")
    client.refund(reference, 500_000, "NGN")

    listed = [(r.amount, r.currency, r.status) for r in client.refunds(reference)]
    assert listed == [(500_000, "NGN", "pending"), (400_000, "NGN", "failed")]
    assert paystack.calls["GET /refund"] == 2  # one page each


def test_a_transaction_paystack_never_received_has_no_refunds(paystack, client):
    assert client.refunds("campus-never-started") == []


def test_a_refund_whose_answer_is_lost_is_sent_once_and_then_listed(paystack, client):
    reference = start(client)
    paystack.pay(reference)
    paystack.answer_lost.add("POST /refund")

    with pytest.raises(GatewayUnavailableError):
        client.refund(reference, 500_000, "NGN")

    assert paystack.calls["POST /refund"] == 1  # a retry could pay a partial refund twice
    assert [r.amount for r in client.refunds(reference)] == [500_000]


def test_a_refused_request_is_not_retried_and_carries_paystacks_message(paystack, client):
    reference = start(client)

    with pytest.raises(GatewayUnavailableError, match="Duplicate Transaction Reference"):
        client.initialize(reference, "ada@example.com", 100, "NGN", None, {})
    with pytest.raises(GatewayUnavailableError, match="not successful"):
        client.refund(reference, 100, "NGN")
    assert len(paystack.requests) == 3


def test_a_wrong_secret_key_is_refused_without_retries(paystack, tmp_path):
    client = PaystackClient(settings(paystack, tmp_path, paystack_secret_key="sk_test_wrong"))

    with pytest.raises(GatewayUnavailableError, match="Invalid key"):
        start(client)
    assert len(paystack.requests) == 1
    assert paystack.initialized == []


@pytest.mark.parametrize("outage", ["down", "slow"])
def test_paystack_down_or_slow_is_asked_the_configured_number_of_times(paystack, client, outage):
    paystack.outage = outage
    began = time.monotonic()

    with pytest.raises(GatewayUnavailableError):
        start(client)
    with pytest.raises(GatewayUnavailableError):
        client.verify("campus-ref")

    assert (
        paystack.requests
        == ["POST /transaction/initialize"] * RETRIES
        + ["GET /transaction/verify/campus-ref"] * RETRIES
    )
    assert paystack.initialized == [] and paystack.verifications == 0
    assert time.monotonic() - began < 2 * RETRIES * (TIMEOUT + 1)


def test_a_garbled_answer_is_unavailable_at_once(paystack, client):
    paystack.outage = "garbled"

    with pytest.raises(GatewayUnavailableError):
        start(client)
    # A 200 that is not Paystack's JSON may have started the transaction: asking again could
    # only be refused as a duplicate reference.
    assert paystack.requests == ["POST /transaction/initialize"]


def test_paystack_answering_again_after_an_outage_is_used_again(paystack, client):
    paystack.outage = "down"
    with pytest.raises(GatewayUnavailableError):
        start(client)
    paystack.outage = None

    assert client.verify(start(client)).status == "abandoned"


def test_a_webhook_signed_with_the_secret_key_is_believed(paystack, client):
    body, signature = paystack.webhook(start(client))

    assert client.signature_valid(body, signature)


def test_a_webhook_with_a_wrong_missing_or_garbage_signature_is_not(paystack, client):
    body, signature = paystack.webhook(start(client))
    _, forged = paystack.webhook(paystack.initialized[0]["reference"], secret="sk_test_forger")

    assert not client.signature_valid(body, forged)
    assert not client.signature_valid(body, None)
    assert not client.signature_valid(body, "")
    assert not client.signature_valid(body, "naïve garbage ✓")
    assert not client.signature_valid(body + b" ", signature)


def test_the_http_client_is_chosen_when_a_base_url_is_configured(paystack, tmp_path):
    assert isinstance(open_paystack(settings(paystack, tmp_path)), PaystackClient)
    embedded = Settings(_env_file=None, data_dir=tmp_path)
    assert isinstance(open_paystack(embedded), PaystackSandbox)
