"""Events as an older Campus stored them: the current event's record, rewritten to an older
shape (its fields then, its class version then) and inserted into the event store as is."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, StoredEvent


def decoded(mapper: Mapper, state: bytes) -> dict[str, Any]:
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    return mapper.transcoder.decode(state)


def encoded(mapper: Mapper, state: dict[str, Any]) -> bytes:
    stored = mapper.transcoder.encode(state)
    if mapper.compressor:
        stored = mapper.compressor.compress(stored)
    if mapper.cipher:
        stored = mapper.cipher.encrypt(stored)
    return stored


def in_old_shape(app: Application, event: Any, version: int, lacking: Iterable[str]) -> StoredEvent:
    """``event`` as it was stored at class version ``version``, without the fields it lacked."""
    stored = app.mapper.to_stored_event(event)
    state = decoded(app.mapper, stored.state)
    state.pop("class_version", None)  # version 1 was stored without one
    for name in lacking:
        del state[name]
    if version > 1:
        state["class_version"] = version
    return StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic, encoded(app.mapper, state)
    )


def store_old(
    app: Application, aggregate: Any, old: type, version: int, lacking: Iterable[str]
) -> str:
    """Store ``aggregate``'s pending events, those of class ``old`` in their older shape;
    answer a consistency token for them, as the write that stored them would have."""
    lacking = list(lacking)
    records = [
        in_old_shape(app, e, version, lacking) if type(e) is old else app.mapper.to_stored_event(e)
        for e in aggregate.collect_events()
    ]
    app.recorder.insert_events(records)
    return f"{app.name}:{app.recorder.max_notification_id()}"
