"""The audit API's answers: an aggregate's events as stored, and its state at a past version."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from schemas.base import CamelModel, Moment


class AuditEvent(CamelModel):
    version: int
    timestamp: Moment
    type: str  # the event's name, as published: "User.ProfileUpdated"
    data: dict[str, Any]  # its attributes, without secrets (password hashes, device tokens)
    actor_id: str | None  # the signed-in user whose request caused it
    correlation_id: str | None  # the request's X-Request-ID


class AuditEventsPage(CamelModel):
    aggregate_id: UUID
    application: str
    events: list[AuditEvent]
    page: int
    page_size: int
    total: int


class AuditState(CamelModel):
    aggregate_id: UUID
    application: str
    version: int
    state: dict[str, Any]
