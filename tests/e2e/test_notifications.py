"""Notifications end to end: policies request them, the sender delivers them over real SMTP
(and in-app), with retries and a final failure, as each user's preferences allow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api import admin_token, data
from tests.conftest import Running, embedded_campus, services_campus
from tests.learning import enroll, enrolled, learner, published_course
from tests.mail import MailServer, smtp_server, text_of
from tests.notifications import (
    choose_channels,
    choose_language,
    inbox,
    log_of,
    send,
    settled,
    steps,
    wait_for_log,
)

FAST_RETRIES = {"notification_attempts": 3, "notification_backoff_seconds": 0.01}


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture(params=["embedded", "services"])
def campus(request: pytest.FixtureRequest, tmp_path: Path, mail: MailServer) -> Iterator[Running]:
    """Campus on each backend, sending e-mail to ``mail``, with its sender running."""
    settings = mail.settings(**FAST_RETRIES)
    if request.param == "embedded":
        with embedded_campus(tmp_path, **settings) as running:
            yield running
    else:
        with services_campus(tmp_path, notify=True, **settings) as running:
            yield running


def test_enrolling_sends_a_real_email_and_an_in_app_notice(campus: Running, mail: MailServer):
    client = campus.client
    course = published_course(client, admin_token(campus), title="Kitchen Chemistry")
    student = enrolled(client, course.id, name="Grace Hopper")

    logs = wait_for_log(client, student.token, settled(kinds=2))  # payment, then welcome
    assert steps(logs)[("email", "sent")] == 2 and steps(logs)[("in_app", "sent")] == 2
    welcome = next(
        r.message
        for r in mail.wait_for(2)
        if r.message["Subject"] == "Welcome to Kitchen Chemistry"
    )
    assert "Grace Hopper" in welcome["To"]
    assert "you are enrolled in Kitchen Chemistry" in text_of(welcome)
    notices = inbox(client, student.token)["notifications"]
    assert {n["kind"] for n in notices} == {"enrollment_welcome", "payment_succeeded"}


def test_a_french_speaking_learner_gets_the_welcome_email_in_french(
    campus: Running, mail: MailServer
):
    client = campus.client
    course = published_course(client, admin_token(campus), title="Chimie en cuisine", price="49.99")
    student = learner(client, name="Marie Curie")
    choose_language(client, student.token, "fr")
    enroll(client, student, course.id)

    wait_for_log(client, student.token, settled(kinds=2))
    by_subject = {r.message["Subject"]: text_of(r.message) for r in mail.wait_for(2)}
    welcome = by_subject["Bienvenue dans Chimie en cuisine"]
    assert "Bonjour Marie Curie, votre inscription à Chimie en cuisine est confirmée." in welcome
    assert "49,99\u00a0NGN pour Chimie en cuisine" in by_subject["Paiement reçu"]


def test_a_yoruba_speaking_learner_reads_their_notices_in_yoruba(campus: Running, mail: MailServer):
    client = campus.client
    course = published_course(client, admin_token(campus), title="Ìṣirò", price="49.99")
    student = learner(client)
    choose_language(client, student.token, "yo")
    enroll(client, student, course.id)

    wait_for_log(client, student.token, settled(kinds=2))
    notices = {n["kind"]: n for n in inbox(client, student.token)["notifications"]}
    assert notices["enrollment_welcome"]["subject"] == "Ẹ káàbọ̀ sí Ìṣirò"
    assert "A ti gba ₦49.99 fún Ìṣirò" in notices["payment_succeeded"]["message"]


def test_an_admins_message_goes_out_as_typed_under_a_subject_in_the_users_language(
    campus: Running, mail: MailServer
):
    client = campus.client
    student = learner(client)
    choose_language(client, student.token, "fr")
    sent = send(client, admin_token(campus), student.user_id, "email", "Maintenance tonight")
    assert sent.status_code == 201, sent.text

    [received] = mail.wait_for(1)
    assert received.message["Subject"] == "Un message de Campus"
    assert text_of(received.message).strip() == "Maintenance tonight"


def test_every_delivery_step_is_in_the_log_with_its_time(campus: Running, mail: MailServer):
    client = campus.client
    course = published_course(client, admin_token(campus))
    student = enrolled(client, course.id)

    logs = wait_for_log(client, student.token, settled(kinds=2))
    emails = [entry for entry in logs if entry["type"] == "email"]
    assert {e["deliveryStatus"] for e in emails} == {"pending", "sent"}
    assert all(e["deliveredAt"] for e in emails if e["deliveryStatus"] == "sent")
    assert all(e["deliveredAt"] is None for e in emails if e["deliveryStatus"] == "pending")


def test_a_refusing_mail_server_is_retried_then_the_notification_fails(
    campus: Running, mail: MailServer
):
    mail.reject_with = "451 4.3.0 Mailbox busy, try again later"
    client = campus.client
    admin = admin_token(campus)
    student = learner(client)
    sent = send(client, admin, student.user_id, "email", "Maintenance tonight at 22:00")
    assert sent.status_code == 201, sent.text
    notification_id = data(sent)["notificationId"]

    logs = wait_for_log(
        client,
        admin,
        lambda logs: any(e["deliveryStatus"] == "failed" for e in logs),
        notificationId=notification_id,
    )
    assert [e["deliveryStatus"] for e in reversed(logs)] == [
        "pending",
        "attempt_failed",
        "attempt_failed",
        "attempt_failed",
        "failed",
    ]
    assert [e["attempt"] for e in reversed(logs)][1:4] == [1, 2, 3]
    assert "451" in logs[0]["error"]


def test_a_rejected_address_fails_at_once_without_retries(campus: Running, mail: MailServer):
    mail.reject_with = "550 5.1.1 No such user here"
    client = campus.client
    admin = admin_token(campus)
    student = learner(client)
    notification_id = data(send(client, admin, student.user_id, "email", "Hello"))["notificationId"]

    logs = wait_for_log(
        client,
        admin,
        lambda logs: any(e["deliveryStatus"] == "failed" for e in logs),
        notificationId=notification_id,
    )
    assert [e["deliveryStatus"] for e in reversed(logs)] == ["pending", "attempt_failed", "failed"]


def test_a_learner_who_turned_email_off_gets_only_in_app_notices(campus: Running, mail: MailServer):
    client = campus.client
    course = published_course(client, admin_token(campus))
    student = learner(client)
    choose_channels(client, student.token, "in_app")
    other = enrolled(client, course.id)  # e-mails the other learner, as a marker
    enroll(client, student, course.id)

    wait_for_log(client, student.token, settled(kinds=2, channels=("in_app",)))
    wait_for_log(client, other.token, settled(kinds=2))
    assert all(entry["type"] == "in_app" for entry in log_of(client, student.token))
    recipients = {r.rcpt_tos[0] for r in mail.wait_for(2)}
    assert len(mail.received) == 2 and len(recipients) == 1
