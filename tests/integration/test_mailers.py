"""The e-mail adapters: SmtpMailer against a real SMTP server (tests/mail.py), and the outbox.

What arrives, which failures are worth another attempt and which are not, and that the
outbox keeps one readable ``.eml`` per message.
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest

from commands.notifications.ports import DeliveryError, Email
from infra.notifications.email import OutboxMailer, SmtpMailer, open_mailer
from infra.settings import Settings
from tests.mail import smtp_server, text_of

WELCOME = Email("n-1", "ada@example.com", "Ada Lovelace", "Welcome to Campus", "Hello Ada.\n")
UNICODE = Email(
    "n-2",
    "chidi@example.com",
    "Chíòmá Ọkọ́",
    "Ẹ kú àbọ̀ — bienvenue à Campus",
    "Ẹ kú àbọ̀, Chíòmá!\nYour course “Análisis I” starts today.\n",
)


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **({"smtp_timeout_seconds": 2} | values))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that takes connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def failure(mailer: SmtpMailer | OutboxMailer, message: Email = WELCOME) -> DeliveryError:
    with pytest.raises(DeliveryError) as raised:
        mailer.send(message)
    return raised.value


def test_a_message_sent_over_smtp_arrives_with_its_sender_recipient_subject_and_body(tmp_path):
    with smtp_server() as server:
        SmtpMailer(settings(tmp_path, **server.settings())).send(WELCOME)
        [received] = server.wait_for(1)
    assert received.rcpt_tos == ["ada@example.com"]
    assert received.mail_from == "no-reply@campus.local"
    assert received.message["From"] == "Campus <no-reply@campus.local>"
    assert received.message["To"] == "Ada Lovelace <ada@example.com>"
    assert received.message["Subject"] == "Welcome to Campus"
    assert received.message["Message-ID"] == "<n-1@campus>"
    assert received.message["Date"].datetime is not None
    assert text_of(received.message) == "Hello Ada.\n"


def test_a_unicode_name_subject_and_body_arrive_intact(tmp_path):
    with smtp_server() as server:
        SmtpMailer(settings(tmp_path, **server.settings())).send(UNICODE)
        [received] = server.wait_for(1)
    assert received.message["To"].addresses[0].display_name == "Chíòmá Ọkọ́"
    assert received.message["Subject"] == UNICODE.subject
    assert received.message.get_content_charset() == "utf-8"
    assert text_of(received.message) == UNICODE.body


def test_the_sender_is_the_configured_mail_from(tmp_path):
    with smtp_server() as server:
        mail_from = "Campus Courses <courses@campus.example>"
        SmtpMailer(settings(tmp_path, **server.settings(mail_from=mail_from))).send(WELCOME)
        [received] = server.wait_for(1)
    assert received.mail_from == "courses@campus.example"
    assert received.message["From"] == mail_from


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_4xx_reply_is_a_transient_delivery_error(tmp_path, stage):
    with smtp_server(reject_with="451 4.3.0 Try again later", reject_at=stage) as server:
        error = failure(SmtpMailer(settings(tmp_path, **server.settings())))
    assert not error.permanent
    assert error.reason == "SMTP 451: 4.3.0 Try again later"


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_5xx_reply_is_a_permanent_delivery_error(tmp_path, stage):
    with smtp_server(reject_with="550 5.1.1 No such user", reject_at=stage) as server:
        error = failure(SmtpMailer(settings(tmp_path, **server.settings())))
    assert error.permanent
    assert error.reason == "SMTP 550: 5.1.1 No such user"


def test_a_reply_quoting_the_recipient_keeps_their_address_out_of_the_reason(tmp_path):
    refusal = "550 5.1.1 <ADA@example.com>: Recipient address rejected"
    with smtp_server(reject_with=refusal, reject_at="RCPT") as server:
        error = failure(SmtpMailer(settings(tmp_path, **server.settings())))
    assert error.reason == "SMTP 550: 5.1.1 <<recipient>>: Recipient address rejected"


def test_the_outbox_forgets_what_it_kept_for_an_address(tmp_path):
    mailer = OutboxMailer(tmp_path)
    mailer.send(WELCOME)
    mailer.send(UNICODE)
    mailer.forget("ADA@example.com")
    assert sorted(p.name for p in tmp_path.glob("*.eml")) == ["n-2.eml"]


def test_nothing_listening_is_a_transient_delivery_error_naming_the_server(tmp_path):
    port = free_port()
    error = failure(SmtpMailer(settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port)))
    assert not error.permanent
    assert error.reason == f"connection refused by 127.0.0.1:{port}"


def test_a_server_that_never_greets_is_a_transient_timeout(tmp_path, silent_port):
    values = {"smtp_host": "127.0.0.1", "smtp_port": silent_port, "smtp_timeout_seconds": 0.2}
    error = failure(SmtpMailer(settings(tmp_path, **values)))
    assert not error.permanent
    assert error.reason == f"no answer from 127.0.0.1:{silent_port} within 0.2s"


def test_a_configured_login_is_used(tmp_path):
    with smtp_server(users={"campus": "s3cret-pass"}) as server:
        login = server.settings(smtp_username="campus", smtp_password="s3cret-pass")
        SmtpMailer(settings(tmp_path, **login)).send(WELCOME)
        assert len(server.wait_for(1)) == 1


def test_a_refused_login_is_permanent_and_its_reason_hides_the_password(tmp_path):
    with smtp_server(users={"campus": "s3cret-pass"}) as server:
        login = server.settings(smtp_username="campus", smtp_password="wrong-pass")
        error = failure(SmtpMailer(settings(tmp_path, **login)))
    assert error.permanent
    assert error.reason.startswith("SMTP 535:")
    assert "wrong-pass" not in error.reason and "wrong-pass" not in repr(error.__cause__)


def test_the_outbox_writes_a_parseable_eml_with_the_same_headers(tmp_path):
    OutboxMailer(tmp_path / "outbox").send(UNICODE)
    [written] = (tmp_path / "outbox").iterdir()
    message = email.message_from_bytes(written.read_bytes(), policy=default)
    assert written.name == "n-2.eml"
    assert message["From"] == "Campus <no-reply@campus.local>"
    assert message["To"].addresses[0].display_name == "Chíòmá Ọkọ́"
    assert message["To"].addresses[0].addr_spec == "chidi@example.com"
    assert message["Subject"] == UNICODE.subject
    assert message["Message-ID"] == "<n-2@campus>"
    assert text_of(message) == UNICODE.body


def test_resending_a_message_to_the_outbox_overwrites_its_one_file(tmp_path):
    outbox = OutboxMailer(tmp_path)
    outbox.send(WELCOME)
    outbox.send(WELCOME)
    assert [path.name for path in tmp_path.iterdir()] == ["n-1.eml"]


def test_an_id_cannot_write_outside_the_outbox(tmp_path):
    OutboxMailer(tmp_path / "outbox").send(Email("../escape", "a@example.com", "A", "S", "B"))
    assert [path.name for path in (tmp_path / "outbox").iterdir()] == [".._escape.eml"]


def test_open_mailer_picks_smtp_when_a_host_is_set(tmp_path):
    mailer = open_mailer(settings(tmp_path, smtp_host="smtp.example", smtp_port=587))
    assert isinstance(mailer, SmtpMailer)


def test_open_mailer_picks_the_outbox_under_data_dir_without_a_host(tmp_path):
    mailer = open_mailer(settings(tmp_path, mail_from="Campus <hi@campus.example>"))
    mailer.send(WELCOME)
    written = tmp_path / "outbox" / "email" / "n-1.eml"
    assert isinstance(mailer, OutboxMailer)
    assert email.message_from_bytes(written.read_bytes(), policy=default)["From"] == (
        "Campus <hi@campus.example>"
    )
