"""How a notification reaches its user and where its delivery stands, apart from the
Notification aggregate: the inbox and the read models speak of both without reaching into it."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"
    PUSH = "push"


class Status(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
