"""Published events of notifications and their deliveries (application ``notifications``).

Each model matches its domain event class, minus private fields;
tests/unit/test_published_payloads.py fails when the two disagree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from schemas.published.base import Instant, PublishedPayload, Sealed, Uuid


class NotificationRequested(PublishedPayload):
    NAME: ClassVar[str] = "Notification.Requested"
    DATA_SUBJECT: ClassVar[str | None] = "user_id"
    user_id: Uuid
    channel: str
    kind: str
    subject: Sealed
    message: Sealed
    data: dict[str, Any]
    cause: str
    requested_by: Uuid | None
    requested_at: Instant


class NotificationAttemptFailed(PublishedPayload):
    NAME: ClassVar[str] = "Notification.AttemptFailed"
    attempt: int
    reason: str
    failed_at: Instant


class NotificationFailed(PublishedPayload):
    NAME: ClassVar[str] = "Notification.Failed"
    reason: str
    failed_at: Instant


class NotificationRead(PublishedPayload):
    NAME: ClassVar[str] = "Notification.Read"
    read_at: Instant


class NotificationSent(PublishedPayload):
    NAME: ClassVar[str] = "Notification.Sent"
    attempt: int
    sent_at: Instant
