"""The push senders: FCM HTTP v1 against a local fake of FCM and Google's token endpoint
(tests/fcm.py), and the outbox the embedded default writes to.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import pytest

from commands.notifications.ports import DeliveryError, Push
from infra.notifications.push import FcmPushSender, OutboxPushSender, open_push_sender
from infra.settings import Settings
from tests.fcm import Fcm, serving_fcm

PUSH = Push("n-1", "device-1", "New lesson", "Graphs, part 2", {"courseId": "c-42"})


@pytest.fixture
def fcm() -> Iterator[Fcm]:
    with serving_fcm() as fcm:
        yield fcm


def settings(tmp_path: Path, fcm: Fcm, **overrides: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **fcm.settings(tmp_path, **overrides))


@pytest.fixture
def sender(tmp_path: Path, fcm: Fcm) -> Iterator[FcmPushSender]:
    sender = FcmPushSender(settings(tmp_path, fcm))
    yield sender
    sender.close()


def refusal(sender: FcmPushSender, push: Push = PUSH) -> DeliveryError:
    with pytest.raises(DeliveryError) as refused:
        sender.send(push)
    return refused.value


def test_a_push_reaches_fcm_with_its_title_body_data_and_a_token_from_the_jwt_flow(fcm, sender):
    sender.send(PUSH)

    assert fcm.messages == [
        {
            "token": "device-1",
            "notification": {"title": "New lesson", "body": "Graphs, part 2"},
            "data": {"courseId": "c-42"},
        }
    ]
    assert fcm.bearers[0].startswith("ya29.")
    assert fcm.token_requests == 1


def test_the_access_token_is_fetched_once_for_many_sends_from_many_threads(fcm, sender):
    pushes = [Push(f"n-{n}", f"device-{n}", "Hi", "There") for n in range(24)]

    with ThreadPoolExecutor(max_workers=4) as pool:  # within the fake's listen backlog of 5
        list(pool.map(sender.send, pushes))

    assert len(fcm.messages) == 24
    assert fcm.token_requests == 1
    assert len(set(fcm.bearers)) == 1


def test_an_access_token_about_to_expire_is_fetched_again(fcm, sender):
    fcm.expires_in = 30  # within the minute before expiry in which it is replaced

    sender.send(PUSH)
    sender.send(PUSH)

    assert fcm.token_requests == 2
    assert fcm.bearers[0] != fcm.bearers[1]


def test_an_unregistered_device_is_a_permanent_delivery_error(fcm, sender):
    fcm.unregistered.add("device-1")

    error = refusal(sender)

    assert (error.reason, error.permanent) == ("device not registered", True)
    assert fcm.messages == []


def test_a_503_is_a_transient_delivery_error_and_the_next_try_gets_through(fcm, sender):
    fcm.outage = 1

    error = refusal(sender)
    sender.send(PUSH)

    assert not error.permanent
    assert "503 UNAVAILABLE" in error.reason
    assert len(fcm.messages) == 1


def test_a_refused_access_token_is_replaced_once_and_the_send_succeeds(fcm, sender):
    sender.send(PUSH)
    fcm.expire_tokens()

    sender.send(PUSH)

    assert fcm.token_requests == 2
    assert len(fcm.messages) == 2
    assert fcm.bearers[0] != fcm.bearers[1]


def test_a_send_refused_even_with_a_fresh_token_is_transient_and_names_no_token(fcm, sender):
    fcm.refusing = True

    error = refusal(sender)

    assert not error.permanent
    assert "401 UNAUTHENTICATED" in error.reason
    assert fcm.token_requests == 2
    assert not any(token in error.reason for token in fcm.access_tokens)


def test_a_token_endpoint_refusing_the_key_is_transient_and_says_why(fcm, sender):
    key = fcm.service_account()["private_key"]
    fcm.rotate_key()

    error = refusal(sender)

    assert not error.permanent
    assert "invalid_grant Invalid JWT Signature." in error.reason
    assert fcm.client_email in error.reason
    assert "PRIVATE KEY" not in error.reason and key not in error.reason


def test_an_unreachable_fcm_is_transient(tmp_path, fcm):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{closed.getsockname()[1]}"
    sender = FcmPushSender(settings(tmp_path, fcm, fcm_base_url=unreachable))

    error = refusal(sender)
    sender.close()

    assert not error.permanent
    assert error.reason.startswith("FCM unreachable: ConnectError")


def test_a_project_without_a_readable_key_file_fails_at_startup(tmp_path, fcm):
    missing = tmp_path / "nowhere.json"
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"client_email": "x", "private_key": "-----BEGIN PRIVATE KEY-----"}')

    for key_file in (None, missing, garbled):
        configured = settings(tmp_path, fcm, fcm_credentials_file=key_file)
        with pytest.raises(ValueError, match="CAMPUS_FCM_CREDENTIALS_FILE"):
            FcmPushSender(configured)


def test_the_outbox_writes_each_push_as_json_named_after_message_and_device(tmp_path):
    outbox = OutboxPushSender(tmp_path / "push")

    outbox.send(PUSH)
    outbox.send(Push("n-1", "device-2", "New lesson", "Graphs, part 2"))

    files = sorted((tmp_path / "push").iterdir())
    assert len(files) == 2
    assert all(re.fullmatch(r"n-1-[0-9a-f]{12}\.json", file.name) for file in files)
    assert asdict(PUSH) in [json.loads(file.read_text()) for file in files]


def test_the_outbox_forgets_what_it_kept_for_a_device(tmp_path):
    outbox = OutboxPushSender(tmp_path / "push")
    outbox.send(PUSH)
    outbox.send(Push("n-1", "device-2", "New lesson", "Graphs, part 2"))

    outbox.forget(PUSH.token)

    [kept] = (tmp_path / "push").iterdir()
    assert json.loads(kept.read_text())["token"] == "device-2"


def test_open_push_sender_picks_fcm_when_a_project_is_set_else_the_outbox(tmp_path, fcm):
    assert isinstance(open_push_sender(settings(tmp_path, fcm)), FcmPushSender)
    embedded = open_push_sender(Settings(_env_file=None, data_dir=tmp_path))

    assert isinstance(embedded, OutboxPushSender)
    assert embedded.folder == tmp_path / "outbox" / "push"
