"""The audit API's answers: an aggregate's events as stored, and its state at a past version."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from schemas.base import CamelModel, Moment


class AuditEventView(CamelModel):
    version: int
    timestamp: Moment
    type: str  # the event's name, as published: "User.ProfileUpdated"
    data: dict[str, Any]  # its attributes, without secrets (password hashes, device tokens)
    actor_id: str | None  # the signed-in user whose request caused it
    correlation_id: str | None  # the X-Request-ID of the request that began the chain
    causation_id: str | None  # "command:Name", or "event:application:position" for a policy's


class AuditEventsPage(CamelModel):
    aggregate_id: UUID
    application: str
    events: list[AuditEventView]
    page: int
    page_size: int
    total: int


class AuditStateView(CamelModel):
    aggregate_id: UUID
    application: str
    version: int
    state: dict[str, Any]


class ChainEventView(CamelModel):
    """One event of a chain, across aggregates: its data is at the aggregate's own events."""

    application: str
    position: int  # its place in its application's log: what a causation id names
    aggregate_id: str
    version: int
    timestamp: Moment
    type: str
    actor_id: str | None
    causation_id: str | None


class ChainPage(CamelModel):
    correlation_id: str
    events: list[ChainEventView]
    page: int
    page_size: int
    total: int
