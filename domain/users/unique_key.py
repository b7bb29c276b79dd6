"""The UniqueKey aggregate: a claim on a value only one user may hold.

Its id is derived from the value, so two users claiming one e-mail create the same aggregate
and the event store refuses the second (the library's way to make uniqueness race-free).
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError


class KeyTakenError(ConflictError):
    """Someone already holds this e-mail, phone or OAuth identity."""

    message = "User already exists"


def normalize_email(email: str) -> str:
    return email.strip().lower()


class UniqueKey(Aggregate):
    """Who holds a unique value of a kind ("email", "phone", "oauth:google")."""

    @staticmethod
    def create_id(kind: str, value: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:{kind}:{value}")

    @event("Claimed")
    def __init__(self, kind: str, value: str, owner_id: UUID) -> None:
        self.kind = kind
        self.value = value
        self.owner_id = owner_id
