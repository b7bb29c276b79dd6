"""Reading a bulk-enrollment CSV: the header names the columns, whatever their case or order;
a byte-order mark, blank lines, quoting and extra columns are taken in stride."""

from __future__ import annotations

import pytest

from commands.learning.enroll_in_bulk import BulkRow
from domain.errors import InvalidInputError
from write_api.bulk_enrollment_csv import parse_rows

COURSE = "0b9f6d57-4a0e-4c44-9d55-6f1d5c7e2a10"


def test_a_byte_order_mark_does_not_hide_the_first_column() -> None:
    rows = parse_rows(f"\ufeffemail,courseId\nada@example.com,{COURSE}\n".encode())
    assert rows == (BulkRow("ada@example.com", COURSE),)


@pytest.mark.parametrize("header", ["EMAIL,COURSEID", " Email , CourseId ", "email,course_id"])
def test_column_names_match_whatever_their_case_or_spelling(header: str) -> None:
    rows = parse_rows(f"{header}\nada@example.com,{COURSE}\n".encode())
    assert rows == (BulkRow("ada@example.com", COURSE),)


def test_columns_may_come_in_any_order_among_others() -> None:
    rows = parse_rows(f"note,Course_ID,name,eMail\nhi,{COURSE},Ada,ada@example.com\n".encode())
    assert rows == (BulkRow("ada@example.com", COURSE),)


def test_blank_lines_are_skipped_and_not_counted_as_rows() -> None:
    text = f"\n\nemail,courseId\r\n\r\n a@example.com , {COURSE}\r\n,\r\n  \r\nb@example.com,x\r\n"
    assert parse_rows(text.encode()) == (
        BulkRow("a@example.com", COURSE),
        BulkRow("b@example.com", "x"),
    )


def test_a_short_row_reads_its_missing_cells_as_empty() -> None:
    assert parse_rows(b"email,courseId\nada@example.com\n") == (BulkRow("ada@example.com", ""),)


def test_quoted_cells_may_hold_commas_and_line_breaks() -> None:
    text = f'email,note,courseId\n"ada@example.com","one, two\nthree",{COURSE}\n'
    assert parse_rows(text.encode()) == (BulkRow("ada@example.com", COURSE),)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("email,course\n", "courseId"),
        ("mail,courseId\n", "email"),
        (f"ada@example.com,{COURSE}\n", "email or courseId"),
    ],
)
def test_a_header_without_a_required_column_is_refused_naming_it(text: str, names: str) -> None:
    with pytest.raises(InvalidInputError, match=f"has no {names} column"):
        parse_rows(text.encode())


def test_an_empty_file_or_one_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        parse_rows(b"\xef\xbb\xbf\n\n")
    with pytest.raises(InvalidInputError, match="UTF-8"):
        parse_rows("email,courseId\nzoë@example.com,x\n".encode("latin-1"))
