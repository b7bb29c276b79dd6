"""The payloads of published events, one model per event type, by aggregate family.

``PAYLOADS`` maps each published name (``eventType``, e.g. ``Course.LessonAdded``) to its
model. ``docs/events.md`` is generated from these models (``campus events-doc``): it is what a
consumer of the topic outside Campus may rely on.
"""

from __future__ import annotations

from types import ModuleType

from schemas.published import catalog, commerce, learning, notifications, reviews, users
from schemas.published.base import PublishedPayload

FAMILIES: tuple[ModuleType, ...] = (users, catalog, commerce, learning, reviews, notifications)


def models_of(module: ModuleType) -> list[type[PublishedPayload]]:
    """The payload models defined in ``module``, in the order they are written."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, PublishedPayload)
        and value.__module__ == module.__name__
    ]


PAYLOADS: dict[str, type[PublishedPayload]] = {
    model.NAME: model for module in FAMILIES for model in models_of(module)
}

__all__ = ["FAMILIES", "PAYLOADS", "PublishedPayload", "models_of"]
