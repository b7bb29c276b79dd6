"""Access-token revocation: sessions ended and users whose older tokens no longer count.

Entries live only as long as an access token can (its TTL), so the store stays small.
Redis in production (shared by every API process); a SQLite file in the embedded default, so
a restart does not bring a blocked user's tokens back.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from commands.users.ports import AccessRevocations
from infra.security.tokens import AccessClaims

if TYPE_CHECKING:  # the client's type only: the embedded default never loads redis
    import redis


class RevocationStore(AccessRevocations, Protocol):
    """Where revocations are recorded (the use cases' port) and checked (each request)."""

    def is_valid(self, claims: AccessClaims) -> bool: ...


def session_key(session_id: UUID) -> str:
    return f"campus:revoked-session:{session_id}"


def user_key(user_id: UUID) -> str:
    return f"campus:tokens-not-before:{user_id}"


def still_valid(claims: AccessClaims, session_revoked: bool, not_before: float | None) -> bool:
    return not session_revoked and (not_before is None or claims.issued_at >= not_before)


class RedisAccessRevocations:
    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self.client = client
        self.ttl = ttl_seconds

    def revoke_session(self, session_id: UUID) -> None:
        self.client.set(session_key(session_id), 1, ex=self.ttl)

    def revoke_user_tokens(self, user_id: UUID, issued_before: float) -> None:
        self.client.set(user_key(user_id), repr(issued_before), ex=self.ttl)

    def is_valid(self, claims: AccessClaims) -> bool:
        revoked, not_before = self.client.mget(
            session_key(claims.session_id), user_key(claims.user_id)
        )
        return still_valid(claims, revoked is not None, float(not_before) if not_before else None)


class SqliteAccessRevocations:
    def __init__(self, path: Path, ttl_seconds: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS revocations"
            " (key TEXT PRIMARY KEY, value REAL, expires_at REAL)"
        )
        self.lock = threading.Lock()
        self.ttl = ttl_seconds

    def revoke_session(self, session_id: UUID) -> None:
        self._set(session_key(session_id), 1.0)

    def revoke_user_tokens(self, user_id: UUID, issued_before: float) -> None:
        self._set(user_key(user_id), issued_before)

    def is_valid(self, claims: AccessClaims) -> bool:
        session, user = session_key(claims.session_id), user_key(claims.user_id)
        with self.lock:
            rows = dict(
                self.db.execute(
                    "SELECT key, value FROM revocations WHERE key IN (?, ?) AND expires_at > ?",
                    (session, user, time.time()),
                ).fetchall()
            )
        return still_valid(claims, session in rows, rows.get(user))

    def _set(self, key: str, value: float) -> None:
        now = time.time()
        with self.lock:
            self.db.execute("DELETE FROM revocations WHERE expires_at <= ?", (now,))
            self.db.execute(
                "INSERT OR REPLACE INTO revocations VALUES (?, ?, ?)", (key, value, now + self.ttl)
            )
