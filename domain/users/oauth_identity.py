"""A verified external identity: what an OAuth provider vouches for about its user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OAuthIdentity:
    provider: str
    provider_user_id: str
    email: str | None
    email_verified: bool
    name: str | None
    avatar_url: str | None
