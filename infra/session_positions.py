"""Each caller's latest writes, so that their later reads wait for them without any header.

The write API records, per user, the highest notification position each application gave that
user's writes; read endpoints look the user up and wait until their projection has applied
those positions. Redis holds them in production, so the write API, the read API and all their
workers see one record; the embedded default keeps them in the process. Positions only grow:
recording a lower one than what is held changes nothing, whatever order two requests finish in.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the Redis store's methods import it, so only a Redis deployment loads it
    import redis
    import redis.asyncio

# Long past any lag worth waiting for; a user who wrote nothing for a day has nothing to wait on.
TTL_SECONDS = 24 * 3600

# Keep the higher of the held and the given position for each application, in one round trip.
RECORD = """
for i = 1, #ARGV - 1, 2 do
  local held = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > held then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('EXPIRE', KEYS[1], ARGV[#ARGV])
"""


class SessionPositions(Protocol):
    """Per caller: application -> the highest position their writes were saved at."""

    def record(self, caller: str, positions: dict[str, int]) -> None: ...

    async def arecord(self, caller: str, positions: dict[str, int]) -> None:
        """``record`` from an event loop, without blocking it or taking a thread."""

    def latest(self, caller: str) -> dict[str, int]: ...

    async def aclose(self) -> None: ...


class RedisSessionPositions:
    """Recorded by the write API's event loops on the asyncio client (one per loop: a client
    belongs to the loop that first used it), read by threads on the blocking one."""

    def __init__(self, client: redis.Redis, url: str) -> None:
        import redis.asyncio  # noqa: F401  # here, at start: an import in a request blocks its loop

        self.client, self.url = client, url
        self.script = client.register_script(RECORD)
        self.sha = hashlib.sha1(RECORD.encode()).hexdigest()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.async_client: redis.asyncio.Redis | None = None

    def record(self, caller: str, positions: dict[str, int]) -> None:
        self.script(keys=[key(caller)], args=arguments(positions))

    async def arecord(self, caller: str, positions: dict[str, int]) -> None:
        from redis.exceptions import NoScriptError

        client, args = self.client_of_loop(), arguments(positions)
        try:
            await client.evalsha(self.sha, 1, key(caller), *args)
        except NoScriptError:  # Redis restarted or flushed its scripts
            await client.eval(RECORD, 1, key(caller), *args)

    def client_of_loop(self) -> redis.asyncio.Redis:
        import redis.asyncio

        loop = asyncio.get_running_loop()
        if self.async_client is None or self.loop is not loop:
            self.loop, self.async_client = loop, redis.asyncio.Redis.from_url(self.url)
        return self.async_client

    async def aclose(self) -> None:
        if self.async_client is not None and self.loop is asyncio.get_running_loop():
            await self.async_client.aclose()
        self.async_client = self.loop = None

    def latest(self, caller: str) -> dict[str, int]:
        held = self.client.hgetall(key(caller))
        return {app.decode(): int(position) for app, position in held.items()}


class MemorySessionPositions:
    """The embedded default's: one process serves every request, so memory is the truth."""

    def __init__(self, max_callers: int = 100_000) -> None:
        self.max_callers = max_callers
        self.held: OrderedDict[str, dict[str, int]] = OrderedDict()
        self.lock = threading.Lock()

    def record(self, caller: str, positions: dict[str, int]) -> None:
        with self.lock:
            held = self.held.pop(caller, {})
            for app, position in positions.items():
                held[app] = max(position, held.get(app, 0))
            self.held[caller] = held  # most recent last; the least recent goes first
            while len(self.held) > self.max_callers:
                self.held.popitem(last=False)

    async def arecord(self, caller: str, positions: dict[str, int]) -> None:
        self.record(caller, positions)  # memory: microseconds, no thread needed

    def latest(self, caller: str) -> dict[str, int]:
        with self.lock:
            return dict(self.held.get(caller, {}))

    async def aclose(self) -> None:
        return None


def arguments(positions: dict[str, int]) -> list[object]:
    return [*(item for pair in positions.items() for item in pair), TTL_SECONDS]


def key(caller: str) -> str:
    return f"campus:session-positions:{caller}"
