"""Argon2id password hashing (the PasswordHasher port)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from infra.settings import Settings


class Argon2PasswordHasher:
    def __init__(self, settings: Settings) -> None:
        self._argon2 = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost_kib,
            parallelism=settings.argon2_parallelism,
        )
        self._decoy = self._argon2.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            if password_hash is None:
                self._argon2.verify(self._decoy, password)  # same cost, known outcome
                return False
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False
