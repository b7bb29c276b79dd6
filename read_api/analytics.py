"""Analytics for admins (spec §6): courses and learners over a date range, and generated
reports downloaded as a PDF with charts or as CSV.

Ranges are ISO days (``YYYY-MM-DD``), both ends included, by default the last 30 days up to
today (UTC). docs/analytics.md defines every figure.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from domain.errors import NotFoundError
from infra.personal_data.events import opened_now
from infra.reports.archive import load_report
from infra.reports.csv import render_csv
from infra.web.analytics import Analytics
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize
from read_api.queries.analytics import course_analytics, period
from read_api.queries.analytics_users import user_analytics
from schemas.analytics import Category, CourseAnalyticsPage, IsoDate, Role, UserAnalyticsPage

Shown = TypeVar("Shown", bound=BaseModel)
router = APIRouter(prefix="/api/analytics", tags=["analytics"])
Fresh = Depends(consistent_with("analytics"))
StartDate = Annotated[IsoDate | None, Query(alias="startDate")]
EndDate = Annotated[IsoDate | None, Query(alias="endDate")]
FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
FILE = {
    "description": "The report as a PDF (default) or CSV",
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in ("application/pdf", "text/csv")
    },
}


class ReportNotFoundError(NotFoundError):
    """No report has this id."""

    message = "Report not found"


@router.get("/courses", dependencies=[Fresh], responses=documented(CourseAnalyticsPage))
def courses(
    _: AdminUser,
    store: Analytics,
    start_date: StartDate = None,
    end_date: EndDate = None,
    category: Category | None = None,
) -> EnvelopeResponse:
    """Every course's enrollments, completions, popularity, rating, coupon use and revenue."""
    return success(course_analytics(store, period(start_date, end_date), category))


@router.get("/users", dependencies=[Fresh], responses=documented(UserAnalyticsPage))
def users(
    request: Request,
    _: AdminUser,
    store: Analytics,
    start_date: StartDate = None,
    end_date: EndDate = None,
    role: Role | None = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> EnvelopeResponse:
    """Users' enrollments, completions, certificates and progress, oldest account first."""
    users = user_analytics(store, period(start_date, end_date), role, page, page_size)
    return success(names_opened(users, request))


@router.get("/reports/{report_id}", response_class=Response, responses=documented() | {200: FILE})
def download_report(
    request: Request,
    report_id: UUID,
    _: AdminUser,
    store: Analytics,
    kind: Annotated[Literal["pdf", "csv"], Query(alias="format")] = "pdf",
) -> Response:
    """Download a generated report: a PDF with charts and tables, or CSV (format=csv)."""
    report = load_report(store, str(report_id))
    if report is None:
        raise ReportNotFoundError
    report = names_opened(report, request)
    if kind == "pdf":
        # Here, not at the top: reportlab's charts take a fifth of a second to load, and every
        # process serving reads would pay it at start for the rare report downloaded as a PDF.
        from infra.reports.pdf import render_pdf

        body = render_pdf(report)
    else:
        body = render_csv(report)
    headers = {
        "Content-Disposition": f"attachment; filename=report-{report_id}.{kind}",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type=FORMATS[kind], headers=headers)


def names_opened(model: Shown, request: Request) -> Shown:
    """``model`` with the names the analytics store keeps sealed opened; an erased person's
    name is blank."""
    keys = request.app.state.personal_data
    return type(model).model_validate(opened_now(model.model_dump(), keys, erased=""))
