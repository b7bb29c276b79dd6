"""What the relay publishes to Kafka: the shape every consumer of the topic may rely on.

Records are keyed by aggregate id, so one aggregate's events stay in order on one partition.
Besides events, the relay writes a ``watermark`` to every partition after each batch: "every
event of this application up to this position has been published". Consumers that only want
events skip watermarks; projections use them to know when a write is visible.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from schemas.base import CamelModel


class PublishedEvent(CamelModel):
    kind: Literal["event"] = "event"
    application: str
    position: int
    event_type: str
    aggregate_id: str
    aggregate_version: int
    schema_version: int = 1
    timestamp: datetime
    correlation_id: str | None = None  # the request that began the chain
    causation_id: str | None = None  # "command:Name", or "event:application:position"
    actor_id: str | None = None
    payload: dict[str, Any]


class Watermark(CamelModel):
    kind: Literal["watermark"] = "watermark"
    application: str
    position: int


def parse_record(value: bytes) -> PublishedEvent | Watermark:
    if b'"kind":"watermark"' in value[:40]:
        return Watermark.model_validate_json(value)
    return PublishedEvent.model_validate_json(value)
