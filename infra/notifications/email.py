"""E-mail: an SMTP server (SmtpMailer) when ``smtp_host`` is set, else a folder of ``.eml``
files (OutboxMailer, development only: no server needed; open a file in any mail client).

Both write the same message, built by ``compose``: From ``mail_from``, To the learner,
Message-ID ``<{message_id}@campus>`` (one id however often a notification is attempted), and a
plain-text UTF-8 body.

What SmtpMailer makes of failures, as ``DeliveryError`` (permanent ones are not tried again):

* a refused, timed-out, dropped or otherwise broken connection: transient;
* a 4xx reply (to the greeting, MAIL, RCPT, DATA or AUTH): transient;
* a 5xx reply, a refused login, or a server lacking STARTTLS or AUTH: permanent.

Reasons are one short line ("SMTP 550: 5.1.1 No such user", "connection refused by
smtp.example:25") and never carry the password.
"""

from __future__ import annotations

import re
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

from commands.notifications.ports import DeliveryError, Email, Mailer
from infra.http import tls_context
from infra.notifications.outbox import safe_name, write_atomically
from infra.production import NO_MAIL_SERVER, refuse_in_production
from infra.settings import Settings

# CRLF lines as RFC 5322 has them; 7-bit transfer encodings, as not every server takes 8-bit.
POLICY = SMTP.clone(cte_type="7bit")
DEFAULT_SENDER: str = Settings.model_fields["mail_from"].default
MAX_REASON = 200


def compose(email: Email, sender: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = formataddr((one_line(email.to_name), email.to))
    message["Subject"] = one_line(email.subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<{email.message_id}@campus>"
    message.set_content(email.body, charset="utf-8")
    return message


def one_line(text: str) -> str:
    # A line break in a header value would let it start another header: the library refuses it.
    return " ".join(text.split())


class SmtpMailer:
    """Hands each message to the SMTP server in settings, with a connection of its own."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.server = f"{settings.smtp_host}:{settings.smtp_port}"
        self.tls = tls_context()

    def forget(self, address: str) -> None:
        """Mail that left is the recipient's: this side keeps no copy to drop."""

    def send(self, email: Email) -> None:
        message = compose(email, self.settings.mail_from)
        try:
            smtp = self.connect()
            try:
                self.prepare(smtp)
                smtp.send_message(message, to_addrs=[email.to])
            finally:
                hang_up(smtp)
        except (smtplib.SMTPException, OSError) as error:
            raise self.failure(error, email.to) from error

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.smtp_security == "ssl":
            return smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=self.tls
            )
        return smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)

    def prepare(self, smtp: smtplib.SMTP) -> None:
        if self.settings.smtp_security == "starttls":
            smtp.starttls(context=self.tls)
        if self.settings.smtp_username:
            smtp.login(self.settings.smtp_username, self.settings.smtp_password)

    def failure(self, error: Exception, address: str) -> DeliveryError:
        reason, permanent = self.explain(error)
        if self.settings.smtp_password:
            reason = reason.replace(self.settings.smtp_password, "***")
        # The reason is recorded in an event for good: a server quoting the recipient's
        # address must not put it beyond the reach of erasure.
        reason = re.sub(re.escape(address), "<recipient>", reason, flags=re.IGNORECASE)
        return DeliveryError(reason[:MAX_REASON], permanent)

    def explain(self, error: Exception) -> tuple[str, bool]:
        match error:
            case smtplib.SMTPRecipientsRefused(recipients=refused):
                code, text = next(iter(refused.values()))
                return reply(code, text), all(c >= 500 for c, _ in refused.values())
            case smtplib.SMTPResponseException(smtp_code=code, smtp_error=text):
                return reply(code, text), not 400 <= code < 500
            # smtplib reports a reply that never came as a dropped connection.
            case TimeoutError() | smtplib.SMTPServerDisconnected() if timed_out(error):
                seconds = self.settings.smtp_timeout_seconds
                return f"no answer from {self.server} within {seconds:g}s", False
            case smtplib.SMTPServerDisconnected():
                return f"{self.server} closed the connection", False
            case smtplib.SMTPException():  # STARTTLS, AUTH or SMTPUTF8 not offered
                return f"{self.server}: {error}", True
            case ConnectionRefusedError():
                return f"connection refused by {self.server}", False
            case _:
                detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
                return f"cannot reach {self.server}: {detail}", False


def timed_out(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)


def reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"SMTP {code}: {' '.join(text.split())}"


def hang_up(smtp: smtplib.SMTP) -> None:
    # Once the server has taken the message, a failing QUIT must not make it look undelivered:
    # it would be sent again.
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


class OutboxMailer:
    """Writes each message to ``folder`` as ``{message_id}.eml``, whole or not at all."""

    def __init__(self, folder: Path, sender: str = DEFAULT_SENDER) -> None:
        self.folder = Path(folder)
        self.sender = sender

    def send(self, email: Email) -> None:
        data = bytes(compose(email, self.sender))
        try:
            write_atomically(self.path_of(email), data)
        except OSError as error:
            raise DeliveryError(
                f"cannot write to {self.folder}: {error.strerror or error}"
            ) from error

    def path_of(self, email: Email) -> Path:
        return self.folder / f"{safe_name(email.message_id)}.eml"

    def forget(self, address: str) -> None:
        for path in self.folder.glob("*.eml"):
            message = BytesParser(policy=POLICY).parsebytes(path.read_bytes())
            if parseaddr(str(message["To"]))[1].lower() == address.lower():
                path.unlink(missing_ok=True)


def open_mailer(settings: Settings) -> Mailer:
    """SMTP when ``smtp_host`` is set, else (in development only) the outbox under ``data_dir``."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    refuse_in_production(settings, NO_MAIL_SERVER)
    return OutboxMailer(Path(settings.data_dir) / "outbox" / "email", settings.mail_from)
