"""A multipart upload's file is read while the body arrives, never buffered whole."""

from __future__ import annotations

import asyncio
import os

import pytest
from starlette.requests import Request

from infra.web.uploads import FilePart, MalformedUploadError

BOUNDARY = "campus-boundary"
CONTENT = os.urandom(50_000)


def body(content: bytes = CONTENT, closed: bool = True) -> bytes:
    note = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
    ).encode()
    file = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="talk.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    return note + file + content + (f"\r\n--{BOUNDARY}--\r\n".encode() if closed else b"")


def request(payload: bytes, sent: list[int], chunk: int = 997, kind: str | None = None) -> Request:
    pieces = [payload[i : i + chunk] for i in range(0, len(payload), chunk)]

    async def receive() -> dict:
        sent.append(1)
        piece = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    content_type = kind or f"multipart/form-data; boundary={BOUNDARY}"
    scope = {
        "type": "http",
        "method": "POST",
        "headers": [(b"content-type", content_type.encode())],
    }
    return Request(scope, receive)


def read_upload(payload: bytes, sent: list[int], first: int = -1) -> tuple[FilePart, bytes]:
    async def main() -> tuple[FilePart, bytes]:
        part = await FilePart.open(request(payload, sent))
        reader = part.reader()
        return part, await asyncio.to_thread(reader.read, first)  # -1: to the end

    return asyncio.run(main())


def test_the_file_arrives_whole_with_its_name_and_content_type():
    part, content = read_upload(body(), [])
    assert (part.filename, part.content_type, content) == ("talk.mp4", "video/mp4", CONTENT)


def test_the_first_bytes_are_readable_before_the_body_has_arrived():
    sent: list[int] = []
    _, start = read_upload(body(), sent, first=100)
    assert start == CONTENT[:100]
    assert len(sent) < len(body()) // 997 // 2


def test_a_body_that_ends_inside_the_file_is_malformed():
    with pytest.raises(MalformedUploadError):
        read_upload(body(closed=False), [])


def test_a_body_that_is_not_multipart_is_malformed():
    async def main() -> None:
        await FilePart.open(request(b"{}", [], kind="application/json"))

    with pytest.raises(MalformedUploadError):
        asyncio.run(main())
