"""Push notifications end to end: a learner registers a device, and what is pushed to them
reaches Firebase Cloud Messaging (a local FCM that speaks the HTTP v1 API)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api import admin_token, bearer, data, error
from tests.commerce import pay
from tests.conftest import Running, embedded_campus
from tests.fcm import Fcm, serving_fcm
from tests.learning import Learner, learner, published_course
from tests.notifications import choose_channels, send, settled, wait_for_log

PHONE = "fcm-device-token-phone"
TABLET = "fcm-device-token-tablet"


@pytest.fixture
def fcm() -> Iterator[Fcm]:
    with serving_fcm() as server:
        yield server


@pytest.fixture
def campus(tmp_path: Path, fcm: Fcm) -> Iterator[Running]:
    settings = fcm.settings(tmp_path, notification_attempts=3, notification_backoff_seconds=0.01)
    with embedded_campus(tmp_path, **settings) as running:
        yield running


def push_user(running: Running, *devices: str) -> Learner:
    """A learner who chose push and registered ``devices``."""
    client = running.client
    student = learner(client)
    choose_channels(client, student.token, "in_app", "push")
    for token in devices:
        registered = client.post(
            "/api/notifications/devices", json={"token": token}, headers=bearer(student.token)
        )
        assert registered.status_code == 201, registered.text
    return student


def outcome(running: Running, admin: str, notification_id: str) -> str:
    logs = wait_for_log(
        running.client,
        admin,
        lambda logs: any(e["deliveryStatus"] in ("sent", "failed") for e in logs),
        notificationId=notification_id,
    )
    return logs[0]["deliveryStatus"]


def test_a_push_reaches_every_registered_device(campus: Running, fcm: Fcm):
    admin = admin_token(campus)
    student = push_user(campus, PHONE, TABLET)

    sent = send(campus.client, admin, student.user_id, "push", "Live session in 10 minutes")
    notification_id = data(sent)["notificationId"]

    assert outcome(campus, admin, notification_id) == "sent"
    assert {m["token"] for m in fcm.messages} == {PHONE, TABLET}
    message = fcm.messages[0]
    assert message["notification"]["body"] == "Live session in 10 minutes"
    assert message["data"]["notificationId"] == notification_id


def test_a_push_that_fcm_cannot_take_now_is_retried(campus: Running, fcm: Fcm):
    admin = admin_token(campus)
    student = push_user(campus, PHONE)
    fcm.outage = 2  # two 503s, then FCM is back

    notification_id = data(send(campus.client, admin, student.user_id, "push", "Hi"))[
        "notificationId"
    ]

    assert outcome(campus, admin, notification_id) == "sent"
    assert [m["token"] for m in fcm.messages] == [PHONE]


def test_an_unregistered_device_fails_the_push_and_is_forgotten(campus: Running, fcm: Fcm):
    client, admin = campus.client, admin_token(campus)
    student = push_user(campus, PHONE)
    fcm.unregistered.add(PHONE)

    notification_id = data(send(client, admin, student.user_id, "push", "Hi"))["notificationId"]

    assert outcome(campus, admin, notification_id) == "failed"
    assert fcm.messages == []
    # The dead device is gone: there is nothing left to push to.
    error(send(client, admin, student.user_id, "push", "Again"), 409)


def test_a_removed_device_is_not_pushed_to(campus: Running, fcm: Fcm):
    client, admin = campus.client, admin_token(campus)
    student = push_user(campus, PHONE, TABLET)
    removed = client.post(
        "/api/notifications/devices/remove", json={"token": TABLET}, headers=bearer(student.token)
    )
    assert removed.status_code == 200, removed.text

    notification_id = data(send(client, admin, student.user_id, "push", "Hi"))["notificationId"]

    assert outcome(campus, admin, notification_id) == "sent"
    assert [m["token"] for m in fcm.messages] == [PHONE]


def test_policy_notices_are_pushed_only_to_learners_who_chose_push(campus: Running, fcm: Fcm):
    client = campus.client
    course = published_course(client, admin_token(campus), title="Field Recording")
    student = push_user(campus, PHONE)
    other = learner(client)  # kept the default channels: e-mail and in-app
    for who in (student, other):
        assert pay(client, who.token, course.id).status_code == 201

    for who in (student, other):
        wait_for_log(client, who.token, settled(kinds=1, channels=("in_app",)))
    wait_for_log(client, student.token, settled(kinds=1, channels=("push",)))
    [pushed] = fcm.messages
    assert pushed["token"] == PHONE
    assert pushed["notification"]["title"] == "Payment received"
    assert "Field Recording" in pushed["notification"]["body"]


def test_a_device_registered_by_another_user_reaches_only_them(campus: Running, fcm: Fcm):
    admin = admin_token(campus)
    first = push_user(campus, PHONE, TABLET)
    second = push_user(campus, PHONE)  # someone else signed in on that phone

    to_first = data(send(campus.client, admin, first.user_id, "push", "For the first"))
    to_second = data(send(campus.client, admin, second.user_id, "push", "For the second"))

    assert outcome(campus, admin, to_first["notificationId"]) == "sent"
    assert outcome(campus, admin, to_second["notificationId"]) == "sent"
    reached = {(m["token"], m["notification"]["body"]) for m in fcm.messages}
    assert reached == {(TABLET, "For the first"), (PHONE, "For the second")}
