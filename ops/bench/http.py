"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for the lag client.

httpx, measured on the 2-core machine the figures come from, stops keeping its schedule
between 400 and 600 requests/s (it spends ≈ 1.5 ms of CPU per request); the lag benchmark
offers 500 writes and 500 reads a second, so with httpx it would measure the client. This
client only speaks what Campus answers: a status line, headers, a Content-Length body.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlparse

# uvicorn closes a connection idle for 5 s; one idle longer than this is not reused.
IDLE_SECONDS = 3.0
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class ProtocolError(Exception):
    """The server answered something this client does not speak (e.g. a chunked body)."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return int(status_line.split(" ", 2)[1]), headers


class Pool:
    """Connections to one server: reused when idle, opened when all are busy."""

    def __init__(self, base_url: str) -> None:
        url = urlparse(base_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.idle: list[tuple[Stream, float]] = []  # with when each became idle

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Response:
        reader, writer = await self.acquire()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()] + [f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            status, answer = parse_head(await reader.readuntil(b"\r\n\r\n"))
            if "content-length" not in answer:
                raise ProtocolError(f"no Content-Length in a {status} answer")
            content = await reader.readexactly(int(answer["content-length"]))
        except BaseException:
            writer.close()  # the stream is in an unknown state: never reuse it
            raise
        if answer.get("connection", "").lower() != "close":
            self.idle.append(((reader, writer), time.monotonic()))
        else:
            writer.close()
        return Response(status, answer, content)

    async def acquire(self) -> Stream:
        while self.idle:
            stream, since = self.idle.pop()
            if time.monotonic() - since < IDLE_SECONDS and not stream[0].at_eof():
                return stream
            stream[1].close()
        return await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        for (_, writer), _ in self.idle:
            writer.close()
        self.idle.clear()
