"""Queries on the audit trail: the events of one chain, in the order they happened."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from projections.audit_trail import audit_events
from schemas.audit import ChainEventView, ChainPage


def chain_page(conn: Connection, correlation_id: str, page: int, page_size: int) -> ChainPage:
    mine = audit_events.c.correlation_id == correlation_id
    total = conn.execute(select(func.count()).select_from(audit_events).where(mine)).scalar_one()
    rows = conn.execute(
        select(audit_events)
        .where(mine)
        .order_by(audit_events.c.occurred_at, audit_events.c.application, audit_events.c.position)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return ChainPage(
        correlation_id=correlation_id,
        events=[
            ChainEventView(
                application=r.application,
                position=r.position,
                aggregate_id=r.aggregate_id,
                version=r.version,
                timestamp=r.occurred_at,
                type=r.event_type,
                actor_id=r.actor_id,
                causation_id=r.causation_id,
            )
            for r in rows
        ],
        page=page,
        page_size=page_size,
        total=total,
    )
