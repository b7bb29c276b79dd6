"""The PushDevice aggregate: which user a device's push token reaches now.

A registration token names one install of the app on one phone, so it reaches one user: whoever
signed in there last. Its id is derived from the token, so two users registering one token meet
on one aggregate and the event store puts them in order; the token itself never leaves the
event store (see ``User.PushDeviceRegistered``).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class PushDevice(Aggregate):
    @staticmethod
    def create_id(token: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:push-device:{token}")

    class Registered(Aggregate.Created):
        token: str
        owner_id: UUID
        private_fields: ClassVar[frozenset[str]] = frozenset({"token"})
        personal_fields: ClassVar[frozenset[str]] = frozenset({"token"})
        data_subject: ClassVar[str] = "owner_id"

    @event(Registered)
    def __init__(self, token: str, owner_id: UUID) -> None:
        self.token = token
        self.owner_id = owner_id

    def hand_to(self, owner_id: UUID) -> None:
        """Another user signed in on this device: it reaches them, and no longer its owner."""
        if owner_id != self.owner_id:
            self._hand_to(owner_id=owner_id)

    @event("HandedOver")
    def _hand_to(self, owner_id: UUID) -> None:
        self.owner_id = owner_id
