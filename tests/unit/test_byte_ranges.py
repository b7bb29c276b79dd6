"""Which bytes a Range header asks for (RFC 9110 §14), for a file of 1000 bytes."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException

from infra.web.ranges import requested_range

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=500-", (500, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("BYTES=1-1", (1, 1)),
    ],
)
def test_a_single_range_is_the_bytes_it_names_within_the_file(header, expected):
    assert requested_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header", [None, "", "bytes=", "bytes=-", "items=0-9", "bytes=9-0", "bytes=0-9,20-29", "x"]
)
def test_a_header_that_is_absent_malformed_or_multiple_means_the_whole_file(header):
    assert requested_range(header, SIZE) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_is_not_satisfiable_and_says_the_size(header):
    with pytest.raises(HTTPException) as refused:
        requested_range(header, SIZE)
    assert refused.value.status_code == 416
    assert refused.value.headers == {"Content-Range": "bytes */1000"}
