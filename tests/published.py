"""Published payloads for tests that care about a few fields: the rest filled in with blanks of
their types, so that the payload is still whole, as the model of its event type wants it."""

from __future__ import annotations

import types
import typing
from typing import Any

from schemas.published import PAYLOADS

BLANKS: dict[Any, Any] = {str: "", int: 0, float: 0.0, bool: False, dict: {}, list: []}


def whole_payload(event_type: str, **given: Any) -> dict[str, Any]:
    """The payload of ``event_type`` with ``given`` (by published name), and blanks elsewhere;
    of an event type Campus does not publish (yet), ``given`` alone."""
    model = PAYLOADS.get(event_type)
    if model is None:
        return given
    payload = {
        field.alias or name: blank(field.annotation) for name, field in model.model_fields.items()
    }
    return model.model_validate(payload | given).model_dump(by_alias=True)


def blank(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return None
    return BLANKS[typing.get_origin(annotation) or annotation]
