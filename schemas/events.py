"""What the relay publishes to Kafka: the shape every consumer of the topic may rely on.

Records are keyed by aggregate id, so one aggregate's events stay in order on one partition.
Besides events, the relay writes a ``watermark`` to every partition after each batch: "every
event of this application up to this position has been published". Consumers that only want
events skip watermarks; projections use them to know when a write is visible. Every record
says which it is in its ``kind`` field (and its ``kind`` header); Campus has written the field
since its first record. An event's payload is described per event type in
``schemas/published/`` (and docs/events.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

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


# One parse of the JSON, told apart by ``kind``: a record of another kind, or none, is invalid.
RECORD = TypeAdapter(Annotated[PublishedEvent | Watermark, Field(discriminator="kind")])


def parse_record(value: bytes) -> PublishedEvent | Watermark:
    """A record of the topic, event or watermark; ``ValidationError`` when it is neither."""
    return RECORD.validate_json(value)
