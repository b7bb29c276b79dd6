"""JWT access and refresh tokens: signed with one pinned algorithm, short-lived, typed.

Decoding accepts only the configured algorithm (so ``none`` and algorithm swaps fail), and
requires signature, expiry, issue time, issuer, subject and the expected token type.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from uuid import UUID

import jwt

from infra.security.secrets import configured_or_generated
from infra.settings import Settings

VERIFIED_TOKENS = 10_000


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired or of the wrong type."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    role: str
    session_id: UUID
    issued_at: float


@dataclass(frozen=True)
class RefreshClaims:
    user_id: UUID
    session_id: UUID
    token_id: str


class JwtTokens:
    def __init__(self, settings: Settings) -> None:
        self.secret = signing_secret(settings)
        self.algorithm = settings.jwt_algorithm
        self.issuer = settings.jwt_issuer
        self.access_ttl = settings.access_token_ttl_seconds
        self.refresh_ttl = settings.refresh_token_ttl_seconds
        self.verified: dict[str, tuple[AccessClaims, float]] = {}  # token -> claims, expiry

    def issue_access(
        self, user_id: UUID, role: str, session_id: UUID, ttl: int | None = None
    ) -> str:
        claims = {"role": role, "sid": str(session_id), "jti": secrets.token_urlsafe(8)}
        return self._encode(user_id, "access", ttl or self.access_ttl, claims)

    def issue_refresh(self, user_id: UUID, session_id: UUID, token_id: str) -> str:
        claims = {"sid": str(session_id), "jti": token_id}
        return self._encode(user_id, "refresh", self.refresh_ttl, claims)

    def read_access(self, token: str) -> AccessClaims:
        # A token's signature checks out the same every time: a client's next requests reuse
        # what its first one verified, and only the expiry is looked at again.
        known = self.verified.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        claims = self._decode(token, "access")
        found = AccessClaims(
            as_uuid(claims["sub"]),
            str(claims.get("role")),
            as_uuid(claims.get("sid")),
            claims["iat"],
        )
        if len(self.verified) >= VERIFIED_TOKENS:
            self.verified.clear()  # crude but bounded: a miss costs one verification
        self.verified[token] = (found, float(claims["exp"]))
        return found

    def read_refresh(self, token: str) -> RefreshClaims:
        claims = self._decode(token, "refresh")
        return RefreshClaims(
            as_uuid(claims["sub"]), as_uuid(claims.get("sid")), str(claims.get("jti"))
        )

    def _encode(self, user_id: UUID, kind: str, ttl: int, claims: dict[str, object]) -> str:
        now = time.time()
        payload = {
            "iss": self.issuer,
            "sub": str(user_id),
            "typ": kind,
            "iat": now,
            "exp": int(now + ttl),
        }
        return jwt.encode(payload | claims, self.secret, algorithm=self.algorithm)

    def _decode(self, token: str, kind: str) -> dict[str, object]:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "typ"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidTokenError(str(error)) from None
        if claims.get("typ") != kind:
            raise InvalidTokenError(f"expected a {kind} token")
        return claims


def as_uuid(value: object) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidTokenError("malformed identifier claim") from None


def signing_secret(settings: Settings) -> str:
    """The configured secret; the embedded default keeps a generated one in the data dir."""
    return configured_or_generated(
        settings,
        settings.jwt_secret,
        "jwt-secret",
        lambda: secrets.token_urlsafe(48),
        "CAMPUS_JWT_SECRET",
    )
