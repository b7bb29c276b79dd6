"""Helpers for notification tests: wait for the sender, read a user's log and inbox.

Notifications are delivered by the sender after the write that caused them has answered, so
a test waits until the log shows what it expects (or a deadline passes, and the test fails
with what the log held then).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.api import bearer, data

Logs = list[dict[str, Any]]


def log_of(client: TestClient, token: str, **params: str) -> Logs:
    answer = client.get("/api/notifications/log", params=params, headers=bearer(token))
    if answer.status_code == 404:
        return []
    assert answer.status_code == 200, answer.text
    return data(answer)["logs"]


def wait_for_log(
    client: TestClient,
    token: str,
    done: Callable[[Logs], bool],
    timeout: float = 30.0,
    **params: str,
) -> Logs:
    deadline = time.monotonic() + timeout
    while True:
        logs = log_of(client, token, **params)
        if done(logs):
            return logs
        if time.monotonic() > deadline:
            raise AssertionError(f"the log never got there: {steps(logs)}")
        time.sleep(0.1)


def steps(logs: Logs) -> Counter[tuple[str, str]]:
    """(channel, delivery status) -> how many log rows say so."""
    return Counter((entry["type"], entry["deliveryStatus"]) for entry in logs)


def settled(kinds: int, channels: tuple[str, ...] = ("email", "in_app")) -> Callable[[Logs], bool]:
    """True once ``kinds`` notices went out, delivered or failed, on each of ``channels``."""

    def check(logs: Logs) -> bool:
        counts = steps(logs)
        return all(counts[(c, "sent")] + counts[(c, "failed")] >= kinds for c in channels)

    return check


def inbox(
    client: TestClient, token: str, after: Response | None = None, **params: str
) -> dict[str, Any]:
    """The user's inbox, as it stands once the write ``after`` answered is projected."""
    written = after.headers.get("X-Consistency-Token") if after is not None else None
    answer = client.get("/api/notifications", params=params, headers=bearer(token, written))
    assert answer.status_code == 200, answer.text
    return data(answer)


def send(client: TestClient, admin: str, user_id: str, kind: str, message: str, **fields: Any):
    body = {"userId": user_id, "type": kind, "message": message} | fields
    return client.post("/api/notifications/send", json=body, headers=bearer(admin))


def choose_channels(client: TestClient, token: str, *channels: str) -> None:
    """The user keeps only ``channels`` in their notification preferences."""
    chose = client.put(
        "/api/user/preferences",
        json={"notificationChannels": list(channels)},
        headers=bearer(token),
    )
    assert chose.status_code == 200, chose.text


def choose_language(client: TestClient, token: str, language: str) -> None:
    """The user reads their notices in ``language`` (a language tag)."""
    chose = client.put("/api/user/preferences", json={"language": language}, headers=bearer(token))
    assert chose.status_code == 200, chose.text


def notices(client: TestClient, token: str, ready: Callable[[Logs], bool]) -> Logs:
    """The user's in-app notices, once ``ready`` says they are all there."""
    deadline = time.monotonic() + 30
    while not ready(found := inbox(client, token, pageSize="100")["notifications"]):
        assert time.monotonic() < deadline, [n["kind"] for n in found]
        time.sleep(0.1)
    return found


def kinds(*wanted: str) -> Callable[[Logs], bool]:
    return lambda found: set(wanted) <= {n["kind"] for n in found}
