"""The UniqueKey aggregate: a claim on a value only one user may hold.

Its id is derived from the value, so two users claiming one e-mail create the same aggregate
and the event store refuses the second (the library's way to make uniqueness race-free).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError


class KeyTakenError(ConflictError):
    """Someone already holds this e-mail, phone or OAuth identity."""

    message = "User already exists"


def normalize_email(email: str) -> str:
    return email.strip().lower()


class UniqueKey(Aggregate):
    """Who holds a unique value of a kind ("email", "phone", "oauth:google"); an erased
    user's values are released, to be claimed again by whoever registers them next."""

    @staticmethod
    def create_id(kind: str, value: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:{kind}:{value}")

    class Claimed(Aggregate.Created):
        kind: str
        value: str
        owner_id: UUID
        personal_fields: ClassVar[frozenset[str]] = frozenset({"value"})
        data_subject: ClassVar[str] = "owner_id"

    class Reclaimed(Aggregate.Event):
        value: str
        owner_id: UUID
        personal_fields: ClassVar[frozenset[str]] = frozenset({"value"})
        data_subject: ClassVar[str] = "owner_id"

    @event(Claimed)
    def __init__(self, kind: str, value: str, owner_id: UUID) -> None:
        self.kind = kind
        self.value: str | None = value
        self.owner_id: UUID | None = owner_id

    def release(self) -> None:
        if self.owner_id is not None:
            self._release()

    @event("Released")
    def _release(self) -> None:
        self.value = self.owner_id = None

    def reclaim(self, value: str, owner_id: UUID) -> None:
        if self.owner_id is not None:
            raise KeyTakenError
        self._reclaim(value, owner_id)

    @event(Reclaimed)
    def _reclaim(self, value: str, owner_id: UUID) -> None:
        self.value, self.owner_id = value, owner_id
