"""Requests, answers and views of the notification endpoints (spec §4)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import StringConstraints

from schemas.base import CamelModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
DeviceToken = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096)
]


class SendRequest(CamelModel):
    user_id: UUID
    type: Literal["email", "in_app", "push"]
    message: Text
    subject: Subject | None = None


class NotificationSentResponse(CamelModel):
    notification_id: str
    message: str


class LogEntryView(CamelModel):
    log_id: str
    notification_id: str
    user_id: str
    type: str  # the channel, as the spec's Notifications call it
    delivery_status: str  # pending, attempt_failed, sent or failed
    attempt: int
    error: str | None
    delivered_at: str | None
    recorded_at: str


class NotificationLogPage(CamelModel):
    logs: list[LogEntryView]
    page: int
    page_size: int
    total: int


class InboxItemView(CamelModel):
    notification_id: str
    kind: str
    subject: str
    message: str
    data: dict[str, str]
    read: bool
    read_at: str | None
    created_at: str


class InboxPage(CamelModel):
    notifications: list[InboxItemView]
    unread: int
    page: int
    page_size: int
    total: int


class DeviceRequest(CamelModel):
    token: DeviceToken
