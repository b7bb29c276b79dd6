"""Rate limiting: at most N requests in any sliding 60-second window per caller.

A sliding log (one timestamp per request) is exact: "the 101st request in a minute" is refused
whatever the clock's minute boundaries, unlike fixed windows that let 2N through across one.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the Redis limiter is handed its client: nothing here loads redis
    import redis

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0


class RateLimiter(Protocol):
    def hit(self, key: str) -> Decision:
        """Count a request of ``key``'s caller; answer whether it may go ahead."""


class MemoryRateLimiter:
    """One process's limiter: the embedded default."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.hits: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()
        self.sweep_at = 10_000

    def forget_idle(self, now: float) -> None:
        """Drop callers with no hit in the window, so memory follows the active callers."""
        for key in [
            k for k, log in self.hits.items() if not log or log[-1] <= now - WINDOW_SECONDS
        ]:
            del self.hits[key]
        self.sweep_at = max(10_000, 2 * len(self.hits))

    def hit(self, key: str) -> Decision:
        now = time.monotonic()
        with self.lock:
            if len(self.hits) > self.sweep_at:
                self.forget_idle(now)
            log = self.hits[key]
            while log and log[0] <= now - WINDOW_SECONDS:
                log.popleft()
            if len(log) >= self.limit:
                return Decision(False, max(1, math.ceil(log[0] + WINDOW_SECONDS - now)))
            log.append(now)
            return Decision(True)


# Runs on the server's clock (API processes may disagree). Trims the log, then admits and
# records the hit, or answers how long until the oldest hit leaves the window.
SLIDING_LOG = """
local key, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return '0'
"""


class RedisRateLimiter:
    """Shared by every API process."""

    def __init__(self, client: redis.Redis, limit: int) -> None:
        self.limit = limit
        self.script = client.register_script(SLIDING_LOG)

    def hit(self, key: str) -> Decision:
        return decision_after(
            self.script(keys=[rate_key(key)], args=[WINDOW_SECONDS, self.limit, uuid.uuid4().hex])
        )


def rate_key(caller: str) -> str:
    return f"campus:rate:{caller}"


def decision_after(wait: bytes | str | float) -> Decision:
    """The sliding-log script's answer: seconds until the caller may go on, 0 if it may now."""
    seconds = float(wait)
    return Decision(True) if seconds <= 0 else Decision(False, max(1, math.ceil(seconds)))
