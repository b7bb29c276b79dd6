"""A mapper that stamps each stored event with its request's correlation id, its actor and what
caused it (see ``commands.causation``), and seals its personal fields (``infra.personal_data``).

The metadata rides in the stored state under ``_meta``; aggregates ignore it when events are
applied, and the relay and auditors read it back. Personal fields are stored sealed with their
person's key and opened when aggregates load; published events keep them sealed
(``to_sealed_event``), to be opened by whoever may read them while the key exists.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent

from commands import causation
from infra import context
from infra.personal_data.events import open_in_place, sealed_copy
from infra.personal_data.keys import PersonalDataKeys


class MetadataMapper(Mapper):
    personal_data: PersonalDataKeys | None = None  # given by the composition root

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if "_meta" not in vars(domain_event):
            meta = {
                "correlation_id": context.correlation_id.get(),
                "actor_id": context.actor_id.get(),
                "causation_id": causation.causation_id.get(),
            }
            object.__setattr__(domain_event, "_meta", meta)
        if self.personal_data is not None:
            domain_event = sealed_copy(domain_event, self.personal_data)
        return super().to_stored_event(domain_event)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = self.to_sealed_event(stored_event)
        if self.personal_data is not None:
            open_in_place(domain_event, self.personal_data)
        return domain_event

    def to_sealed_event(self, stored_event: StoredEvent) -> Any:
        """The event as stored: personal fields still sealed, for publishing."""
        return super().to_domain_event(stored_event)


def metadata_of(domain_event: Any) -> dict[str, Any]:
    return dict(vars(domain_event).get("_meta") or {})
