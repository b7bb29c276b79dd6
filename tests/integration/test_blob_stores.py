"""The blob store contract, run against the local folder and a real S3-compatible server."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.errors import TooLargeError
from infra.blobs import open_blob_store
from tests.blobs import new_bucket, s3_server
from tests.conftest import embedded_settings

LIMIT = 20 * 1024 * 1024  # past the S3 adapter's 8 MiB part size: multipart uploads too
CONTENT = os.urandom(3 * 1024 * 1024 + 17)


class Trickle(io.RawIOBase):
    """A stream that gives a few bytes per read and cannot seek, like a request body."""

    def __init__(self, data: bytes, step: int = 65_537) -> None:
        self.data, self.step = memoryview(data), step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.step, len(self.data))
        buffer[:n], self.data = self.data[:n], self.data[n:]
        return n


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    overrides = {"media_max_bytes": LIMIT}
    if request.param == "s3":
        overrides |= new_bucket(request.getfixturevalue("s3_endpoint"))
    return open_blob_store(embedded_settings(tmp_path, **overrides))


def read(store, key: str, start: int, end: int) -> bytes:
    return b"".join(store.open_range(key, start, end))


def test_a_stored_blob_reads_back_whole_and_reports_its_size(store):
    assert store.put("courses/c1/m1", Trickle(CONTENT), "video/mp4") == len(CONTENT)
    assert read(store, "courses/c1/m1", 0, len(CONTENT) - 1) == CONTENT


def test_a_byte_range_reads_exactly_those_bytes(store):
    store.put("courses/c1/m2", Trickle(CONTENT), "video/mp4")
    assert read(store, "courses/c1/m2", 500, 1_500_499) == CONTENT[500:1_500_500]


def test_open_ended_and_suffix_ranges_read_to_the_end(store):
    store.put("courses/c1/m3", Trickle(CONTENT), "application/pdf")
    size = len(CONTENT)
    assert read(store, "courses/c1/m3", size - 500, size - 1) == CONTENT[-500:]
    assert read(store, "courses/c1/m3", 1_000_000, size - 1) == CONTENT[1_000_000:]


def test_a_blob_past_the_limit_is_refused_and_nothing_stays(store):
    too_big = CONTENT * 7  # over 20 MiB, though nothing declares its length up front
    with pytest.raises(TooLargeError):
        store.put("courses/c1/big", Trickle(too_big, step=1024 * 1024), "video/mp4")
    with pytest.raises(FileNotFoundError):
        store.open_range("courses/c1/big", 0, 10)


def test_a_blob_of_exactly_the_limit_is_accepted(tmp_path):
    store = open_blob_store(embedded_settings(tmp_path, media_max_bytes=len(CONTENT)))
    assert store.put("courses/c1/exact", Trickle(CONTENT), "video/mp4") == len(CONTENT)


def test_a_deleted_blob_is_gone_and_deleting_again_is_harmless(store):
    store.put("courses/c1/m4", io.BytesIO(b"hello"), "text/plain")
    store.delete("courses/c1/m4")
    store.delete("courses/c1/m4")
    with pytest.raises(FileNotFoundError):
        store.open_range("courses/c1/m4", 0, 4)


def test_an_unknown_key_is_not_found_before_any_byte_is_read(store):
    with pytest.raises(FileNotFoundError):
        store.open_range("courses/c1/never", 0, 10)


def test_the_local_store_never_shows_half_written_files(tmp_path):
    store = open_blob_store(embedded_settings(tmp_path, media_max_bytes=10))
    with pytest.raises(TooLargeError):
        store.put("courses/c1/partial", io.BytesIO(b"x" * 11), "text/plain")
    leftovers = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert leftovers == []


def test_the_local_store_refuses_keys_that_leave_its_folder(tmp_path):
    store = open_blob_store(embedded_settings(tmp_path))
    with pytest.raises(ValueError):
        store.put("../outside", io.BytesIO(b"x"), "text/plain")


def test_a_refused_s3_upload_leaves_no_unfinished_multipart_upload(tmp_path, s3_endpoint):
    settings = embedded_settings(tmp_path, media_max_bytes=LIMIT, **new_bucket(s3_endpoint))
    store = open_blob_store(settings)
    with pytest.raises(TooLargeError):
        store.put("courses/c1/big", Trickle(CONTENT * 7, step=1024 * 1024), "video/mp4")
    unfinished = store.client.list_multipart_uploads(Bucket=settings.s3_bucket)
    assert unfinished.get("Uploads", []) == []
