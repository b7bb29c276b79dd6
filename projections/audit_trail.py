"""The audit trail: one row per event, so that every event of one request's chain (its
correlation id) is found across aggregates and applications without reading the logs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BigInteger, Column, Connection, DateTime, Index, Integer, String, Table

from projections.metadata import metadata
from schemas.events import PublishedEvent

audit_events = Table(
    "audit_events",
    metadata,
    Column("application", String(32), primary_key=True),
    Column("position", BigInteger, primary_key=True),
    Column("aggregate_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("correlation_id", String(200)),
    Column("causation_id", String(200)),
    Column("actor_id", String(36)),
    Index("ix_audit_events_correlation", "correlation_id", "occurred_at"),
)


class AuditTrailProjection:
    name = "audit-trail"
    tables = (audit_events,)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        rows = [row(event) for event in events if event.correlation_id]
        if rows:
            conn.execute(audit_events.insert(), rows)


def row(event: PublishedEvent) -> dict[str, object]:
    return {
        "application": event.application,
        "position": event.position,
        "aggregate_id": event.aggregate_id,
        "version": event.aggregate_version,
        "event_type": event.event_type,
        "occurred_at": event.timestamp,
        "correlation_id": event.correlation_id,
        "causation_id": event.causation_id,
        "actor_id": event.actor_id,
    }
