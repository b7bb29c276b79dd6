"""A real SMTP server (aiosmtpd) on a loopback ephemeral port for the length of a test.

``smtp_server()`` yields a ``MailServer`` whose ``settings()`` point Campus at it and whose
``wait_for(n)`` returns the first ``n`` messages it received, parsed, with their envelopes.
``reject_with="451 4.3.0 Try again later"`` (or a 5xx) makes it refuse every message with that
reply, at ``RCPT`` (the default) or at ``DATA``; ``users`` makes it ask for a login (AUTH PLAIN
or LOGIN, allowed without TLS here).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]


class MailServer:
    """What the server was sent, and how it answers."""

    def __init__(self, reject_with: str | None, reject_at: Literal["RCPT", "DATA"]) -> None:
        self.host, self.port = "127.0.0.1", 0
        self.reject_with, self.reject_at = reject_with, reject_at
        self.received: list[Received] = []
        self.arrived = threading.Condition()

    def settings(self, **overrides: object) -> dict[str, object]:
        """Campus settings that send e-mail here."""
        return {"smtp_host": self.host, "smtp_port": self.port} | overrides

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"{len(self.received)} of {count} messages arrived")
            return list(self.received[:count])

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.reject_with and self.reject_at == "RCPT":
            return self.reject_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reject_with and self.reject_at == "DATA":
            return self.reject_with
        message = message_from_bytes(envelope.original_content, policy=default)
        with self.arrived:
            self.received.append(Received(message, envelope.mail_from, list(envelope.rcpt_tos)))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class EphemeralController(Controller):
    def _trigger_server(self) -> None:
        # Bound to port 0, the server has the port the OS gave it: learn it before calling it.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(
    reject_with: str | None = None,
    reject_at: Literal["RCPT", "DATA"] = "RCPT",
    users: dict[str, str] | None = None,
) -> Iterator[MailServer]:
    """Serve SMTP on 127.0.0.1, on a port of the OS's choosing, until the block ends."""
    mail = MailServer(reject_with, reject_at)
    login = {"authenticator": Authenticator(users), "auth_require_tls": False} if users else {}
    controller = EphemeralController(
        mail, hostname=mail.host, port=0, server_hostname="mail.test", enable_SMTPUTF8=True, **login
    )
    controller.start()
    mail.port = controller.port
    try:
        yield mail
    finally:
        controller.stop()


class Authenticator:
    def __init__(self, users: dict[str, str]) -> None:
        self.users = users

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        return AuthResult(success=self.users.get(login) == password, handled=False)


def text_of(message: EmailMessage) -> str:
    """The plain-text body, with the line ends it had before it went over the wire."""
    return message.get_content().replace("\r\n", "\n")
