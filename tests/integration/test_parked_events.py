"""An event a projection cannot apply is parked; its aggregate waits, everyone else flows.

The fault is injected into the users projection for one learner only, as a bug triggered by
one aggregate's data would be; fixing it and retrying applies the parked events in order.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from projections.parking import BEHIND, parked
from projections.users import UsersProjection
from tests.api import bearer, data, signed_up
from tests.conftest import Running

POISONED: set[str] = set()


@pytest.fixture
def poisonable(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Aggregate ids whose events the users projection fails on, while they are in the set."""
    process = UsersProjection.process

    def failing(self, events, conn):
        if any(e.aggregate_id in POISONED for e in events):
            raise ValueError("cannot apply this learner's event")
        return process(self, events, conn)

    monkeypatch.setattr(UsersProjection, "process", failing)
    yield POISONED
    POISONED.clear()


def rename(backend: Running, token: str, name: str) -> None:
    answer = backend.client.put(
        "/api/auth/user/profile", json={"name": name}, headers=bearer(token)
    )
    assert answer.status_code == 200, answer.text


def name_of(backend: Running, token: str) -> str:
    return data(backend.client.get("/api/auth/user/profile", headers=bearer(token)))["name"]


def parked_in(backend: Running, projection: str = "users") -> list:
    with backend.campus.read_engine.connect() as conn:
        return parked(conn, projection)


def eventually(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def test_a_failing_event_is_parked_and_every_other_aggregate_flows(
    backend: Running, poisonable: set[str]
):
    (stuck, _), (other, _) = signed_up(backend.client), signed_up(backend.client)
    assert name_of(backend, stuck["token"]) == "Ada Lovelace"  # projected before the fault
    poisonable.add(stuck["userId"])
    rename(backend, stuck["token"], "Never shown")
    rename(backend, other["token"], "Other learner")
    assert name_of(backend, other["token"]) == "Other learner"
    eventually(lambda: len(parked_in(backend)) == 1)
    [entry] = parked_in(backend)
    assert entry.event.aggregate_id == stuck["userId"]
    assert entry.event.event_type == "User.ProfileUpdated"
    assert "cannot apply this learner's event" in entry.error


def test_later_events_of_a_parked_aggregate_wait_behind_it(backend: Running, poisonable: set[str]):
    stuck, _ = signed_up(backend.client)
    assert name_of(backend, stuck["token"]) == "Ada Lovelace"  # projected before the fault
    poisonable.add(stuck["userId"])
    rename(backend, stuck["token"], "First")
    eventually(lambda: len(parked_in(backend)) == 1)
    poisonable.clear()  # fixed, but not yet retried: order per aggregate still holds
    rename(backend, stuck["token"], "Second")
    eventually(lambda: len(parked_in(backend)) == 2)
    assert parked_in(backend)[1].error == BEHIND
    assert name_of(backend, stuck["token"]) == "Ada Lovelace"


def test_a_retry_after_the_fix_applies_the_parked_events_in_order(
    backend: Running, poisonable: set[str]
):
    stuck, _ = signed_up(backend.client)
    assert name_of(backend, stuck["token"]) == "Ada Lovelace"  # projected before the fault
    poisonable.add(stuck["userId"])
    rename(backend, stuck["token"], "First")
    rename(backend, stuck["token"], "Second")
    eventually(lambda: len(parked_in(backend)) == 2)
    assert backend.campus.retry_parked("users") == (0, 2)  # still broken: nothing moves
    poisonable.clear()
    assert backend.campus.retry_parked("users", stuck["userId"]) == (2, 0)
    assert name_of(backend, stuck["token"]) == "Second"
    rename(backend, stuck["token"], "Third")  # the aggregate flows again
    assert name_of(backend, stuck["token"]) == "Third"
