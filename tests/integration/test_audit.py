"""Auditors replay an aggregate's history: each event with who and which request, past states."""

from __future__ import annotations

import threading
import time
from uuid import UUID

from rich.console import Console
from typer.testing import CliRunner

from infra.eventstore import audit
from tests.api import bearer, signed_up, token_for
from tests.courses import create_course


def test_the_history_shows_each_event_with_its_actor_and_correlation_id(embedded):
    tokens, _ = signed_up(embedded.client)
    embedded.client.put(
        "/api/auth/user/profile",
        json={"name": "Ada Byron"},
        headers=bearer(tokens["token"]) | {"X-Request-ID": "rename-1"},
    )
    user_id = UUID(tokens["userId"])
    entries = audit.history(embedded.campus.identity, user_id)
    assert [e.event_type for e in entries] == ["User.Registered", "User.ProfileUpdated"]
    assert (entries[1].actor_id, entries[1].correlation_id) == (tokens["userId"], "rename-1")
    assert "password_hash" not in entries[0].data


def test_the_state_as_of_an_earlier_version_is_the_state_then(embedded):
    tokens, _ = signed_up(embedded.client)
    embedded.client.put(
        "/api/auth/user/profile", json={"name": "Ada Byron"}, headers=bearer(tokens["token"])
    )
    user_id = UUID(tokens["userId"])
    assert audit.state_at(embedded.campus.identity, user_id, 1)["name"] == "Ada Lovelace"
    assert audit.state_at(embedded.campus.identity, user_id, 2)["name"] == "Ada Byron"
    first = audit.history(embedded.campus.identity, user_id)[0].timestamp
    assert (
        audit.version_at(audit.history(embedded.campus.identity, user_id), first.isoformat()) == 1
    )


def test_the_audit_command_prints_the_history_without_secrets(embedded, monkeypatch):
    tokens, _ = signed_up(embedded.client)
    monkeypatch.setattr("ops.cli.start", lambda settings=None: embedded.campus)
    monkeypatch.setattr(embedded.campus, "close", lambda: None)
    monkeypatch.setattr("ops.cli.console", Console(width=300))  # rows on one line each
    from ops.cli import cli

    result = CliRunner().invoke(cli, ["audit", "history", tokens["userId"]], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "User.Registered" in result.output and "argon2" not in result.output
    state = CliRunner().invoke(
        cli, ["audit", "state", tokens["userId"], "--at", "1"], env={"COLUMNS": "300"}
    )
    assert "Ada Lovelace" in state.output and "argon2" not in state.output


def test_a_course_history_includes_its_media_uploads(embedded):
    teacher = token_for(embedded, "instructor")
    course_id, _ = create_course(embedded.client, teacher)
    embedded.client.post(
        f"/api/courses/{course_id}/media",
        headers=bearer(teacher),
        files={"file": ("a.pdf", b"%PDF-1.4 x", "application/pdf")},
    )
    kinds = [
        e.event_type
        for e in audit.history_with_parts(embedded.campus.apps["catalog"], UUID(course_id))
    ]
    assert kinds[0] == "Course.Created" and "MediaLibrary.MediaAdded" in kinds


def test_an_admin_made_by_the_cli_is_one_chain_of_its_own(embedded, monkeypatch):
    monkeypatch.setattr("ops.cli.start", lambda settings=None: embedded.campus)
    monkeypatch.setattr(embedded.campus, "close", lambda: None)
    from ops.cli import cli

    made = CliRunner().invoke(
        cli, ["users", "create-admin", "root@example.com", "--password", "correct horse battery"]
    )
    assert made.exit_code == 0, made.output
    user_id = UUID(made.output.strip().rsplit(" ", 1)[-1])
    [registered] = audit.history(embedded.campus.identity, user_id)
    assert registered.correlation_id.startswith("cli-")
    assert registered.causation_id == "command:RegisterUser"


def test_each_scheduler_turn_is_one_chain_of_its_own(embedded, monkeypatch):
    from infra import context
    from ops.workers import scheduler

    seen: list[str | None] = []
    monkeypatch.setattr(
        embedded.campus.bus, "handle", lambda command: seen.append(context.correlation_id.get())
    )
    stop = threading.Event()
    turn = threading.Thread(target=scheduler.run_schedule, args=(embedded.campus, stop))
    turn.start()
    while len(seen) < 2:
        time.sleep(0.01)
    stop.set()
    turn.join()
    assert all(c and c.startswith("schedule-") for c in seen) and len(set(seen)) == len(seen)
