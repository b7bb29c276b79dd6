"""Rate limits (spec §0): at most N requests a minute per caller, then 429 with Retry-After.

A caller is the user for a valid token (all their devices share one budget) and the client
address otherwise. Both backends run: embedded uses the in-process limiter, services the
Redis one shared by every API process. Most tests set the limit to 5 so they run fast; one
checks the real default of 100.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.api import bearer, error, signed_up
from tests.client import Client
from tests.conftest import Running, embedded_campus, services_campus

LIMIT = 5
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))


def test_the_request_past_the_limit_is_429_with_retry_after(limited):
    caller = client_at(limited)
    answers = [anonymous_request(caller).status_code for _ in range(LIMIT)]
    assert answers == [401] * LIMIT  # not signed in, but still within the budget

    told_to_wait(anonymous_request(caller))


def test_the_101st_request_within_a_minute_is_refused_by_default(backend):
    caller = client_at(backend)
    assert backend.campus.settings.rate_limit_per_minute == 100
    answers = [anonymous_request(caller).status_code for _ in range(100)]
    assert 429 not in answers
    told_to_wait(anonymous_request(caller))


def test_each_address_has_a_budget_of_its_own(limited):
    exhaust(client_at(limited))
    assert anonymous_request(client_at(limited)).status_code == 401


def test_each_user_has_a_budget_of_their_own(limited):
    caller = client_at(limited)
    alice = signed_up(caller)[0]["token"]
    bob, written = signed_up(caller)
    exhaust(caller, alice)
    assert signed_in_request(caller, bob["token"], written).status_code == 200


def test_a_users_requests_leave_the_address_budget_alone(limited):
    caller = client_at(limited)
    token = signed_up(caller)[0]["token"]  # the address's first request
    exhaust(caller, token)
    assert anonymous_request(caller).status_code == 401


def test_a_signed_in_user_does_not_share_the_address_budget(limited):
    # Users behind one NAT share an address; their own tokens keep them apart.
    caller = client_at(limited)
    user, written = signed_up(caller)
    exhaust(caller)
    assert signed_in_request(caller, user["token"], written).status_code == 200


def test_requests_with_an_invalid_token_count_against_the_address(limited):
    # Otherwise a made-up token on each request would be a fresh budget each time.
    caller = client_at(limited)
    for n in range(LIMIT):
        signed_in_request(caller, f"made-up-token-{n}")
    error(signed_in_request(caller, "yet-another-made-up-token"), 429)


def test_health_checks_are_never_limited(limited):
    caller = client_at(limited)
    exhaust(caller)
    assert [caller.get("/health").status_code for _ in range(LIMIT * 2)] == [200] * LIMIT * 2


def anonymous_request(caller: TestClient) -> Response:
    return caller.get("/api/auth/user/profile")


def signed_in_request(caller: TestClient, token: str, consistency: str | None = None) -> Response:
    """The caller's profile; ``consistency`` waits for their registration to be projected."""
    return caller.get("/api/auth/user/profile", headers=bearer(token, consistency))


def exhaust(caller: TestClient, token: str | None = None) -> None:
    """Spend the rest of a caller's budget, and check it is spent."""
    for _ in range(LIMIT + 1):
        answer = signed_in_request(caller, token) if token else anonymous_request(caller)
        if answer.status_code == 429:
            return
    raise AssertionError(f"{LIMIT + 1} requests and still not limited")


def told_to_wait(answer: Response) -> None:
    assert error(answer, 429)["message"] == "Too many requests"
    assert 1 <= int(answer.headers["Retry-After"]) <= 60


def client_at(running: Running) -> TestClient:
    """A client calling from an address no other test uses, so no earlier budget carries over."""
    return Client(running.client.app, client=(next(ADDRESSES), 50000))


@pytest.fixture(params=["embedded", "services"])
def limited(request, tmp_path: Path) -> Iterator[Running]:
    """Campus on each backend in turn, allowing each caller 5 requests a minute."""
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path, rate_limit_per_minute=LIMIT) as running:
        yield running
