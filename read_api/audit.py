"""The audit API (admins and auditors): an aggregate's events as stored, and its state at a past
version or moment, read from the event store itself; and every event of one request's chain,
from the audit trail (``projections.audit_trail``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from eventsourcing.application import Application
from fastapi import APIRouter, Depends, Path, Query, Request

from domain.errors import InvalidInputError, NotFoundError
from infra.eventstore import audit
from infra.web.auth import AuditorUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.audit_trail import chain_page
from schemas.audit import AuditEventsPage, AuditEventView, AuditStateView, ChainPage

router = APIRouter(prefix="/api/admin/audit", tags=["audit"])


class AggregateNotFoundError(NotFoundError):
    message = "No events for this aggregate"


# Declared before the aggregate routes: "correlation" is no aggregate id.
@router.get(
    "/correlation/{correlation_id}",
    dependencies=[Depends(consistent_with("audit-trail"))],
    responses=documented(ChainPage),
)
def chain(
    correlation_id: Annotated[str, Path(max_length=128)],
    _: AuditorUser,
    db: ReadDb,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """Every event of one request's chain, across aggregates, in the order they happened: what
    the request saved, and what policies did because of it (each names its cause)."""
    return success(chain_page(db, correlation_id, page, page_size))


@router.get("/{aggregate_id}/events", responses=documented(AuditEventsPage))
def events(
    aggregate_id: UUID,
    _: AuditorUser,
    request: Request,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """An aggregate's events, oldest first: version, time, type, data, who and which request.

    A course's media library is part of its course: its events come with the course's."""
    app = owning_app(request, aggregate_id)
    shown, total = audit.history_page(app, aggregate_id, page, page_size)
    return success(
        AuditEventsPage(
            aggregate_id=aggregate_id,
            application=app.name,
            events=[event_of(e) for e in shown],
            page=page,
            page_size=page_size,
            total=total,
        ).model_dump(mode="json", by_alias=True)
    )


@router.get("/{aggregate_id}/state", responses=documented(AuditStateView))
def state(
    aggregate_id: UUID,
    _: AuditorUser,
    request: Request,
    at: Annotated[str, Query(max_length=40, description="A version number or an ISO 8601 time")],
) -> EnvelopeResponse:
    """The aggregate as it was at a version, or at a moment (the version in force then)."""
    app = owning_app(request, aggregate_id)
    entries = audit.history(app, aggregate_id)
    try:
        version = audit.version_at(entries, at.strip())
    except ValueError as error:
        raise InvalidInputError(f"at: {error}") from None
    if not 1 <= version <= entries[-1].version:
        raise InvalidInputError(f"at: the aggregate has versions 1 to {entries[-1].version}")
    return success(
        AuditStateView(
            aggregate_id=aggregate_id,
            application=app.name,
            version=version,
            state=audit.state_at(app, aggregate_id, version),
        ).model_dump(mode="json", by_alias=True)
    )


def owning_app(request: Request, aggregate_id: UUID) -> Application:
    try:
        return audit.owning_app(list(request.app.state.campus.apps.values()), aggregate_id)
    except audit.UnknownAggregateError:
        raise AggregateNotFoundError from None


def event_of(entry: audit.HistoryEntry) -> AuditEventView:
    return AuditEventView(
        version=entry.version,
        timestamp=entry.timestamp,
        type=entry.event_type,
        data=entry.data,
        actor_id=entry.actor_id,
        correlation_id=entry.correlation_id,
        causation_id=entry.causation_id,
    )
