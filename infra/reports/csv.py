"""Render a report as CSV: a header row of the API's field names, then one row per item.

Free text (titles, names) that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``, a tab or a carriage return first) is prefixed with ``'``; numbers are written as they
are, so a negative revenue stays a number.
"""

from __future__ import annotations

import csv
import io

from infra.reports.tables import csv_table
from schemas.analytics import ReportView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: ReportView) -> bytes:
    table = csv_table(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([column.key for column in table.columns])
    for row in table.rows():
        writer.writerow(
            [
                defused(cell) if column.kind == "text" else cell
                for column, cell in zip(table.columns, row, strict=True)
            ]
        )
    return out.getvalue().encode()


def defused(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
