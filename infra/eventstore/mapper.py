"""A mapper that stamps each stored event with its request's correlation id, its actor and what
caused it (see ``commands.causation``).

The metadata rides in the stored state under ``_meta``; aggregates ignore it when events are
applied, and the relay and auditors read it back.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent

from commands import causation
from infra import context


class MetadataMapper(Mapper):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if "_meta" not in vars(domain_event):
            meta = {
                "correlation_id": context.correlation_id.get(),
                "actor_id": context.actor_id.get(),
                "causation_id": causation.causation_id.get(),
            }
            object.__setattr__(domain_event, "_meta", meta)
        return super().to_stored_event(domain_event)


def metadata_of(domain_event: Any) -> dict[str, Any]:
    return dict(vars(domain_event).get("_meta") or {})
