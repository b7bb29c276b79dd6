"""Ports the user use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.users.oauth_identity import OAuthIdentity


class PasswordHasher(Protocol):
    """Turns a password into a slow salted hash and checks a password against one."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """False for no hash, after as much work as a real check."""

    def needs_rehash(self, password_hash: str) -> bool: ...


class OAuthVerifier(Protocol):
    """Asks a provider whether an access token is valid and whose it is."""

    def verify(self, provider: str, provider_user_id: str, access_token: str) -> OAuthIdentity: ...


class AccessRevocations(Protocol):
    """Where the API learns that still-unexpired access tokens must no longer work."""

    def revoke_session(self, session_id: UUID) -> None: ...

    def revoke_user_tokens(self, user_id: UUID, issued_before: float) -> None: ...


class PersonalDataKeys(Protocol):
    """The per-person keys that seal personal data in events (see infra.personal_data)."""

    def destroy(self, subject: str) -> None:
        """Destroy the person's key: what it sealed can never be read again."""
