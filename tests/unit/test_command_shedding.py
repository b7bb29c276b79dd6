"""A worker with as many commands in flight as it takes refuses the next at once, and only it."""

from __future__ import annotations

import asyncio
import json

import httpx
from starlette.types import Receive, Scope, Send

from infra.web.shedding import CommandSheddingMiddleware

LIMIT = 2


class HeldCommands:
    """An ASGI app whose commands wait until released; its reads answer at once."""

    def __init__(self) -> None:
        self.released = asyncio.Event()
        self.started = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "GET":
            self.started += 1
            await self.released.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})


def run(scenario) -> dict:
    async def main() -> dict:
        inner = HeldCommands()
        app = CommandSheddingMiddleware(inner, limit=LIMIT)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://campus") as client:
            return await scenario(client, inner)

    return asyncio.run(main())


async def fill(client: httpx.AsyncClient, inner: HeldCommands) -> list[asyncio.Task]:
    """Send as many commands as the worker takes, and wait until each is in flight."""
    held = [asyncio.create_task(client.post("/api/progress/update")) for _ in range(LIMIT)]
    for _ in range(200):
        if inner.started == LIMIT:
            return held
        await asyncio.sleep(0.01)
    raise AssertionError("the held commands never started")


def test_a_command_past_the_limit_is_a_429_with_retry_after_in_the_envelope():
    async def scenario(client, inner) -> dict:
        held = await fill(client, inner)
        refused = await client.put("/api/auth/user/profile")
        inner.released.set()
        answered = await asyncio.gather(*held)
        return {"refused": refused, "held": [a.status_code for a in answered]}

    outcome = run(scenario)
    refused = outcome["refused"]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    body = json.loads(refused.content)
    assert body["status"] == "error" and body["error"]["errorCode"] == 429
    assert outcome["held"] == [200] * LIMIT


def test_reads_are_answered_while_the_commands_are_full():
    async def scenario(client, inner) -> dict:
        held = await fill(client, inner)
        read = await client.get("/api/auth/user/profile")
        inner.released.set()
        await asyncio.gather(*held)
        return {"read": read.status_code}

    assert run(scenario) == {"read": 200}


def test_a_command_is_taken_again_once_one_in_flight_has_ended():
    async def scenario(client, inner) -> dict:
        held = await fill(client, inner)
        inner.released.set()
        await asyncio.gather(*held)
        again = await client.post("/api/progress/update")
        return {"again": again.status_code}

    assert run(scenario) == {"again": 200}
