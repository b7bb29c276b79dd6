"""Projections apply each event exactly once, and a rebuild equals the live read model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from infra.eventstore.publishing import read_published
from projections.rebuild import rebuild
from projections.tracking import load_positions, tracking
from projections.users import user_accounts, users
from tests.api import admin_token, bearer, data, signed_up
from tests.conftest import Running, embedded_campus, services_campus
from tests.courses import create_course


def snapshot(running) -> dict[str, list[tuple]]:
    with running.campus.read_engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (users, user_accounts)
        }


def settle(running, written: str) -> None:
    """Wait until the read model has everything the last write produced."""
    wanted = dict(part.split(":") for part in written.split(","))
    runner = running.campus.runner()
    deadline = time.monotonic() + 10
    while any(runner.applied_through(app) < int(pos) for app, pos in wanted.items()):
        assert time.monotonic() < deadline, "projection did not catch up"
        time.sleep(0.01)


def some_history(running) -> str:
    client, token = running.client, admin_token(running)
    people = [signed_up(client)[0] for _ in range(4)]
    client.put(
        "/api/auth/user/profile", headers=bearer(people[0]["token"]), json={"name": "Renamed"}
    )
    client.put(
        f"/api/admin/users/{people[1]['userId']}/role",
        headers=bearer(token),
        json={"role": "instructor"},
    )
    last = client.post(f"/api/admin/users/{people[2]['userId']}/block", headers=bearer(token))
    return last.headers["X-Consistency-Token"]


def test_replaying_every_event_again_changes_nothing(backend):
    settle(backend, some_history(backend))
    before = snapshot(backend)
    runner = backend.campus.runner()
    for app in backend.campus.apps.values():
        runner.apply([(0, e) for e in read_published(app, 0, 10_000)])
    assert snapshot(backend) == before


def test_a_rebuild_equals_the_live_read_model(backend):
    settle(backend, some_history(backend))
    live = snapshot(backend)
    replayed = rebuild(backend.campus.runner(), list(backend.campus.apps.values()))
    assert replayed >= 10
    assert snapshot(backend) == live


def test_the_rebuild_command_reports_progress_and_keeps_partition_positions(backend, monkeypatch):
    settle(backend, some_history(backend))
    live = snapshot(backend)
    with backend.campus.read_engine.connect() as conn:
        positions_before = {(r.application, r.partition) for r in conn.execute(select(tracking))}
    monkeypatch.setattr("ops.projections_cli.start", lambda settings=None: backend.campus)
    monkeypatch.setattr(backend.campus, "close", lambda: None)
    from ops.cli import cli

    result = CliRunner().invoke(cli, ["projections", "rebuild", "users"])
    assert result.exit_code == 0, result.output
    assert "rebuilt users" in result.output and "events" in result.output
    assert snapshot(backend) == live
    with backend.campus.read_engine.connect() as conn:
        positions_after = {(r.application, r.partition) for r in conn.execute(select(tracking))}
    assert positions_after == positions_before


@pytest.fixture(params=["embedded", "services"])
def unlimited(request: pytest.FixtureRequest, tmp_path) -> Iterator[Running]:
    """Either backend, with no rate limit: the test reads as fast as it can."""
    factory = embedded_campus if request.param == "embedded" else services_campus
    with factory(tmp_path, rate_limit_per_minute=10**6) as running:
        yield running


def test_reads_during_a_rebuild_never_fail_and_never_go_backwards(unlimited):
    backend = unlimited
    client, admin = backend.client, admin_token(backend)
    courses = [create_course(client, admin, status="published")[0] for _ in range(12)]
    settle(backend, some_history(backend))
    live = snapshot(backend)
    users_before = data(client.get("/api/admin/users?pageSize=100", headers=bearer(admin)))
    apps = list(backend.campus.apps.values())
    rebuilding = threading.Thread(
        target=rebuild, args=(backend.campus.runner(), apps), kwargs={"batch_size": 3}
    )
    reads = 0
    rebuilding.start()
    while rebuilding.is_alive() or reads == 0:
        listed = client.get("/api/admin/users?pageSize=100", headers=bearer(admin))
        assert listed.status_code == 200, listed.text
        assert data(listed)["total"] == users_before["total"]  # never fewer, never empty
        course_id = courses[reads % len(courses)]
        shown = client.get(f"/api/courses/{course_id}/structure", headers=bearer(admin))
        assert shown.status_code == 200, shown.text
        assert data(shown)["modules"], "a course read during the rebuild lost its structure"
        reads += 1
    rebuilding.join()
    assert reads >= 2
    assert snapshot(backend) == live
    searched = client.get("/api/courses/catalog/list?q=introduction%20pyth&pageSize=100")
    assert {c["courseId"] for c in data(searched)["courses"]} >= set(courses)  # index kept up


def test_a_projector_joining_its_partitions_waits_for_a_rebuild_to_hand_over(backend):
    """A projector that (re)joins its Kafka group tracks its partitions: a row added while a
    rebuild swaps its positions in would collide with the copy's and fail the rebuild."""
    runner = backend.campus.runner("users")
    joining = threading.Thread(target=runner.ensure_partitions, args=(["identity"], [0, 7]))
    with runner.held():  # as the rebuild holds it while it swaps in
        joining.start()
        joining.join(timeout=0.5)
        assert joining.is_alive()
    joining.join(timeout=10)
    assert not joining.is_alive()
    with backend.campus.read_engine.connect() as conn:
        assert ("users", "identity", 7) in load_positions(conn, ["users"])
