"""ASGI middleware: correlation ids and access logs, and per-caller rate limits."""

from __future__ import annotations

import logging
import re
import time
import uuid

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infra import context
from infra.faults import is_transient
from infra.security.caller_checks import CALLER_FACTS, CallerChecks
from infra.security.tokens import AccessClaims, InvalidTokenError, JwtTokens
from schemas.envelope import now_iso

log = logging.getLogger("campus.access")
# A read whose wait for the caller's writes ran out sets this in its scope's state, and says so
# in its answer, whatever the answer is (a 404 raised after the wait included).
STALE_FLAG = "consistency_stale"
STALE_HEADER = [(b"x-consistency", b"stale")]
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class RequestIdMiddleware:
    """Accept a well-formed X-Request-ID or make one; return it and log the request with it.

    It is also the last resort: an unexpected error becomes a 500 in the envelope here, inside
    the request's context, so the answer and the error log both carry the request id; a service
    that is away (a transient fault) becomes a 503 with Retry-After.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = header(scope, b"x-request-id")
        request_id = given if given and REQUEST_ID.match(given) else str(uuid.uuid4())
        token = context.correlation_id.set(request_id)
        started, status = time.perf_counter(), [0]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                    *STALE_HEADER * bool(scope.get("state", {}).get(STALE_FLAG)),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            if status[0]:
                log.exception("unhandled error")
                raise  # the answer is already on its way; nothing sound can be sent now
            if is_transient(error):  # a service away: the client may retry, it did nothing wrong
                log.warning("service unavailable: %r", error)
                retry = [(b"retry-after", b"1")]
                await send_envelope(send_with_id, 503, "Service temporarily unavailable", retry)
            else:
                log.exception("unhandled error")
                await send_envelope(send_with_id, 500, "Server error occurred")
        finally:
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status[0],
                "durationMs": round((time.perf_counter() - started) * 1000, 2),
            }
            log.info("request", extra={"fields": fields})
            context.correlation_id.reset(token)


async def send_envelope(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] = ()
) -> None:
    body = orjson.dumps(
        {
            "status": "error",
            "data": None,
            "timestamp": now_iso(),
            "error": {"errorCode": status, "message": message},
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimitMiddleware:
    """Refuse a caller's requests past the limit with 429 and Retry-After, in the envelope.

    The limiter is asked together with the rest of what the stores know of the caller
    (``CallerChecks``): the answers wait in the scope for the auth dependency and the reads.
    """

    def __init__(
        self,
        app: ASGIApp,
        checks: CallerChecks,
        tokens: JwtTokens,
        exempt: tuple[str, ...] = ("/health",),
        cached_reads: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.app, self.checks, self.tokens, self.exempt = app, checks, tokens, exempt
        self.cached_reads = cached_reads or {}  # path -> the query-cache namespaces it reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            return await self.app(scope, receive, send)
        rate_key, claims = self.caller(scope)
        try:
            namespaces = self.cached_reads.get(scope["path"], ())
            facts = await self.checks.check(rate_key, claims, namespaces)
        except Exception as error:
            if not is_transient(error):
                raise
            # Fail open: a limiter that is away must not take the whole API with it.
            log.warning("rate limiter unavailable: %r", error)
            return await self.app(scope, receive, send)
        if facts.decision.allowed:
            scope.setdefault("state", {})[CALLER_FACTS] = facts
            return await self.app(scope, receive, send)
        retry_after = [(b"retry-after", str(facts.decision.retry_after).encode())]
        await send_envelope(send, 429, "Too many requests", retry_after)

    def caller(self, scope: Scope) -> tuple[str, AccessClaims | None]:
        """The user for a valid token (so a user's devices share one budget), else the IP."""
        authorization = header(scope, b"authorization") or ""
        if authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
            try:
                claims = self.tokens.read_access(token)
            except InvalidTokenError:
                pass
            else:
                # Decoded once per request: the auth dependency picks it up from here.
                scope.setdefault("state", {})["access_claims"] = (token, claims)
                return f"user:{claims.user_id}", claims
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}", None
