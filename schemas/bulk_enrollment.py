"""The answer of a bulk enrollment: what happened (or, in a dry run, would happen) to each row
of the admin's CSV, and how many rows had each outcome."""

from __future__ import annotations

from typing import Literal

from schemas.base import CamelModel

RowOutcome = Literal[
    "enrolled",
    "would_enroll",
    "already_enrolled",
    "unknown_user",
    "unknown_course",
    "duplicate_row",
    "invalid_row",
]


class BulkEnrollmentRowResponse(CamelModel):
    row: int  # 1-based among the data rows: the header and blank lines are not counted
    email: str
    course_id: str
    outcome: RowOutcome
    enrollment_id: str | None = None  # also the one a dry run would make, or already exists
    message: str


class BulkEnrollmentSummaryResponse(CamelModel):
    enrolled: int
    would_enroll: int
    already_enrolled: int
    unknown_user: int
    unknown_course: int
    duplicate_row: int
    invalid_row: int
    total: int


class BulkEnrollmentReportResponse(CamelModel):
    dry_run: bool
    rows: list[BulkEnrollmentRowResponse]
    summary: BulkEnrollmentSummaryResponse
