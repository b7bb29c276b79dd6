"""Make every write visible to its caller's next reads: record it for the caller, answer a token.

The applications report each save of the request to a request-scoped list (handlers stay
unaware). Before the answer leaves, the middleware records the highest position per
application under the caller's user id, so that the same user's later reads, on any device and
any API process, wait for them with no header; and it answers them as ``X-Consistency-Token``
(``identity:42,sessions:7``), the way for anyone else (an anonymous client, another user) to ask
for the same guarantee. The caller is the signed-in user, or the user a request has just signed
in (registration, login), whom ``write_api.deps.token_pair`` names.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commands.applications import saved_in_request
from infra.session_positions import SessionPositions
from infra.web.caller import caller_of

HEADER = b"x-consistency-token"
log = logging.getLogger("campus.consistency")


def latest(saved: list[tuple[str, int]]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for application, position in saved:
        positions[application] = max(position, positions.get(application, 0))
    return positions


def encode(positions: dict[str, int]) -> str:
    return ",".join(f"{app}:{pos}" for app, pos in sorted(positions.items()))


class ConsistencyTokenMiddleware:
    def __init__(self, app: ASGIApp, sessions: SessionPositions) -> None:
        self.app, self.sessions = app, sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        saved: list[tuple[str, int]] = []
        token = saved_in_request.set(saved)

        async def send_with_token(message: Message) -> None:
            if message["type"] == "http.response.start" and saved:
                positions = latest(saved)
                caller = caller_of(scope)
                if caller:  # before the answer leaves, so no read of the caller can beat it
                    await self.record(caller, positions)
                message["headers"] = [
                    *message.get("headers", []),
                    (HEADER, encode(positions).encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_token)
        finally:
            saved_in_request.reset(token)

    async def record(self, caller: str, positions: dict[str, int]) -> None:
        try:
            # On the event loop: a thread hop here cost more than the Redis call itself.
            await self.sessions.arecord(caller, positions)
        except Exception:
            # The write is committed and must be answered; the token still carries the guarantee.
            log.warning("could not record the caller's positions", exc_info=True)
