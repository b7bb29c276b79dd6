"""A generational cache for read-model queries: Redis in production, in-process when embedded.

Each namespace has a generation; entries are stored under the generation current when they
were made, and the projector bumps the generation after it commits a change, so every older
entry is unreachable at once (and expires by its TTL). No key listing, no race with readers.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from typing import Any, Protocol

import orjson
import redis

UNCACHED = "uncached"  # the generation of a value read while the cache was away: never stored

# Read the generation and the entry in one round trip.
GET = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', KEYS[2] .. ':' .. generation .. ':' .. ARGV[1])}
"""


class QueryCache(Protocol):
    """Values under a namespace's current generation; ``bump`` makes every older one unreachable."""

    def get(self, namespace: str, key: str) -> tuple[Any | None, str]: ...

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None: ...

    def bump(self, namespace: str) -> None: ...


class RedisQueryCache:
    """While Redis is away every lookup misses and nothing is stored: reads go to the read
    models, slower but right. A generation bump that fails is not skipped (see ``bump``)."""

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self.client, self.ttl = client, ttl_seconds
        self.script = client.register_script(GET)

    def get(self, namespace: str, key: str) -> tuple[Any | None, str]:
        """The cached value (or None) and the generation to store a fresh one under."""
        try:
            generation, value = self.script(
                keys=[f"campus:gen:{namespace}", f"campus:cache:{namespace}"], args=[key]
            )
        except redis.RedisError:
            return None, UNCACHED
        generation = generation.decode() if isinstance(generation, bytes) else str(generation)
        return (orjson.loads(value) if value else None), generation

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None:
        if generation == UNCACHED:
            return
        with suppress(redis.RedisError):
            self.client.set(
                f"campus:cache:{namespace}:{generation}:{key}", orjson.dumps(value), ex=self.ttl
            )

    def bump(self, namespace: str) -> None:
        self.client.incr(f"campus:gen:{namespace}")


class MemoryQueryCache:
    def __init__(self, ttl_seconds: int, max_entries: int = 1000) -> None:
        self.ttl, self.max_entries = ttl_seconds, max_entries
        self.generations: dict[str, int] = {}
        self.entries: dict[tuple[str, str, str], tuple[float, Any]] = {}
        self.lock = threading.Lock()

    def get(self, namespace: str, key: str) -> tuple[Any | None, str]:
        with self.lock:
            generation = str(self.generations.get(namespace, 0))
            expires, value = self.entries.get((namespace, generation, key), (0.0, None))
        return (value if expires > time.monotonic() else None), generation

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None:
        with self.lock:
            if len(self.entries) >= self.max_entries:
                self.entries.clear()  # crude but bounded; entries are cheap to recompute
            self.entries[(namespace, generation, key)] = (time.monotonic() + self.ttl, value)

    def bump(self, namespace: str) -> None:
        with self.lock:
            self.generations[namespace] = self.generations.get(namespace, 0) + 1
