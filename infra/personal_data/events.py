"""Which fields of an event are personal, sealing them on the way into the event store, and
opening them on the way out: for aggregates (the mapper) and for projections (published events).

An event class names its personal fields in ``personal_fields`` and whose they are in
``data_subject`` (the attribute holding that person's id; the aggregate's own id by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from infra.personal_data.keys import PersonalDataKeys
from infra.personal_data.sealing import (
    is_sealed,
    opened,
    seal,
    sealed_subjects,
    subject_of,
    unseal,
)
from schemas.events import PublishedEvent
from schemas.published import PAYLOADS
from schemas.published.base import PublishedPayload, aliases, sealed_fields, subject_of_payload


def personal_fields(cls: type) -> frozenset[str]:
    return getattr(cls, "personal_fields", frozenset())


def sealed_copy(event: Any, keys: PersonalDataKeys) -> Any:
    """A copy of ``event`` with its personal fields sealed with their person's key (left out,
    as erased, when that person is already erased)."""
    cls = type(event)
    state = dict(vars(event))
    subject = state.get(getattr(cls, "data_subject", "originator_id"))
    fields = [f for f in personal_fields(cls) if state.get(f) is not None]
    if subject is None or not fields:
        return event
    key = keys.for_sealing(str(subject))
    for field in fields:
        state[field] = seal(key, str(subject), state[field]) if key else None
    copy = object.__new__(cls)
    object.__setattr__(copy, "__dict__", state)
    return copy


def open_in_place(event: Any, keys: PersonalDataKeys) -> None:
    """Open ``event``'s sealed personal fields; an erased person's become None."""
    state = vars(event)
    sealed = [f for f in personal_fields(type(event)) if is_sealed(state.get(f))]
    if sealed:
        found = keys.keys({s for f in sealed for s in sealed_subjects(state[f])})
        for field in sealed:
            state[field] = unseal(found, state[field])


def revealed(events: Sequence[PublishedEvent], keys: PersonalDataKeys) -> list[PublishedEvent]:
    """The events with their sealed values opened with the keys as they are now, so a read
    model never takes in what an erased person's key held; and an erased person's personal
    fields that an event holds in plain text (stored before sealing, or by an older shape)
    blanked, so an event applied after the erasure cannot write them back."""
    plain = {i: found for i, e in enumerate(events) if (found := plain_personal(e))}
    subjects = [sealed_subjects(e.payload) for e in events]
    wanted = set().union(*subjects)
    found = keys.keys(wanted, fresh=True) if wanted else {}
    opened_events = [
        e.model_copy(update={"payload": opened(e.payload, lambda s: unseal(found, s))})
        if people
        else e
        for e, people in zip(events, subjects, strict=True)
    ]
    if plain:  # only events stored before sealing: one more question then
        erased = keys.erased(subject for subject, _ in plain.values())
        for i, (subject, fields) in plain.items():
            if subject in erased:
                payload = opened_events[i].payload | dict.fromkeys(fields)
                opened_events[i] = opened_events[i].model_copy(update={"payload": payload})
    return opened_events


def plain_personal(event: PublishedEvent) -> tuple[str, list[str]] | None:
    """Whose personal fields ``event`` holds in plain text, and which (by published name)."""
    model = PAYLOADS.get(event.event_type)
    if model is None:
        return None
    fields = [
        name
        for name in personal_names(model)
        if isinstance(value := event.payload.get(name), str) and not is_sealed(value)
    ]
    subject = subject_of_payload(model, event) if fields else None
    return (subject, fields) if subject else None


@cache
def personal_names(model: type[PublishedPayload]) -> tuple[str, ...]:
    """The published names of ``model``'s personal fields (asked of every event projected)."""
    names = aliases(model)
    return tuple(sorted(names[f] for f in sealed_fields(model)))


def opened_now(value: Any, keys: PersonalDataKeys, erased: Any = None) -> Any:
    """``value`` with every sealed value in it opened with the keys as they are now; an
    erased person's read as ``erased``."""
    found = keys.keys(sealed_subjects(value), fresh=True)
    return opened(value, lambda s: unseal(found, s) if found.get(subject_of(s)) else erased)
