"""The bulk-enrollment CSV: UTF-8, with or without a byte-order mark. Its first non-blank row
is the header: column names are matched case-insensitively (``courseId`` or ``course_id``) and
other columns are ignored. Blank rows are skipped and not counted, so ``row`` in the report is
the 1-based number of a data row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from commands.learning.enroll_in_bulk import BulkRow
from domain.errors import InvalidInputError

COLUMNS = (("email", ("email",)), ("courseId", ("courseid", "course_id")))


def parse_rows(data: bytes) -> tuple[BulkRow, ...]:
    """The data rows of a CSV whose header names the email and courseId columns."""
    try:
        text = data.decode("utf-8-sig")  # strips a byte-order mark, if any
    except UnicodeDecodeError:
        raise InvalidInputError("The CSV must be UTF-8 text") from None
    records = non_blank(csv.reader(io.StringIO(text, newline="")))
    try:
        header = next(records, None)
        if header is None:
            raise InvalidInputError("The CSV is empty: its first row must name email and courseId")
        email_at, course_at = columns(header)
        return tuple(BulkRow(cell(r, email_at), cell(r, course_at)) for r in records)
    except csv.Error as error:
        raise InvalidInputError(f"The file is not valid CSV: {error}") from None


def non_blank(records: Iterator[list[str]]) -> Iterator[list[str]]:
    return (record for record in records if any(value.strip() for value in record))


def columns(header: list[str]) -> tuple[int, int]:
    """Where the email and course id columns are; a missing one is named in the 400."""
    names = [name.strip().lower() for name in header]
    email_at, course_at = found = [position(names, accepted) for _, accepted in COLUMNS]
    if email_at is None or course_at is None:
        absent = [column for (column, _), at in zip(COLUMNS, found, strict=True) if at is None]
        raise InvalidInputError(
            f"The CSV's header row has no {' or '.join(absent)} column: its first row must name "
            "email and courseId"
        )
    return email_at, course_at


def position(names: list[str], accepted: tuple[str, ...]) -> int | None:
    return next((i for i, name in enumerate(names) if name in accepted), None)


def cell(record: list[str], at: int) -> str:
    return record[at].strip() if at < len(record) else ""
