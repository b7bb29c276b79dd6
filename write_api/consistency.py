"""Give every write response a consistency token: what it saved, as ``application:position``.

Read endpoints accept the token and wait until their projection has applied it, so a client
reads its own writes. Handlers stay unaware: the applications report their saves to a
request-scoped list that this middleware creates and reads.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commands.applications import saved_in_request

HEADER = b"x-consistency-token"


def encode(saved: list[tuple[str, int]]) -> str:
    latest: dict[str, int] = {}
    for application, position in saved:
        latest[application] = max(position, latest.get(application, 0))
    return ",".join(f"{app}:{pos}" for app, pos in sorted(latest.items()))


class ConsistencyTokenMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        saved: list = []
        token = saved_in_request.set(saved)

        async def send_with_token(message: Message) -> None:
            if message["type"] == "http.response.start" and saved:
                message["headers"] = [*message.get("headers", []), (HEADER, encode(saved).encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_token)
        finally:
            saved_in_request.reset(token)
