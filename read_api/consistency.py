"""Read your writes: wait, bounded, until a projection has applied a client's consistency token.

The token is what a write answered in ``X-Consistency-Token`` (``identity:42,sessions:7``).
When the wait runs out the read is served anyway, marked ``X-Consistency: stale``. The wait
sleeps on the event loop, so waiting readers hold no worker thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import Header, Request, Response
from starlette.concurrency import run_in_threadpool

from domain.errors import InvalidInputError
from projections.tracking import applied_through

POLL_SECONDS = 0.005


def parse(token: str, applications: set[str]) -> dict[str, int]:
    try:
        pairs = (part.split(":") for part in token.split(",") if part.strip())
        wanted = {app.strip(): int(position) for app, position in pairs}
    except ValueError:
        raise InvalidInputError("Malformed X-Consistency-Token") from None
    if not wanted.keys() <= applications:
        raise InvalidInputError("X-Consistency-Token names an unknown application")
    return wanted


def consistent_with(projection: str) -> Callable[..., Awaitable[None]]:
    async def wait(
        request: Request, response: Response, x_consistency_token: str | None = Header(default=None)
    ) -> None:
        if not x_consistency_token:
            return
        wanted = parse(x_consistency_token, request.app.state.applications)
        engine = request.app.state.read_engine
        deadline = time.monotonic() + request.app.state.settings.consistency_wait_seconds

        def behind() -> bool:
            with engine.connect() as conn:
                return any(applied_through(conn, projection, a) < p for a, p in wanted.items())

        while await run_in_threadpool(behind):
            if time.monotonic() >= deadline:
                response.headers["X-Consistency"] = "stale"
                return
            await asyncio.sleep(POLL_SECONDS)

    return wait
