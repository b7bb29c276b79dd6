"""The Transcript aggregate: the certificates one learner holds.

Its id is derived from the learner's, and every certificate is saved with it, so the write side
can find all of a learner's certificates (to re-issue them when their name is corrected)
without asking a read model.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Transcript(Aggregate):
    @staticmethod
    def create_id(user_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:transcript:{user_id}")

    @event("Opened")
    def __init__(self, user_id: UUID) -> None:
        self.user_id = user_id
        self.certificate_ids: list[UUID] = []

    def add(self, certificate_id: UUID) -> None:
        if certificate_id not in self.certificate_ids:
            self._add(certificate_id)

    @event("CertificateAdded")
    def _add(self, certificate_id: UUID) -> None:
        self.certificate_ids.append(certificate_id)
