"""docs/events.md: the catalog of published events, generated from their payload models.

It is what a consumer of the topic outside Campus may rely on; ``campus events-doc`` writes
it, and a test fails when the committed file is not what the models give.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic.fields import FieldInfo

from schemas.published import FAMILIES, models_of
from schemas.published.base import SEALED, PublishedPayload

INTRO = """\
# Published events

Generated from `schemas/published/` by `campus events-doc`; do not edit by hand.

Every record on the topic is JSON, keyed by aggregate id (one aggregate's events stay in order
on one partition). A record is either an event (`"kind": "event"`) or a watermark
(`"kind": "watermark"`, with `application` and `position`: everything of that application up to
that position has been published); the Kafka header `kind` says which, and `event-type` names
the event. An event's envelope (`schemas/events.py`): `application`, `position`, `eventType`,
`aggregateId`, `aggregateVersion`, `schemaVersion`, `timestamp`, `correlationId`,
`causationId`, `actorId`, `payload`.

Payload fields are camelCase. Ids are UUID strings and moments ISO 8601 strings. A field marked
*sealed* holds personal data, published sealed (`sealed:v1:<person id>:<ciphertext>`) and
readable only by Campus while the person's key exists. Private fields (password hashes, device
tokens, card details) are never published. An event of an older `schemaVersion` may lack fields
added since (see docs/event-store.md, "Changing an event's shape"): read them with a default.
"""

JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}
FORMATS = {"uuid": "string (uuid)", "date-time": "string (ISO 8601)", "sealed": "string, sealed"}


def render() -> str:
    sections = [INTRO]
    for module in FAMILIES:
        title = (module.__doc__ or "").split("\n\n")[0].replace("\n", " ").replace("``", "`")
        sections.append(f"## {module.__name__.rsplit('.', 1)[-1].title()}\n\n{title}\n")
        sections.extend(event_section(model) for model in models_of(module))
    return "\n".join(sections)


def event_section(model: type[PublishedPayload]) -> str:
    lines = [f"### `{model.NAME}`\n", f"schemaVersion {model.VERSION}\n"]
    if not model.model_fields:
        return "\n".join([*lines, "No payload fields.\n"])
    lines += ["| field | type |", "|---|---|"]
    lines += [
        f"| `{field.alias or name}` | {wire_type(field)} |"
        for name, field in model.model_fields.items()
    ]
    return "\n".join(lines) + "\n"


def wire_type(field: FieldInfo) -> str:
    if SEALED in field.metadata:
        return FORMATS["sealed"] + ", or null"
    return described(field.annotation, field.metadata)


def described(annotation: Any, metadata: list[Any]) -> str:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        return described(kinds[0], []) + ", or null"
    if typing.get_origin(annotation) is typing.Annotated:
        return described(typing.get_args(annotation)[0], list(annotation.__metadata__))
    for item in metadata:
        if fmt := getattr(item, "json_schema", {}).get("format"):
            return FORMATS[fmt]
    origin = typing.get_origin(annotation) or annotation
    if origin is dict:
        return "object"
    if origin is list:
        return "array"
    return JSON_TYPES[annotation]
