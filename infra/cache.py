"""A generational cache for read-model queries: Redis in production, in-process when embedded.

Each namespace has a generation; entries are stored under the generation current when they
were made, and the projector bumps the generation after it commits a change, so every older
entry is unreachable at once (and expires by its TTL). No key listing, no race with readers.

A read API process keeps the entries it met in memory too, encoded: when the door's round trip
to Redis already brought the generation (``cached``), a hit costs no I/O and no thread.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Protocol

import orjson

if TYPE_CHECKING:  # the Redis cache imports it where it runs; the embedded default never does
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

    def cached(self, namespace: str, generation: str, key: str) -> Any | None:
        """The value this process holds under ``generation``, without asking anyone."""

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None: ...

    def bump(self, namespace: str) -> None: ...


def generation_key(namespace: str) -> str:
    return f"campus:gen:{namespace}"


class LocalEntries:
    """Values kept for ``ttl`` seconds, at most ``max_entries`` of them."""

    def __init__(self, ttl_seconds: int, max_entries: int = 1000) -> None:
        self.ttl, self.max_entries = ttl_seconds, max_entries
        self.entries: dict[tuple[str, str, str], tuple[float, Any]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> Any | None:
        with self.lock:
            expires, value = self.entries.get(key, (0.0, None))
        return value if expires > time.monotonic() else None

    def put(self, key: tuple[str, str, str], value: Any) -> None:
        with self.lock:
            if len(self.entries) >= self.max_entries:
                self.entries.clear()  # crude but bounded; entries are cheap to recompute
            self.entries[key] = (time.monotonic() + self.ttl, value)


class RedisQueryCache:
    """While Redis is away every lookup misses and nothing is stored: reads go to the read
    models, slower but right. A generation bump that fails is not skipped (see ``bump``)."""

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self.client, self.ttl = client, ttl_seconds
        self.script = client.register_script(GET)
        self.local = LocalEntries(ttl_seconds)

    def get(self, namespace: str, key: str) -> tuple[Any | None, str]:
        """The cached value (or None) and the generation to store a fresh one under."""
        import redis

        try:
            generation, value = self.script(
                keys=[generation_key(namespace), f"campus:cache:{namespace}"], args=[key]
            )
        except redis.RedisError:
            return None, UNCACHED
        generation = generation.decode() if isinstance(generation, bytes) else str(generation)
        if not value:
            return None, generation
        # Kept as the JSON it is: the answer embeds it without decoding it and encoding it again.
        found = orjson.Fragment(value)
        self.local.put((namespace, generation, key), found)
        return found, generation

    def cached(self, namespace: str, generation: str, key: str) -> Any | None:
        return self.local.get((namespace, generation, key))

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None:
        if generation == UNCACHED:
            return
        import redis

        encoded = orjson.dumps(value)
        self.local.put((namespace, generation, key), orjson.Fragment(encoded))
        with suppress(redis.RedisError):
            self.client.set(f"campus:cache:{namespace}:{generation}:{key}", encoded, ex=self.ttl)

    def bump(self, namespace: str) -> None:
        self.client.incr(f"campus:gen:{namespace}")


class MemoryQueryCache:
    def __init__(self, ttl_seconds: int, max_entries: int = 1000) -> None:
        self.generations: dict[str, int] = {}
        self.local = LocalEntries(ttl_seconds, max_entries)

    def get(self, namespace: str, key: str) -> tuple[Any | None, str]:
        generation = str(self.generations.get(namespace, 0))
        return self.cached(namespace, generation, key), generation

    def cached(self, namespace: str, generation: str, key: str) -> Any | None:
        return self.local.get((namespace, generation, key))

    def put(self, namespace: str, generation: str, key: str, value: Any) -> None:
        self.local.put((namespace, generation, key), value)

    def bump(self, namespace: str) -> None:
        with self.local.lock:  # one bump at a time: none is lost
            self.generations[namespace] = self.generations.get(namespace, 0) + 1
