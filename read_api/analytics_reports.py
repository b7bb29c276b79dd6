"""Generate an analytics report (spec §6): its figures are computed now, kept, and downloaded
later from the answered URL as a PDF or CSV.

A report is not a domain event: it is derived data, kept beside the analytics it sums up in
the analytics store and computed by the same queries the analytics endpoints answer with. So
this POST belongs to the read side (the gateway sends all of ``/api/analytics/`` there).
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from fastapi import APIRouter, Depends, Request

from infra.reports.archive import save_report
from infra.web.analytics import Analytics
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.queries.analytics import period
from read_api.queries.analytics_reports import computation
from schemas.analytics import ReportCreatedResponse, ReportRequest, ReportView

router = APIRouter(tags=["analytics"])


@router.post(
    "/api/analytics/report",
    status_code=201,
    # A client's own writes are in the figures when it sends their consistency token.
    dependencies=[Depends(consistent_with("analytics"))],
    responses=documented(ReportCreatedResponse, 201),
)
def generate_report(
    body: ReportRequest, request: Request, user: AdminUser, store: Analytics
) -> EnvelopeResponse:
    """Generate a report (coursePopularity, userProgress or revenue) for a date range."""
    compute = computation(body.type)
    asked = body.parameters
    dates = period(asked.start_date, asked.end_date)
    parameters = asked.model_copy(update={"start_date": dates.start, "end_date": dates.end})
    report = ReportView(
        report_id=str(uuid4()),
        type=body.type,  # type: ignore[arg-type]  # checked by computation()
        parameters=parameters,
        generated_at=datetime.now(UTC),
        data=compute(store, dates, asked),
    )
    save_report(store, report, str(user.user_id))
    base = request.app.state.settings.public_base_url.rstrip("/")
    created = ReportCreatedResponse(
        report_id=report.report_id,
        report_url=f"{base}/api/analytics/reports/{report.report_id}",
        type=report.type,
        message="Report generated successfully",
    )
    return success(created, 201)
