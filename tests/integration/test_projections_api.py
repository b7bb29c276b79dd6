"""Operators see and mend projections over HTTP, while Campus serves."""

from __future__ import annotations

import time

from projections.users import UsersProjection
from tests.api import admin_token, bearer, data, error, signed_up
from tests.integration.test_parked_events import eventually, name_of, rename


def projections(running, admin: str) -> dict:
    listed = data(running.client.get("/api/admin/projections", headers=bearer(admin)))
    return {p["name"]: p for p in listed}


def test_an_admin_sees_every_projection_with_its_lag_and_parked_count(embedded):
    admin = admin_token(embedded)
    by_name = projections(embedded, admin)
    assert {"users", "catalog", "analytics"} <= set(by_name)
    users = by_name["users"]
    assert users["parked"] == 0
    assert {a["application"] for a in users["applications"]} >= {"identity", "learning"}


def test_a_learner_may_not_see_or_rebuild_projections(embedded):
    learner = signed_up(embedded.client)[0]["token"]
    error(embedded.client.get("/api/admin/projections", headers=bearer(learner)), 403)
    answer = embedded.client.post("/api/admin/projections/users/rebuild", headers=bearer(learner))
    error(answer, 403)


def test_a_rebuild_runs_as_a_job_whose_progress_can_be_polled(embedded):
    admin = admin_token(embedded)
    for _ in range(5):
        signed_up(embedded.client)
    started = embedded.client.post("/api/admin/projections/users/rebuild", headers=bearer(admin))
    assert started.status_code == 202
    job = data(started)["jobId"]
    deadline = time.monotonic() + 60
    while (
        view := data(
            embedded.client.get(f"/api/admin/projections/jobs/{job}", headers=bearer(admin))
        )
    )["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert view["status"] == "done" and view["eventsDone"] >= 6
    assert len(data(embedded.client.get("/api/admin/users", headers=bearer(admin)))["users"]) >= 6


def test_an_unknown_projection_is_a_404(embedded):
    admin = admin_token(embedded)
    error(embedded.client.post("/api/admin/projections/nope/rebuild", headers=bearer(admin)), 404)
    parked = embedded.client.get(
        "/api/admin/projections/parked?projection=nope", headers=bearer(admin)
    )
    error(parked, 404)


def test_parked_events_are_retried_over_http(embedded, monkeypatch):
    admin = admin_token(embedded)
    stuck, _ = signed_up(embedded.client)
    assert name_of(embedded, stuck["token"]) == "Ada Lovelace"
    process = UsersProjection.process

    def failing(self, events, conn):
        if any(e.aggregate_id == stuck["userId"] for e in events):
            raise ValueError("not yet")
        return process(self, events, conn)

    monkeypatch.setattr(UsersProjection, "process", failing)
    rename(embedded, stuck["token"], "Retried")
    eventually(lambda: projections(embedded, admin)["users"]["parked"] == 1)
    listed = data(
        embedded.client.get("/api/admin/projections/parked?projection=users", headers=bearer(admin))
    )
    assert [(p["aggregateId"], p["eventType"]) for p in listed] == [
        (stuck["userId"], "User.ProfileUpdated")
    ]
    monkeypatch.setattr(UsersProjection, "process", process)
    retried = data(
        embedded.client.post(
            "/api/admin/projections/users/retry",
            params={"aggregateId": stuck["userId"]},
            headers=bearer(admin),
        )
    )
    assert (retried["applied"], retried["stillParked"]) == (1, 0)
    assert name_of(embedded, stuck["token"]) == "Retried"
