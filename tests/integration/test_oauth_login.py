"""Logging in with Google and Facebook (spec §1) over HTTP, against the providers' APIs.

The providers are local servers that speak Google's tokeninfo and Facebook's Graph API
(tests/providers.py), so the real HttpOAuthVerifier runs: what it believes, what it refuses,
when it links to an existing account, and what the client sees when a provider is down.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.api import admin_token, bearer, data, error, profile, signed_up, unique_email
from tests.conftest import Running, embedded_campus, services_campus
from tests.providers import Providers, serving_providers

PROVIDERS = pytest.mark.parametrize("provider", ["google", "facebook"])


def test_a_first_google_login_creates_a_student_with_the_google_profile(backend, providers):
    token, account = providers.issue("google", name="Grace Hopper")
    signed_in = oauth_login(backend.client, "google", account.subject, token)
    session = data(signed_in)

    me = data(profile(backend.client, session["token"], signed_in.headers["X-Consistency-Token"]))
    assert me == me | {
        "userId": session["userId"],
        "email": account.email,
        "name": "Grace Hopper",
        "avatarUrl": account.picture,
        "role": "student",
    }


def test_a_first_facebook_login_creates_a_student_with_the_facebook_profile(backend, providers):
    token, account = providers.issue("facebook", name="Margaret Hamilton")
    signed_in = oauth_login(backend.client, "facebook", account.subject, token)
    session = data(signed_in)

    me = data(profile(backend.client, session["token"], signed_in.headers["X-Consistency-Token"]))
    assert me == me | {
        "email": account.email,
        "name": "Margaret Hamilton",
        "avatarUrl": account.picture,
        "role": "student",
    }


@PROVIDERS
def test_a_second_login_with_the_same_provider_account_is_the_same_user(
    backend, providers, provider
):
    first_token, account = providers.issue(provider)
    first = data(oauth_login(backend.client, provider, account.subject, first_token))
    # A new access token for the same account, as the provider hands out on every sign-in.
    second_token, _ = providers.issue(provider, email=account.email, subject=account.subject)
    second = data(oauth_login(backend.client, provider, account.subject, second_token))
    assert second["userId"] == first["userId"]


def test_a_google_login_with_a_verified_email_links_to_the_password_account(backend, providers):
    email = unique_email("linked")
    registered, _ = signed_up(backend.client, email=email)
    token, account = providers.issue("google", email=email.upper(), email_verified=True)
    linked = data(oauth_login(backend.client, "google", account.subject, token))
    assert linked["userId"] == registered["userId"]


def test_a_google_login_with_an_unverified_email_of_an_account_is_a_conflict(backend, providers):
    # Anyone can put someone else's address on an account they made; only Google's word that
    # the address was verified lets the login take over the existing account.
    email = unique_email("victim")
    signed_up(backend.client, email=email)
    token, account = providers.issue("google", email=email, email_verified=False)
    error(oauth_login(backend.client, "google", account.subject, token), 409)


def test_a_facebook_login_with_the_email_of_an_account_is_a_conflict(backend, providers):
    email = unique_email("taken")
    signed_up(backend.client, email=email)
    token, account = providers.issue("facebook", email=email)
    error(oauth_login(backend.client, "facebook", account.subject, token), 409)


@PROVIDERS
def test_a_token_the_provider_does_not_know_is_refused(backend, providers, provider):
    _, account = providers.issue(provider)
    refused = oauth_login(backend.client, provider, account.subject, "forged-token")
    assert error(refused, 401)["message"] == "Invalid credentials"


@PROVIDERS
def test_a_provider_user_id_other_than_the_tokens_subject_is_refused(backend, providers, provider):
    # The client names the user; a token of mine must not log me in as someone else.
    token, _ = providers.issue(provider)
    _, victim = providers.issue(provider)
    error(oauth_login(backend.client, provider, victim.subject, token), 401)


@PROVIDERS
def test_a_token_issued_to_another_app_is_refused(embedded_oauth, providers, provider):
    # Another site's token for the same person proves nothing about a login to Campus.
    token, account = providers.issue(provider, audience="someone-elses-app")
    error(oauth_login(embedded_oauth.client, provider, account.subject, token), 401)


def test_an_unknown_provider_is_invalid_input(backend, providers):
    refused = oauth_login(backend.client, "myspace", "12345", "some-token")
    details = error(refused, 400)["details"]
    assert [d["field"] for d in details] == ["provider"]


def test_a_provider_account_that_shares_no_email_is_refused(embedded_oauth, providers):
    token, account = providers.issue("facebook", email="")
    error(oauth_login(embedded_oauth.client, "facebook", account.subject, token), 401)


@PROVIDERS
@pytest.mark.parametrize("outage", ["down", "slow"])
def test_a_provider_outage_is_a_503_not_a_server_error(impatient, providers, provider, outage):
    token, account = providers.issue(provider)
    providers.outage = outage
    refused = oauth_login(impatient.client, provider, account.subject, token)
    assert "try again later" in error(refused, 503)["message"]


@PROVIDERS
def test_a_provider_answering_garbage_is_a_503_not_a_server_error(impatient, providers, provider):
    token, account = providers.issue(provider)
    providers.outage = "garbled"
    refused = oauth_login(impatient.client, provider, account.subject, token)
    error(refused, 503)


def test_a_blocked_oauth_user_may_not_log_in(backend, providers):
    token, account = providers.issue("google")
    user = data(oauth_login(backend.client, "google", account.subject, token))
    blocked = backend.client.post(
        f"/api/admin/users/{user['userId']}/block", headers=bearer(admin_token(backend))
    )
    data(blocked)

    again = oauth_login(backend.client, "google", account.subject, token)
    assert error(again, 403)["message"] == "User is blocked"


@PROVIDERS
def test_a_provider_not_configured_with_our_app_identity_is_refused(tmp_path, providers, provider):
    # Without our client id / app secret we could not tell a token issued to another app
    # from one issued to us, so the provider stays off.
    unconfigured = providers.settings() | {"google_client_ids": "", "facebook_app_secret": ""}
    token, account = providers.issue(provider)
    with embedded_campus(tmp_path, **unconfigured) as running:
        refused = error(oauth_login(running.client, provider, account.subject, token), 400)
    assert refused["message"] == f"Sign-in with {provider} is not enabled"


def oauth_login(client: TestClient, provider: str, subject: str, token: str) -> Response:
    body = {"provider": provider, "providerUserId": subject, "accessToken": token}
    return client.post("/api/auth/user/login", json=body)


@pytest.fixture
def providers() -> Iterator[Providers]:
    with serving_providers() as serving:
        yield serving


@pytest.fixture(params=["embedded", "services"])
def backend(request, tmp_path: Path, providers: Providers) -> Iterator[Running]:
    """Campus on each backend in turn, verifying OAuth tokens with the local providers."""
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path, **providers.settings()) as running:
        yield running


@pytest.fixture
def embedded_oauth(tmp_path: Path, providers: Providers) -> Iterator[Running]:
    with embedded_campus(tmp_path, **providers.settings()) as running:
        yield running


@pytest.fixture
def impatient(tmp_path: Path, providers: Providers) -> Iterator[Running]:
    """Gives up on a provider quickly, so the slow-provider tests take a second, not 15."""
    with embedded_campus(tmp_path, **providers.settings(oauth_timeout_seconds=0.2)) as running:
        yield running
