"""Turn stored notifications into published events: the one converter the relay, the
in-process follower and rebuilds share, so every path feeds projections the same shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from pydantic.alias_generators import to_camel

from infra.eventstore.mapper import metadata_of
from schemas.events import PublishedEvent

ENVELOPE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic", "_meta"}
# Attribute names are few and repeat in every event: converting each once, not per event, was
# a sixth of a rebuild's time.
camel = lru_cache(maxsize=4096)(to_camel)


def to_published(app: Application, notification: Notification) -> PublishedEvent:
    # Personal fields stay sealed: on Kafka and in parked events, and opened by projections.
    mapper = app.mapper
    event = getattr(mapper, "to_sealed_event", mapper.to_domain_event)(notification)
    hidden = ENVELOPE_FIELDS | getattr(type(event), "private_fields", frozenset())
    meta = metadata_of(event)
    return PublishedEvent(
        application=app.name,
        position=notification.id,
        event_type=type(event).__qualname__,
        aggregate_id=str(notification.originator_id),
        aggregate_version=notification.originator_version,
        schema_version=getattr(type(event), "class_version", 1),
        timestamp=event.timestamp,
        correlation_id=meta.get("correlation_id"),
        causation_id=meta.get("causation_id"),
        actor_id=meta.get("actor_id"),
        payload={camel(k): plain(v) for k, v in vars(event).items() if k not in hidden},
    )


def plain(value: Any) -> Any:
    """A JSON-ready copy of an event attribute."""
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key_of(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def key_of(key: object) -> str:
    """Field names are camelCased like the payload's own; ids and other values stay as they are."""
    text = str(key)
    return camel(text) if isinstance(key, str) and text.isidentifier() else text


def read_published(
    app: Application, after: int, limit: int, stop: int | None = None
) -> list[PublishedEvent]:
    notifications = app.recorder.select_notifications(
        start=after, limit=limit, stop=stop, inclusive_of_start=False
    )
    return [to_published(app, n) for n in notifications]


def iter_published(
    app: Application, after: int, stop: int, batch: int
) -> Iterator[list[PublishedEvent]]:
    """Every published event of ``app`` in (after, stop], batch by batch."""
    while after < stop:
        events = read_published(app, after, batch, stop)
        if not events:
            return
        yield events
        after = events[-1].position
