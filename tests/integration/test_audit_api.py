"""The audit API: admins and auditors read an aggregate's events as stored and its past states;
an auditor's token opens nothing else, and nobody else's opens it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.api import bearer, data, error, signed_up, token_for
from tests.commerce import card, course_for_sale
from tests.conftest import Running, embedded_campus, services_campus


def renamed_learner(backend) -> str:
    """A learner who registered, then renamed themselves in a request with a known id."""
    tokens, _ = signed_up(backend.client)
    answer = backend.client.put(
        "/api/auth/user/profile",
        json={"name": "Ada Byron"},
        headers=bearer(tokens["token"]) | {"X-Request-ID": "rename-1"},
    )
    assert answer.status_code == 200, answer.text
    return tokens["userId"]


def audit(backend, token: str, path: str):
    return backend.client.get(f"/api/admin/audit/{path}", headers=bearer(token))


def test_an_auditor_reads_each_event_with_who_caused_it_and_its_request(backend):
    user_id = renamed_learner(backend)
    auditor = token_for(backend, "auditor")

    page = data(audit(backend, auditor, f"{user_id}/events"))

    assert (page["application"], page["total"]) == ("identity", 2)
    registered, renamed = page["events"]
    assert [registered["type"], renamed["type"]] == ["User.Registered", "User.ProfileUpdated"]
    assert [registered["version"], renamed["version"]] == [1, 2]
    assert (renamed["actorId"], renamed["correlationId"]) == (user_id, "rename-1")
    assert renamed["data"]["name"] == "Ada Byron"
    assert "passwordHash" not in registered["data"] and "password_hash" not in registered["data"]
    assert renamed["timestamp"].endswith("Z")


def test_the_events_come_in_pages(backend):
    user_id = renamed_learner(backend)
    admin = token_for(backend, "admin")

    second = data(audit(backend, admin, f"{user_id}/events?page=2&pageSize=1"))

    assert second["total"] == 2 and [e["version"] for e in second["events"]] == [2]


def test_the_state_at_a_version_or_a_moment_is_the_state_then(backend):
    user_id = renamed_learner(backend)
    auditor = token_for(backend, "auditor")
    first = data(audit(backend, auditor, f"{user_id}/events"))["events"][0]["timestamp"]

    at_one = data(audit(backend, auditor, f"{user_id}/state?at=1"))
    at_first = data(audit(backend, auditor, f"{user_id}/state?at={first}"))
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    at_now = data(audit(backend, auditor, f"{user_id}/state?at={now}"))

    assert (at_one["version"], at_one["state"]["name"]) == (1, "Ada Lovelace")
    assert at_first["version"] == 1
    assert (at_now["version"], at_now["state"]["name"]) == (2, "Ada Byron")
    assert "password_hash" not in at_now["state"] and "push_devices" not in at_now["state"]


def test_a_state_outside_the_history_is_a_400(backend):
    user_id = renamed_learner(backend)
    admin = token_for(backend, "admin")

    for at in ("3", "0", "1999-01-01T00:00:00Z", "yesterday"):
        error(audit(backend, admin, f"{user_id}/state?at={at}"), 400)


def test_an_aggregate_without_events_is_a_404(backend):
    error(
        audit(
            backend, token_for(backend, "auditor"), f"{'0' * 8}-0000-4000-8000-{'0' * 12}/events"
        ),
        404,
    )


def test_only_admins_and_auditors_read_the_audit(backend):
    user_id = renamed_learner(backend)
    for role in ("student", "instructor"):
        error(audit(backend, token_for(backend, role), f"{user_id}/events"), 403)
    error(backend.client.get(f"/api/admin/audit/{user_id}/events"), 401)


def test_an_auditors_token_opens_their_account_and_nothing_else(backend):
    auditor = token_for(backend, "auditor")
    client = backend.client

    assert client.get("/api/auth/user/profile", headers=bearer(auditor)).status_code == 200
    for path in ("/api/enrollments", "/api/user/dashboard", "/api/admin/users", "/api/payments"):
        error(client.get(path, headers=bearer(auditor)), 403)
    course = {"title": "T", "category": "C", "difficulty": "Beginner"}
    error(client.post("/api/admin/courses", json=course, headers=bearer(auditor)), 403)


@pytest.fixture(params=["embedded", "services"])
def notifying(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    """Campus with its sender running, which requests the notices that policies ask for."""
    if request.param == "embedded":
        with embedded_campus(tmp_path) as running:
            yield running
    else:
        with services_campus(tmp_path, notify=True) as running:
            yield running


def chain(backend, token: str, correlation_id: str, until: str) -> list[dict]:
    """The chain's events once one of type ``until`` is in it (policies run after the request)."""
    deadline = time.monotonic() + 20
    while True:
        events = data(audit(backend, token, f"correlation/{correlation_id}?pageSize=100"))["events"]
        if any(e["type"] == until for e in events) or time.monotonic() > deadline:
            return events
        time.sleep(0.25)


def test_a_checkout_chain_leads_from_the_request_to_the_receipt_it_caused(notifying):
    backend = notifying
    client, admin = backend.client, token_for(backend, "admin")
    course_id = course_for_sale(client, admin)
    student = token_for(backend, "student")
    body = {"courseId": course_id, "method": "card", "cardDetails": card()}
    paid = client.post(
        "/api/payments/initiate", json=body, headers=bearer(student) | {"X-Request-ID": "buy-1"}
    )
    assert paid.status_code == 201, paid.text

    events = chain(backend, token_for(backend, "auditor"), "buy-1", "Notification.Requested")

    by_type = {e["type"]: e for e in events}
    succeeded, receipt = by_type["Payment.Succeeded"], by_type["Notification.Requested"]
    assert succeeded["causationId"] == "command:InitiatePayment"
    assert receipt["causationId"] == f"event:{succeeded['application']}:{succeeded['position']}"
    assert (
        succeeded["actorId"]
        == data(client.get("/api/auth/user/profile", headers=bearer(student)))["userId"]
    )
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)


def test_an_unknown_chain_is_empty(backend):
    answer = data(audit(backend, token_for(backend, "admin"), "correlation/never-seen"))
    assert (answer["total"], answer["events"]) == (0, [])


def test_an_erased_learners_history_still_replays_without_their_personal_data(backend):
    user_id = renamed_learner(backend)
    admin = token_for(backend, "admin")
    erased = backend.client.delete(
        f"/api/admin/users/{user_id}/personal-data", headers=bearer(admin)
    )
    assert erased.status_code == 200, erased.text

    page = data(audit(backend, admin, f"{user_id}/events"))
    at_one = data(audit(backend, admin, f"{user_id}/state?at=1"))

    registered, renamed, forgotten = page["events"]
    assert forgotten["type"] == "User.PersonalDataErased"
    assert (registered["data"]["email"], registered["data"]["name"]) == (None, None)
    assert renamed["data"]["name"] is None and at_one["state"]["name"] is None
    assert at_one["state"]["role"] == "student"  # what is not personal stays readable
