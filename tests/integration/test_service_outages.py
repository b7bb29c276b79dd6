"""A service that is away degrades the API; it never turns an answer into a bare 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api import bearer, data, error, register
from tests.conftest import TEST_CARD_KEY, Running, embedded_campus

UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture
def redis_away(tmp_path: Path) -> Iterator[Running]:
    secrets = {
        "jwt_secret": "outage-secret-" * 4,
        "card_details_key": TEST_CARD_KEY,
        "paystack_secret_key": "sk_test_outage",
    }
    with embedded_campus(tmp_path, redis_url=UNREACHABLE_REDIS, **secrets) as running:
        yield running


def test_the_public_catalog_answers_while_the_rate_limiter_is_away(redis_away: Running):
    answer = redis_away.client.get("/api/courses/catalog/list")
    assert answer.status_code == 200, answer.text


def test_a_write_is_answered_though_its_positions_cannot_be_recorded(redis_away: Running):
    answer = register(redis_away.client)
    assert data(answer)["token"]
    assert answer.headers["X-Consistency-Token"]  # the way to read it back still works


def test_a_request_that_needs_redis_is_a_503_to_retry_in_the_envelope(redis_away: Running):
    token = data(register(redis_away.client))["token"]
    answer = redis_away.client.get("/api/auth/user/profile", headers=bearer(token))
    assert error(answer, 503)["message"] == "Service temporarily unavailable"
    assert answer.headers["Retry-After"] == "1"
