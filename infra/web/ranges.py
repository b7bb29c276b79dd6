"""HTTP byte ranges (RFC 9110 §14): which part of a file a ``Range`` header asks for.

One range per request is served (what players send to seek). A header asking for several
ranges, or one that does not parse, is ignored and the whole file is sent, as the RFC allows;
a range that starts past the end is answered 416.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException

SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.IGNORECASE)


def not_satisfiable(size: int) -> HTTPException:
    return HTTPException(416, "Range not satisfiable", headers={"Content-Range": f"bytes */{size}"})


def requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte positions asked for, or None for the whole file."""
    match = SINGLE_RANGE.fullmatch((header or "").strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # a suffix: the last N bytes
        if int(last) == 0 or size == 0:
            raise not_satisfiable(size)
        return max(size - int(last), 0), size - 1
    if last and int(last) < int(first):
        return None  # not a valid range: ignored
    if int(first) >= size:
        raise not_satisfiable(size)
    return int(first), min(int(last), size - 1) if last else size - 1


def content_range(first: int, last: int, size: int) -> str:
    return f"bytes {first}-{last}/{size}"
