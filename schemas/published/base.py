"""What every published payload model shares: its event's name, the wire types of its fields,
and a cheap way to read a published event's payload as the model.

A payload holds what the event class holds, minus its private fields, with camelCase names and
values as JSON has them: ids and moments are strings. A personal field is published sealed
(``sealed:v1:<person id>:<ciphertext>``), and projections see it opened, or ``None`` once the
person's key is erased (see docs/event-store.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, WithJsonSchema
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from schemas.events import PublishedEvent

Uuid = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
Instant = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
# A personal field: ``sealed:v1:…`` on the topic, plain text or None once a projection opens it.
SEALED = WithJsonSchema({"type": ["string", "null"], "format": "sealed"})
Sealed = Annotated[str | None, SEALED]


class PublishedPayload(BaseModel):
    """The payload of one published event type, named ``NAME`` (``Aggregate.Event``)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    NAME: ClassVar[str]
    VERSION: ClassVar[int] = 1  # the event class's ``class_version``: published as schemaVersion
    # The field holding the id of the person whose data the ``Sealed`` fields are (the event
    # class's ``data_subject``); None when it is the aggregate's own id.
    DATA_SUBJECT: ClassVar[str | None] = None

    @classmethod
    def of(cls, event: PublishedEvent) -> Self:
        """``event``'s payload as this model, checked: a payload that lost or renamed a field
        fails here, by name, instead of deep in a consumer. (Validating is also cheaper than
        ``model_construct``, which a rebuild would feel.)"""
        return cls.model_validate(event.payload)


def aliases(model: type[PublishedPayload]) -> dict[str, str]:
    """Each field of ``model`` by its name in Python, with its published name."""
    return {name: field.alias or name for name, field in model.model_fields.items()}


def sealed_fields(model: type[PublishedPayload]) -> set[str]:
    """The names of ``model``'s personal fields, those typed ``Sealed``."""
    return {name for name, field in model.model_fields.items() if SEALED in field.metadata}


def subject_of_payload(model: type[PublishedPayload], event: PublishedEvent) -> str | None:
    """The id of the person whose data ``event``'s ``Sealed`` fields are, if it says."""
    if model.DATA_SUBJECT is None:
        return event.aggregate_id
    found = event.payload.get(aliases(model)[model.DATA_SUBJECT])
    return str(found) if found else None
