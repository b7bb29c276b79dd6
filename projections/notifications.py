"""The notifications read model: each notification as it stands, and its delivery log.

``notifications`` holds one row per notification (the in-app inbox reads it);
``notification_log`` one row per step of its delivery:
requested (``pending``), each failed attempt, then ``sent`` or ``failed``. Log rows are only
ever inserted, keyed by the event's aggregate version, so a replayed event cannot add one twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from projections.batch import Row, TableBatch, chunks
from projections.erasure import blank_erased
from projections.lesson_progress import moment
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.notifications import (
    NotificationAttemptFailed,
    NotificationFailed,
    NotificationRead,
    NotificationRequested,
    NotificationSent,
)

notifications = Table(
    "notifications",
    metadata,
    Column("notification_id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("requested_by", String(36)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("read_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    # Serves the inbox (a user's in-app notifications, newest first).
    Index("ix_notifications_inbox", "user_id", "channel", "created_at"),
)

notification_log = Table(
    "notification_log",
    metadata,
    Column("log_id", String(36), primary_key=True),
    Column("notification_id", String(36), nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("delivery_status", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("error", Text),
    Column("delivered_at", DateTime(timezone=True)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("step", Integer, nullable=False),  # the event's version: orders one moment's steps
    Index("ix_notification_log_user", "user_id", "recorded_at"),
)


def requested(event: PublishedEvent) -> Row:
    data = NotificationRequested.of(event)
    return {
        "notification_id": event.aggregate_id,
        "user_id": data.user_id,
        "channel": data.channel,
        "kind": data.kind,
        "subject": data.subject or "",  # blank: the recipient was erased
        "message": data.message or "",
        "data": data.data,
        "status": "pending",
        "attempts": 0,
        "last_error": None,
        "requested_by": data.requested_by,
        "created_at": moment(data.requested_at),
        "delivered_at": None,
        "read_at": None,
        "version": event.aggregate_version,
    }


def sent(event: PublishedEvent) -> Row:
    data = NotificationSent.of(event)
    return {"status": "sent", "attempts": data.attempt, "delivered_at": moment(data.sent_at)}


def attempt_failed(event: PublishedEvent) -> Row:
    data = NotificationAttemptFailed.of(event)
    return {"attempts": data.attempt, "last_error": data.reason}


def failed(event: PublishedEvent) -> Row:
    return {"status": "failed", "last_error": NotificationFailed.of(event).reason}


def read(event: PublishedEvent) -> Row:
    return {"read_at": moment(NotificationRead.of(event).read_at)}


CHANGES: dict[str, Callable[[PublishedEvent], Row]] = {
    NotificationSent.NAME: sent,
    NotificationAttemptFailed.NAME: attempt_failed,
    NotificationFailed.NAME: failed,
    NotificationRead.NAME: read,
}

LogEntry = tuple[str, int, str | None, str | None]  # delivery status, attempt, error, delivered


def logged_attempt_failed(event: PublishedEvent) -> LogEntry:
    data = NotificationAttemptFailed.of(event)
    return ("attempt_failed", data.attempt, data.reason, None)


def logged_sent(event: PublishedEvent) -> LogEntry:
    data = NotificationSent.of(event)
    return ("sent", data.attempt, None, data.sent_at)


# What each event writes to the log.
LOGGED: dict[str, Callable[[PublishedEvent], LogEntry]] = {
    NotificationRequested.NAME: lambda _: ("pending", 0, None, None),
    NotificationAttemptFailed.NAME: logged_attempt_failed,
    NotificationSent.NAME: logged_sent,
    NotificationFailed.NAME: lambda e: ("failed", 0, NotificationFailed.of(e).reason, None),
}


class NotificationsProjection:
    name = "notifications"
    tables = (notifications, notification_log)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = TableBatch(notifications, key="notification_id")
        log = TableBatch(notification_log, key="log_id")
        # The log names its rows' user and channel: from the batch, or the rows written before.
        owners: dict[str, tuple[str, str]] = {}
        for event in events:
            if event.event_type == NotificationRequested.NAME:
                row = requested(event)
                rows.insert(row)
                owners[event.aggregate_id] = (row["user_id"], row["channel"])
            elif change := CHANGES.get(event.event_type):
                rows.update(
                    event.aggregate_id, change(event) | {"version": event.aggregate_version}
                )
        missing = {e.aggregate_id for e in events if e.event_type in LOGGED} - set(owners)
        owners |= load_owners(conn, missing)
        for event in events:
            if entry := LOGGED.get(event.event_type):
                status, attempt, error, delivered_at = entry(event)
                user_id, channel = owners[event.aggregate_id]
                log.insert(
                    {
                        "log_id": log_id(event.aggregate_id, event.aggregate_version),
                        "notification_id": event.aggregate_id,
                        "user_id": user_id,
                        "channel": channel,
                        "delivery_status": status,
                        "attempt": attempt,
                        "error": error,
                        "delivered_at": moment(delivered_at) if delivered_at else None,
                        "recorded_at": event.timestamp,
                        "step": event.aggregate_version,
                    }
                )
        rows.flush(conn)
        log.flush(conn)
        blank_erased(conn, events, notifications, subject="", message="")


def load_owners(conn: Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    owners: dict[str, tuple[str, str]] = {}
    for chunk in chunks(ids):
        query = notifications.select().where(notifications.c.notification_id.in_(chunk))
        owners |= {r.notification_id: (r.user_id, r.channel) for r in conn.execute(query)}
    return owners


def log_id(notification_id: str, version: int) -> str:
    return str(uuid5(NAMESPACE_URL, f"campus:notification-log:{notification_id}:{version}"))
