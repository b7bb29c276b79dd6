"""Every event whose shape has changed can be read in each older shape, from the store and from
Kafka: a new version without its upcaster, or left out of the Kafka side, fails here."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from eventsourcing.domain import Aggregate

import domain
from projections.upcasting import VERSIONED


def event_classes() -> Iterator[type]:
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, Aggregate) and value is not Aggregate:
                for member in vars(value).values():
                    if isinstance(member, type) and issubclass(member, Aggregate.Event):
                        yield member


def test_every_event_with_a_new_shape_is_upcast_when_read_from_kafka():
    changed = {c.__qualname__: c for c in event_classes() if getattr(c, "class_version", 1) > 1}
    assert changed == VERSIONED


def test_every_older_version_has_an_upcaster_to_the_next():
    for cls in VERSIONED.values():
        for version in range(1, cls.class_version):
            assert callable(getattr(cls, f"upcast_v{version}_v{version + 1}", None)), cls
