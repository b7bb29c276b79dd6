"""What every request asks the shared stores about its caller, asked once at the door.

Three questions: may the caller go on (the rate limiter), is the token it signed in with still
good (revocations), and which writes of its own must a read reflect (session positions); and
for a read served from the query cache, the cache's current generations. On
Redis they are one pipelined round trip on the asyncio client, so no request blocks its worker's
event loop or takes a thread to ask them; the embedded default asks its in-process stores in
turn. The answers go in the request's scope, where the auth dependency and the read-your-writes
wait pick them up (and ask again themselves only when the answer is missing).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from starlette.types import Scope

from infra.cache import generation_key
from infra.security.rate_limit import (
    SLIDING_LOG,
    WINDOW_SECONDS,
    Decision,
    MemoryRateLimiter,
    decision_after,
    rate_key,
)
from infra.security.revocations import SqliteAccessRevocations, session_key, still_valid, user_key
from infra.security.tokens import AccessClaims
from infra.session_positions import MemorySessionPositions
from infra.session_positions import key as positions_key

if TYPE_CHECKING:  # every API process loads this module; only the Redis checks load redis
    import redis.asyncio

log = logging.getLogger("campus.security")
ALLOWED = Decision(True)
CALLER_FACTS = "caller_facts"  # where in a request's scope state the answers wait


@dataclass(frozen=True)
class CallerFacts:
    """``token_valid`` and ``positions`` are None when they were not (or could not be) asked."""

    decision: Decision
    caller: str | None = None  # the user the token names
    token_valid: bool | None = None
    positions: dict[str, int] | None = None
    generations: dict[str, str] | None = None  # query-cache namespace -> its generation


class CallerChecks(Protocol):
    """Answers the limiter for ``rate_key``, for a signed-in caller the rest, and the query
    cache's generations of ``namespaces`` where that costs no extra round trip."""

    async def check(
        self, rate_key: str, claims: AccessClaims | None, namespaces: tuple[str, ...] = ()
    ) -> CallerFacts: ...

    async def aclose(self) -> None: ...


class LocalCallerChecks:
    """The embedded default's stores live in the process: each answers in microseconds."""

    def __init__(
        self,
        limiter: MemoryRateLimiter,
        revocations: SqliteAccessRevocations,
        session_positions: MemorySessionPositions,
    ) -> None:
        self.limiter, self.revocations, self.positions = limiter, revocations, session_positions

    async def check(
        self, rate_key: str, claims: AccessClaims | None, namespaces: tuple[str, ...] = ()
    ) -> CallerFacts:
        # The in-process query cache is asked where it is used: it costs no round trip there.
        decision = self.limiter.hit(rate_key)
        if claims is None or not decision.allowed:
            return CallerFacts(decision)
        caller = str(claims.user_id)
        valid = self.revocations.is_valid(claims)
        return CallerFacts(decision, caller, valid, self.positions.latest(caller))

    async def aclose(self) -> None:
        return None


class RedisCallerChecks:
    """One round trip: the sliding-log script, the revocation MGET and the positions HGETALL.

    A redis.asyncio client belongs to the event loop that first used it, so there is one per
    loop (a server has one; each test client starts its own).
    """

    def __init__(self, url: str, limit: int) -> None:
        import redis.asyncio  # noqa: F401  # here, at start: an import in a request blocks its loop

        self.url, self.limit = url, limit
        # Redis names a script by its SHA-1; EVALSHA spares sending its text every time.
        self.sha = hashlib.sha1(SLIDING_LOG.encode()).hexdigest()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.client: redis.asyncio.Redis | None = None

    def client_of_loop(self) -> redis.asyncio.Redis:
        import redis.asyncio

        loop = asyncio.get_running_loop()
        if self.client is None or self.loop is not loop:
            self.loop, self.client = loop, redis.asyncio.Redis.from_url(self.url)
        return self.client

    async def check(
        self, rate_key: str, claims: AccessClaims | None, namespaces: tuple[str, ...] = ()
    ) -> CallerFacts:
        import redis

        try:
            found = await self.ask(rate_key, claims, namespaces)
        except redis.RedisError as error:
            # Fail open on the limit; the rest is asked again where it is needed, and fails there.
            log.warning("caller checks unavailable: %r", error)
            return CallerFacts(ALLOWED)
        decision = decision_after(found[0])
        generations = generations_of(namespaces, found[-1]) if namespaces else None
        if claims is None:
            return CallerFacts(decision, generations=generations)
        revoked, not_before = found[1]
        valid = still_valid(claims, revoked is not None, float(not_before) if not_before else None)
        positions = {app.decode(): int(position) for app, position in found[2].items()}
        return CallerFacts(decision, str(claims.user_id), valid, positions, generations)

    async def ask(
        self, rate_key: str, claims: AccessClaims | None, namespaces: tuple[str, ...]
    ) -> list:
        from redis.exceptions import NoScriptError

        client = self.client_of_loop()
        for attempt in (1, 2):
            pipe = self.pipeline(client, rate_key, claims)
            if namespaces:
                pipe.mget([generation_key(namespace) for namespace in namespaces])
            found = await pipe.execute(raise_on_error=False)
            if not isinstance(found[0], NoScriptError) or attempt == 2:
                break
            await client.script_load(SLIDING_LOG)  # Redis restarted or flushed its scripts
        for answer in found:
            if isinstance(answer, Exception):
                raise answer
        return found

    def pipeline(
        self, client: redis.asyncio.Redis, caller: str, claims: AccessClaims | None
    ) -> redis.asyncio.client.Pipeline:
        pipe = client.pipeline(transaction=False)
        member = uuid.uuid4().hex
        pipe.evalsha(self.sha, 1, rate_key(caller), WINDOW_SECONDS, self.limit, member)
        if claims is not None:
            pipe.mget(session_key(claims.session_id), user_key(claims.user_id))
            pipe.hgetall(positions_key(str(claims.user_id)))
        return pipe

    async def aclose(self) -> None:
        if self.client is not None and self.loop is asyncio.get_running_loop():
            await self.client.aclose()
        self.client = self.loop = None


def generations_of(namespaces: tuple[str, ...], found: list[bytes | None]) -> dict[str, str]:
    # A namespace never bumped is at generation 0, as the query cache itself reads it.
    pairs = zip(namespaces, found, strict=True)
    return {namespace: value.decode() if value else "0" for namespace, value in pairs}


def facts_of(scope: Scope) -> CallerFacts | None:
    """What the door learned of this request's caller, if it asked."""
    return (scope.get("state") or {}).get(CALLER_FACTS)
