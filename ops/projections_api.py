"""Projections for operators over HTTP: status, rebuilds with progress, parked events and their
retries.

An operator needs no shell on the box, and the embedded default works while it serves (its
stores belong to the serving process, so the work must run there). A rebuild is a job: it runs
in a thread of the process that was asked, and its progress is polled at
``/api/admin/projections/jobs/{jobId}`` on that process (jobs live in its memory).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from domain.errors import NotFoundError
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from ops.projections_views import parked_events, parking, rebuildable, status
from projections.rebuild import rebuild
from schemas.base import iso_utc

router = APIRouter(prefix="/api/admin/projections", tags=["operations"])


class JobNotFoundError(NotFoundError):
    """No rebuild job with this id was started on this process."""

    message = "No such job on this server"


@dataclass
class Job:
    projection: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "running"
    done: int = 0
    total: int = 0
    error: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None

    def view(self) -> dict[str, Any]:
        return {
            "jobId": self.id,
            "projection": self.projection,
            "status": self.status,
            "eventsDone": self.done,
            "eventsTotal": self.total,
            "error": self.error,
            "startedAt": iso_utc(self.started_at),
            "finishedAt": iso_utc(self.finished_at) if self.finished_at else None,
        }


@router.get("", responses=documented(list[dict[str, Any]]))
async def list_projections(request: Request, _: AdminUser) -> EnvelopeResponse:
    """Every projection: how far it got per application, how far behind, how many parked."""
    return success(await run_in_threadpool(status, request.app.state.campus))


@router.post("/{name}/rebuild", status_code=202, responses=documented(status_code=202))
def start_rebuild(name: str, request: Request, _: AdminUser) -> EnvelopeResponse:
    """Rebuild a projection beside its live tables and swap it in, as a job to poll."""
    campus, job = request.app.state.campus, Job(rebuildable(name))
    request.app.state.jobs[job.id] = job
    thread = threading.Thread(target=run_rebuild, args=(campus, job), daemon=True)
    thread.start()
    return success(job.view(), status_code=202)


def run_rebuild(campus: Any, job: Job) -> None:
    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        job.done = rebuild(
            campus.runner(job.projection), list(campus.apps.values()), 2000, progress
        )
        job.status = "done"
    except Exception as error:  # the job reports it; the server goes on
        job.status, job.error = "failed", repr(error)
    job.finished_at = datetime.now(UTC)


@router.get("/jobs/{job_id}", responses=documented())
def rebuild_job(job_id: str, request: Request, _: AdminUser) -> EnvelopeResponse:
    """A rebuild's progress: events replayed of those to replay, and how it ended."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise JobNotFoundError
    return success(job.view())


@router.get("/parked", responses=documented(list[dict[str, Any]]))
def list_parked(request: Request, _: AdminUser, projection: str | None = None) -> EnvelopeResponse:
    """Events a projection could not apply, set aside with their error, oldest first."""
    if projection is not None:
        parking(projection)
    return success(parked_events(request.app.state.campus, projection))


@router.post("/{name}/retry", responses=documented())
def retry_parked(
    name: str,
    request: Request,
    _: AdminUser,
    aggregate_id: Annotated[UUID | None, Query(alias="aggregateId")] = None,
) -> EnvelopeResponse:
    """Apply a projection's parked events again, in order, after their cause was fixed."""
    campus = request.app.state.campus
    one = str(aggregate_id) if aggregate_id else None
    applied, still = campus.retry_parked(parking(name), one)
    return success({"projection": name, "applied": applied, "stillParked": still})
