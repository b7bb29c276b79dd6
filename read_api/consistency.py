"""Read your writes: wait, bounded, until a projection has applied a client's consistency token.

The token is what a write answered in ``X-Consistency-Token`` (``identity:42,sessions:7``).
When the wait runs out the read is served anyway, marked ``X-Consistency: stale``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import Header, Request, Response

from domain.errors import InvalidInputError
from projections.tracking import applied_through


def parse(token: str) -> dict[str, int]:
    try:
        pairs = (part.split(":") for part in token.split(",") if part.strip())
        return {app.strip(): int(position) for app, position in pairs}
    except ValueError:
        raise InvalidInputError("Malformed X-Consistency-Token") from None


def consistent_with(projection: str) -> Callable[..., None]:
    def wait(
        request: Request, response: Response, x_consistency_token: str | None = Header(default=None)
    ) -> None:
        if not x_consistency_token:
            return
        wanted = parse(x_consistency_token)
        deadline = time.monotonic() + request.app.state.settings.consistency_wait_seconds
        engine = request.app.state.read_engine
        while True:
            with engine.connect() as conn:
                behind = [a for a, p in wanted.items() if applied_through(conn, projection, a) < p]
            if not behind:
                return
            if time.monotonic() >= deadline:
                response.headers["X-Consistency"] = "stale"
                return
            time.sleep(0.005)

    return wait
