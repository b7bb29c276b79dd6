"""Python values to and from ClickHouse's text formats, for the chDB store.

``bind`` writes a query parameter the way ClickHouse reads one: a top-level string is text in
ClickHouse's escaped format (backslash, quotes, tab, newline… escaped); an element of an array
is a quoted literal. Only plain values are accepted (str, numbers, dates, UUIDs and lists of
them), and the engine parses each as its placeholder's type: a value is never SQL.
``typed`` reads a JSON answer back into the Python types clickhouse-connect answers with, so
both stores hand queries the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

SCALARS = (str, int, float, Decimal, UUID, date)
ZONE = re.compile(r"'([^']+)'")


def bind(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ",".join(literal(item) for item in value) + "]"
    if value is None:
        return "\\N"
    return escaped(text(value))


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float | Decimal):
        return text(value)
    return "'" + escaped(text(value)) + "'"


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, SCALARS):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise TypeError(f"cannot bind a {type(value).__name__} as a query parameter")


ESCAPES = str.maketrans(
    {"\\": "\\\\", "'": "\\'", "`": "\\`", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}
)


def escaped(value: str) -> str:
    return value.translate(ESCAPES)


def utc(moment: datetime) -> str:
    """Naive moments are taken to be UTC already, as every moment in Campus is."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def json_value(value: Any) -> Any:
    """``json.dumps``'s fallback for the values of an inserted row."""
    if isinstance(value, datetime):  # with its offset: a column's own zone cannot shift it
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"cannot insert a {type(value).__name__}")


def base_type(clickhouse_type: str) -> str:
    while clickhouse_type.startswith(("Nullable(", "LowCardinality(")):
        clickhouse_type = clickhouse_type[clickhouse_type.index("(") + 1 : -1]
    return clickhouse_type


def moment(value: str, clickhouse_type: str) -> datetime:
    """A DateTime is written in its column's zone, else the session's (UTC)."""
    zone = ZONE.search(clickhouse_type)
    named = zone[1] if zone else "UTC"
    return datetime.fromisoformat(value).replace(tzinfo=UTC if named == "UTC" else ZoneInfo(named))


READERS: dict[str, Callable[[str, str], Any]] = {
    "DateTime": moment,
    "Date": lambda value, _: date.fromisoformat(value),
    "Int": lambda value, _: int(value),  # 64-bit and wider integers may come quoted
    "UInt": lambda value, _: int(value),
    "Decimal": lambda value, _: Decimal(value),
}


def typed(value: Any, clickhouse_type: str) -> Any:
    if value is None:
        return None
    kind = base_type(clickhouse_type)
    for prefix, read in READERS.items():
        if kind.startswith(prefix) and isinstance(value, str):
            return read(value, kind)
    return value
