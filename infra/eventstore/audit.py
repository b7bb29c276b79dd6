"""Auditors' view of the event store: an aggregate's full history, and its state at any point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from domain.courses.course import Course
from domain.courses.media_library import MediaLibrary
from infra.eventstore.mapper import metadata_of
from infra.eventstore.publishing import ENVELOPE_FIELDS, plain


class UnknownAggregateError(LookupError):
    """No application holds events for this aggregate id."""


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    timestamp: datetime
    event_type: str
    data: dict[str, Any]
    actor_id: str | None
    correlation_id: str | None
    causation_id: str | None = None  # events stored before causes were recorded have none


def owning_app(apps: list[Application], aggregate_id: UUID) -> Application:
    for app in apps:
        if app.recorder.select_events(aggregate_id, limit=1):
            return app
    raise UnknownAggregateError(str(aggregate_id))


def history(
    app: Application, aggregate_id: UUID, after: int | None = None, limit: int | None = None
) -> list[HistoryEntry]:
    """The aggregate's events, or ``limit`` of them from the version after ``after``."""
    entries = []
    for stored in app.recorder.select_events(aggregate_id, gt=after, limit=limit):
        event = app.mapper.to_domain_event(stored)
        hidden = ENVELOPE_FIELDS | getattr(type(event), "private_fields", frozenset())
        meta = metadata_of(event)
        entries.append(
            HistoryEntry(
                version=stored.originator_version,
                timestamp=event.timestamp,
                event_type=type(event).__qualname__,
                data={k: plain(v) for k, v in vars(event).items() if k not in hidden},
                actor_id=meta.get("actor_id"),
                correlation_id=meta.get("correlation_id"),
                causation_id=meta.get("causation_id"),
            )
        )
    return entries


def history_with_parts(app: Application, aggregate_id: UUID) -> list[HistoryEntry]:
    """An aggregate's history, with the aggregates that belong to it (a course's media
    library) merged in time order, so one id tells the whole story."""
    entries = history(app, aggregate_id)
    for part in PARTS.get(entries[0].event_type if entries else "", ()):
        entries += history(app, part(aggregate_id))
    return sorted(entries, key=lambda e: e.timestamp)


def history_page(
    app: Application, aggregate_id: UUID, page: int, page_size: int
) -> tuple[list[HistoryEntry], int]:
    """One page of ``history_with_parts`` and how many entries there are in all. An aggregate
    without parts reads only that page: versions run 1..n, so a page is a range of them."""
    first = history(app, aggregate_id, limit=1)
    if first and first[0].event_type in PARTS:
        entries = history_with_parts(app, aggregate_id)
        return entries[(page - 1) * page_size : page * page_size], len(entries)
    last = app.recorder.select_events(aggregate_id, desc=True, limit=1)
    total = last[0].originator_version if last else 0
    return history(app, aggregate_id, after=(page - 1) * page_size, limit=page_size), total


PARTS = {Course.Created.__qualname__: (MediaLibrary.create_id,)}


def version_at(entries: list[HistoryEntry], at: str) -> int:
    """``at`` is a version number or an ISO time; answer the version in force then."""
    if at.isdigit():
        return int(at)
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{at} names no time zone (add Z for UTC)")
    # Moments are shown to the millisecond: a time copied from an event names that event.
    versions = [e.version for e in entries if to_millisecond(e.timestamp) <= moment]
    if not versions:
        raise ValueError(f"the aggregate did not exist yet at {at}")
    return versions[-1]


# Never shown: hashes, device tokens and card details are secrets, pending events internals.
SECRET_STATE = frozenset(
    {"password_hash", "push_devices", "token", "card_details", "pending_events"}
)


def to_millisecond(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def state_at(app: Application, aggregate_id: UUID, version: int) -> dict[str, Any]:
    aggregate = app.repository.get(aggregate_id, version=version)
    state = {k.lstrip("_"): v for k, v in vars(aggregate).items()}
    return {k: plain(v) for k, v in state.items() if k not in SECRET_STATE}
