"""The Notification aggregate: one message to one user over one channel, and its delivery.

    requested (pending) ──► sent
            │      ▲
            │      └── attempt failed (retried while attempts are left)
            └────────► failed (attempts exhausted, or an error no retry can fix)

Every attempt is an event, so the delivery log is the aggregate's history rather than a row
that gets overwritten. A notification's id is derived from what caused it and its channel: a
fact seen twice (a redelivered event, a replayed stream) requests the same notification, which
then exists already, so nobody is told twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInputError, NotFoundError
from domain.notifications.channels import Channel, Status

MAX_SUBJECT = 200
MAX_MESSAGE = 5_000


class NotificationNotFoundError(NotFoundError):
    message = "Notification not found"


class NotInInboxError(InvalidInputError):
    message = "Only in-app notifications are kept in the inbox"


class Notification(Aggregate):
    @staticmethod
    def create_id(cause: str, channel: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:notification:{cause}:{Channel(channel).value}")

    class Requested(Aggregate.Created):
        user_id: UUID
        channel: str
        kind: str
        subject: str
        message: str
        data: dict[str, str]
        cause: str
        requested_by: UUID | None
        requested_at: datetime
        # Worded for one person (their name, their course): sealed with their key.
        personal_fields: ClassVar[frozenset[str]] = frozenset({"subject", "message"})
        data_subject: ClassVar[str] = "user_id"

    @event(Requested)
    def __init__(
        self,
        user_id: UUID,
        channel: str,
        kind: str,
        subject: str,
        message: str,
        data: dict[str, str],
        cause: str,
        requested_by: UUID | None,
        requested_at: datetime,
    ) -> None:
        self.user_id, self.channel, self.kind = user_id, Channel(channel), kind
        self.subject, self.message, self.data = subject, message, data
        self.cause, self.requested_at = cause, requested_at
        self.status = Status.PENDING
        self.attempts = 0
        self.read_at: datetime | None = None

    @classmethod
    def request(
        cls,
        user_id: UUID,
        channel: Channel,
        kind: str,
        subject: str,
        message: str,
        cause: str,
        at: datetime,
        requested_by: UUID | None = None,
        data: dict[str, str] | None = None,
    ) -> Notification:
        """``cause`` names the fact behind it; ``requested_by`` the admin who sent it by hand."""
        subject, message = subject.strip(), message.strip()
        if not message:
            raise InvalidInputError("message is required")
        if len(message) > MAX_MESSAGE or len(subject) > MAX_SUBJECT:
            raise InvalidInputError(
                f"A notification holds at most {MAX_SUBJECT} characters of subject "
                f"and {MAX_MESSAGE} of message"
            )
        return cls(
            user_id,
            channel.value,
            kind,
            subject,
            message,
            dict(data or {}),
            cause,
            requested_by,
            at,
        )

    @property
    def is_pending(self) -> bool:
        return self.status is Status.PENDING

    def mark_sent(self, at: datetime) -> None:
        if self.is_pending:
            self._send(self.attempts + 1, at)

    @event("Sent")
    def _send(self, attempt: int, sent_at: datetime) -> None:
        self.attempts, self.status = attempt, Status.SENT

    def attempt_failed(self, reason: str, at: datetime, final: bool) -> None:
        """An attempt did not get through; ``final`` when no attempt will follow it."""
        if not self.is_pending:
            return
        self._attempt_failed(self.attempts + 1, reason, at)
        if final:
            self._fail(reason, at)

    def give_up(self, reason: str, at: datetime) -> None:
        if self.is_pending:
            self._fail(reason, at)

    @event("AttemptFailed")
    def _attempt_failed(self, attempt: int, reason: str, failed_at: datetime) -> None:
        self.attempts = attempt

    @event("Failed")
    def _fail(self, reason: str, failed_at: datetime) -> None:
        self.status = Status.FAILED

    def mark_read(self, user_id: UUID, at: datetime) -> None:
        """The recipient opened it in their inbox; someone else's notification does not exist
        for them."""
        if user_id != self.user_id:
            raise NotificationNotFoundError
        if self.channel is not Channel.IN_APP:
            raise NotInInboxError
        if self.read_at is None:
            self._read(at)

    @event("Read")
    def _read(self, read_at: datetime) -> None:
        self.read_at = read_at
