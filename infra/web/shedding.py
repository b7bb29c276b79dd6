"""Refuse commands a worker cannot start soon, rather than queue them past anyone's patience.

Under a burst beyond what the machine can do, a worker that takes every command queues them
until answers come after tens of seconds: clients time out and send again, and the backlog
outlives the burst. Each worker holds at most ``limit`` commands in flight; the next one is
answered at once with 429 and Retry-After, in the envelope, so the wait of every command it
did take stays bounded and the worker is caught up the moment the burst ends. Reads are not
counted: most of a read's time in flight is its wait for the caller's own write, which costs
the worker nothing.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from infra.web.middleware import send_envelope

READS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY = "The server is busy; retry in a moment"


class CommandSheddingMiddleware:
    def __init__(self, app: ASGIApp, limit: int, retry_after_seconds: int = 1) -> None:
        self.app, self.limit = app, limit
        self.retry_after = [(b"retry-after", str(retry_after_seconds).encode())]
        self.in_flight = 0  # one event loop per worker: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            return await self.app(scope, receive, send)
        if self.in_flight >= self.limit:
            return await send_envelope(send, 429, BUSY, self.retry_after)
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
