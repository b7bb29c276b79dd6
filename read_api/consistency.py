"""Read your writes: wait, bounded, until a projection has applied what the caller wrote.

What to wait for is the signed-in caller's own latest writes, recorded by the write API for
their user id (so a plain client needs no header), merged with any ``X-Consistency-Token`` a
write answered (``identity:42,sessions:7``: the way for an anonymous client or another user).
When the wait runs out the read is served anyway, marked ``X-Consistency: stale``.

Waiting readers share one watch per projection: however many wait, the process reads the
projection's positions once per interval, and every waiter checks against that. Positions
only grow, so a position seen once stays true. The read models' positions are in their
database; ``analytics`` reads its own from the analytics store.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from fastapi import Header, Request
from starlette.concurrency import run_in_threadpool

from domain.errors import InvalidInputError
from infra.security.caller_checks import facts_of
from infra.web.caller import caller_of
from infra.web.middleware import STALE_FLAG
from projections.analytics.runner import ANALYTICS
from projections.analytics.runner import applied_by_application as analytics_applied
from projections.tracking import applied_by_application

POLL_SECONDS = 0.005
ANALYTICS_POLL_SECONDS = 0.02  # each look is a ClickHouse query
log = logging.getLogger("campus.consistency")


class ProjectionWatch:
    def __init__(self, read: Callable[[], dict[str, int]], interval: float = POLL_SECONDS) -> None:
        self.read = read  # application -> position applied through
        self.interval = interval
        self.positions: dict[str, int] = {}
        self.refreshing: asyncio.Future[None] | None = None

    def reached(self, wanted: dict[str, int]) -> bool:
        return all(self.positions.get(app, 0) >= position for app, position in wanted.items())

    async def wait(self, wanted: dict[str, int], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not self.reached(wanted):
            if time.monotonic() >= deadline:
                return False
            await self.refreshed()
        return True

    async def refreshed(self) -> None:
        """Join the refresh in flight, or start one: one query serves every waiter."""
        if self.refreshing is None or self.refreshing.done():
            self.refreshing = asyncio.ensure_future(self.refresh())
        await asyncio.shield(self.refreshing)

    async def refresh(self) -> None:
        await asyncio.sleep(self.interval)  # readers arriving meanwhile share this read
        self.positions = await run_in_threadpool(self.read)


def watch(state: Any, projection: str) -> ProjectionWatch:
    if projection == ANALYTICS:

        def read() -> dict[str, int]:
            state.campus.analytics_wanted.ring()  # analytics in this process: stop gathering
            return analytics_applied(state.analytics)

        return ProjectionWatch(read, ANALYTICS_POLL_SECONDS)
    return ProjectionWatch(
        partial(state.read_models.run_connected, applied_by_application, projection)
    )


def parse(token: str, applications: set[str]) -> dict[str, int]:
    try:
        pairs = (part.split(":") for part in token.split(",") if part.strip())
        wanted = {app.strip(): int(position) for app, position in pairs}
    except ValueError:
        raise InvalidInputError("Malformed X-Consistency-Token") from None
    if not wanted.keys() <= applications:
        raise InvalidInputError("X-Consistency-Token names an unknown application")
    return wanted


def watch_of(request: Request, projection: str) -> ProjectionWatch:
    watches = request.app.state.watches
    if projection not in watches:
        watches[projection] = watch(request.app.state, projection)
    return watches[projection]


async def wanted_by(request: Request, token: str | None) -> dict[str, int]:
    """The positions this read must reflect; looked up once per request, however many
    projections it joins."""
    state = request.scope.setdefault("state", {})
    if "wanted_positions" not in state:
        wanted = parse(token, request.app.state.applications) if token else {}
        caller = caller_of(request.scope)
        for app, position in (await own_writes(request, caller) if caller else {}).items():
            wanted[app] = max(position, wanted.get(app, 0))
        state["wanted_positions"] = wanted
    return state["wanted_positions"]


async def own_writes(request: Request, caller: str) -> dict[str, int]:
    facts = facts_of(request.scope)
    if facts and facts.caller == caller and facts.positions is not None:
        return facts.positions  # looked up at the door, in the limiter's round trip
    try:
        return await run_in_threadpool(request.app.state.session_positions.latest, caller)
    except Exception:
        # Without the record the read cannot wait for it, but it still answers.
        log.warning("could not look up the caller's positions", exc_info=True)
        return {}


def consistent_with(projection: str) -> Callable[..., Awaitable[None]]:
    async def wait(
        request: Request, x_consistency_token: str | None = Header(default=None)
    ) -> None:
        wanted = await wanted_by(request, x_consistency_token)
        if not wanted:
            return
        seconds = request.app.state.settings.consistency_wait_seconds
        if not await watch_of(request, projection).wait(wanted, seconds):
            request.scope.setdefault("state", {})[STALE_FLAG] = True

    return wait
