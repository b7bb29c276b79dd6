"""What operators see of projections, in one shape: the admin API answers it, the command line
prints it (from the stores it opened, or from the API of the server that holds them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.errors import NotFoundError
from infra.analytics.store import AnalyticsStoreHeldError
from ops.workers.notifier import NOTIFIER
from projections.analytics.runner import ANALYTICS
from projections.parking import Parked, counts, parked
from projections.registry import GROUPS, all_projections
from schemas.base import iso_utc


class ProjectionNotFoundError(NotFoundError):
    """No projection has this name."""

    message = "No such projection"


def names() -> list[str]:
    return [*all_projections(), ANALYTICS]


def known(name: str, also: Iterable[str] = ()) -> str:
    """``name`` if a projection has it, or if it is one of ``also`` (the sender, a group)."""
    if name not in (*names(), *also):
        raise ProjectionNotFoundError
    return name


def rebuildable(name: str) -> str:
    return known(name, GROUPS)


def parking(name: str) -> str:
    """A projection whose events may be parked: the sender's park too."""
    return known(name, (NOTIFIER,))


def status(campus: Any) -> list[dict[str, Any]]:
    """Per projection: its position and the head per application, how far behind, parked."""
    with campus.read_engine.connect() as conn:
        parked_counts = counts(conn)
    heads = {n: app.recorder.max_notification_id() or 0 for n, app in campus.apps.items()}
    return [
        progress(campus, name, heads) | {"parked": parked_counts.get(name, 0)} for name in names()
    ]


def progress(campus: Any, name: str, heads: dict[str, int]) -> dict[str, Any]:
    try:
        runner = campus.runner(name)
        applied = {app: runner.applied_through(app) for app in heads}
    except AnalyticsStoreHeldError as error:  # by another process: say so, show the rest
        return {"name": name, "behind": None, "error": str(error), "applications": []}
    return {
        "name": name,
        "behind": sum(max(heads[a] - applied[a], 0) for a in heads),
        "error": None,
        "applications": [
            {"application": a, "appliedThrough": applied[a], "head": heads[a]} for a in heads
        ],
    }


def parked_events(campus: Any, projection: str | None = None) -> list[dict[str, Any]]:
    """Events set aside, oldest first, of one projection or all."""
    with campus.read_engine.connect() as conn:
        return [parked_view(entry) for entry in parked(conn, projection)]


def parked_view(entry: Parked) -> dict[str, Any]:
    event = entry.event
    return {
        "projection": entry.projection,
        "application": event.application,
        "position": event.position,
        "aggregateId": event.aggregate_id,
        "eventType": event.event_type,
        "parkedAt": iso_utc(entry.parked_at),
        "attempts": entry.attempts,
        "error": entry.error,
    }
