"""Read the file of a multipart upload as it arrives, from blocking code in a worker thread.

Starlette's form parser spools every file to a temporary file before the endpoint runs and
sets no limit on its size, and course videos run to hundreds of megabytes. Here the body is
parsed while it arrives and the ``file`` part's bytes are handed to a blocking reader chunk
by chunk: nothing is spooled, memory holds about one chunk, and whoever reads (the blob
store) counts the bytes and refuses an upload past its limit while the client still sends.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from concurrent.futures import TimeoutError as FutureTimeout

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from domain.errors import InvalidInputError

MAX_HEADER_BYTES = 16 * 1024
STALL_SECONDS = 120  # a client that sends nothing for this long has gone


class MalformedUploadError(InvalidInputError):
    """The body is not multipart/form-data carrying a complete file in the expected field."""

    message = "Send the file as multipart/form-data in a field named 'file'"


class FilePart:
    """The first file in field ``field`` of a multipart body, parsed as the body arrives."""

    def __init__(self, body: AsyncIterator[bytes], boundary: bytes, field: str) -> None:
        self.body, self.field = body, field.encode()
        self.filename, self.content_type = "", "application/octet-stream"
        self.pending: list[bytes] = []
        self.found = self.in_file = self.complete = False
        self.headers: dict[bytes, bytes] = {}
        self.header = [b"", b""]
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self.headers.clear,
                "on_header_field": lambda d, s, e: self.grow_header(0, d[s:e]),
                "on_header_value": lambda d, s, e: self.grow_header(1, d[s:e]),
                "on_header_end": self.header_ended,
                "on_headers_finished": self.headers_finished,
                "on_part_data": self.part_data,
                "on_part_end": self.part_ended,
            },
        )

    @classmethod
    async def open(cls, request: Request, field: str = "file") -> FilePart:
        """Parse the body up to the file's own headers (its name and content type)."""
        kind, options = parse_options_header(request.headers.get("content-type", ""))
        if kind != b"multipart/form-data" or not options.get(b"boundary"):
            raise MalformedUploadError
        part = cls(aiter(request.stream()), options[b"boundary"], field)
        while not part.found:
            if not await part.feed():
                raise MalformedUploadError
        return part

    async def feed(self) -> bool:
        """Parse the next chunk of the body; False once the body has ended."""
        try:
            chunk = await anext(self.body, None)
        except ClientDisconnect:
            raise MalformedUploadError("The client left before the upload was complete") from None
        if chunk is None:
            return False
        try:
            self.parser.write(chunk)
        except FormParserError as error:
            raise MalformedUploadError(f"Malformed multipart body: {error}") from None
        return True

    async def pull(self) -> bytes:
        """The file's next bytes; ``b""`` once the file is complete."""
        while not self.pending and not self.complete:
            if not await self.feed():
                raise MalformedUploadError("The body ended before the file was complete")
        return self.pending.pop(0) if self.pending else b""

    def reader(self) -> io.RawIOBase:
        """A blocking file-like view of the file, for a worker thread (never the event loop)."""
        return BlockingReader(self, asyncio.get_running_loop())

    def grow_header(self, which: int, data: bytes) -> None:
        self.header[which] += data
        if len(self.header[0]) + len(self.header[1]) > MAX_HEADER_BYTES:
            raise MalformedUploadError("A multipart header is too long")

    def header_ended(self) -> None:
        self.headers[self.header[0].lower()] = self.header[1]
        self.header = [b"", b""]

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if self.found or options.get(b"name") != self.field or b"filename" not in options:
            return  # other fields and files are skipped, never buffered
        self.found = self.in_file = True
        self.filename = options[b"filename"].decode("utf-8", "replace")
        declared = self.headers.get(b"content-type", self.content_type.encode())
        self.content_type = declared.decode("latin-1")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.pending.append(bytes(data[start:end]))

    def part_ended(self) -> None:
        if self.in_file:
            self.in_file, self.complete = False, True


class BlockingReader(io.RawIOBase):
    """Each read waits for the event loop to bring the next bytes of the file."""

    def __init__(self, part: FilePart, loop: asyncio.AbstractEventLoop) -> None:
        self.part, self.loop, self.rest = part, loop, memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self.rest:
            arriving = asyncio.run_coroutine_threadsafe(self.part.pull(), self.loop)
            try:
                self.rest = memoryview(arriving.result(STALL_SECONDS))
            except FutureTimeout:
                arriving.cancel()
                raise MalformedUploadError("The upload stopped arriving") from None
        size = min(len(buffer), len(self.rest))
        buffer[:size], self.rest = self.rest[:size], self.rest[size:]
        return size
