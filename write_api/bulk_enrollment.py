"""Bulk enrollment (admins): a CSV of ``email`` and ``courseId`` rows (see
``write_api.bulk_enrollment_csv``), sent as a multipart upload (field ``file``, form field
``dryRun``) or as a raw ``text/csv`` body (``?dryRun=true``), at most 1 MiB.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from commands.learning.enroll_in_bulk import BulkReport, EnrollInBulk
from domain.errors import InvalidInputError, TooLargeError
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.bulk_enrollment import (
    BulkEnrollmentReportResponse,
    BulkEnrollmentRowResponse,
    BulkEnrollmentSummaryResponse,
)
from write_api.bulk_enrollment_csv import parse_rows
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["admin"])

MAX_CSV_BYTES = 1024 * 1024
MULTIPART_OVERHEAD = 16 * 1024  # boundaries, part headers and the dryRun field around the file
CSV_TYPES = ("text/csv", "application/csv")
FLAG = TypeAdapter(bool)  # the query parameter's rules, for the form field too

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "dryRun": {"type": "boolean"},
                    },
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


class CsvTooLargeError(TooLargeError):
    """The CSV is larger than a bulk enrollment reads."""

    message = f"The CSV may be at most {MAX_CSV_BYTES // 1024} KiB"


@router.post(
    "/api/admin/enrollments/bulk",
    responses=documented(BulkEnrollmentReportResponse, errors=(413, 415)),
    openapi_extra=UPLOAD_BODY,
)
async def enroll_in_bulk(
    request: Request,
    admin: AdminUser,
    bus: Bus,
    dry_run: Annotated[bool, Query(alias="dryRun")] = False,
) -> EnvelopeResponse:
    """Enroll learners from a CSV of email and courseId; a dry run only reports, row by row."""
    data, dry_run = await csv_upload(request, dry_run)
    # In worker threads: parsing a MiB of CSV, and thousands of rows each waiting on the
    # event store, would otherwise hold up every other request on this event loop.
    rows = await run_in_threadpool(parse_rows, data)
    command = EnrollInBulk(actor(admin), rows, dry_run)
    report: BulkReport = await run_in_threadpool(bus.handle, command)
    return success(answer(report))


async def csv_upload(request: Request, dry_run: bool) -> tuple[bytes, bool]:
    """The CSV's bytes, and the dry-run flag (a multipart form's field wins over the query)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in CSV_TYPES:
        return await capped_body(request, MAX_CSV_BYTES), dry_run
    if kind != "multipart/form-data":
        raise HTTPException(415, "Send the CSV as text/csv, or as multipart/form-data in 'file'")
    body = await capped_body(request, MAX_CSV_BYTES + MULTIPART_OVERHEAD)
    parser = MultiPartParser(request.headers, once(body), max_files=1, max_fields=8)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise InvalidInputError(f"Malformed multipart body: {error.message}") from None
    file, flag = form.get("file"), form.get("dryRun")
    try:
        if file is None:
            raise InvalidInputError("Send the CSV in a multipart field named 'file'")
        data = await file.read() if isinstance(file, UploadFile) else file.encode()
    finally:
        await form.close()
    if len(data) > MAX_CSV_BYTES:
        raise CsvTooLargeError
    return data, dry_run if flag is None else as_flag(flag)


async def capped_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is known to pass ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise CsvTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise CsvTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


async def once(body: bytes) -> AsyncIterator[bytes]:
    yield body


def as_flag(value: object) -> bool:
    try:
        return FLAG.validate_python(value)
    except ValidationError:
        raise InvalidInputError("dryRun must be true or false") from None


def answer(report: BulkReport) -> BulkEnrollmentReportResponse:
    rows = [
        BulkEnrollmentRowResponse(
            row=r.row,
            email=r.email,
            course_id=r.course_id,
            outcome=r.outcome.value,
            enrollment_id=str(r.enrollment_id) if r.enrollment_id else None,
            message=r.message,
        )
        for r in report.rows
    ]
    totals = {outcome.value: count for outcome, count in report.totals().items()}
    summary = BulkEnrollmentSummaryResponse(**totals, total=len(rows))
    return BulkEnrollmentReportResponse(dry_run=report.dry_run, rows=rows, summary=summary)
