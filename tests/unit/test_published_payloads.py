"""Every published event has a payload model that agrees with its domain event class, so that
renaming, adding or dropping an event attribute fails here before it breaks a consumer."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from pydantic.alias_generators import to_camel

import commands.applications
from commands.users.erase_personal_data import ErasePersonalData
from commands.users.update_profile import UpdateProfile
from domain.users.user import Role
from infra.eventstore.publishing import ENVELOPE_FIELDS, read_published
from ops.bootstrap import Campus, bootstrap
from ops.events_doc import render
from ops.seed_demo import seed
from schemas.published import PAYLOADS, PublishedPayload
from schemas.published.base import aliases, sealed_fields
from tests.conftest import embedded_settings

ROOT = Path(__file__).resolve().parents[2]


def aggregates() -> list[type[Aggregate]]:
    """The aggregates the applications store: everything they store is published."""
    return [
        value
        for value in vars(commands.applications).values()
        if inspect.isclass(value) and issubclass(value, Aggregate) and value is not Aggregate
    ]


def published_classes(aggregate: type[Aggregate]) -> Iterator[type[CanMutateAggregate]]:
    """``aggregate``'s event classes, those ``@event`` made from method signatures included;
    the library's default ``Created`` only when the aggregate is created by it."""
    found = [
        value
        for value in vars(aggregate).values()
        if inspect.isclass(value) and issubclass(value, aggregate.Event)
    ]
    creators = [cls for cls in found if issubclass(cls, CanInitAggregate)]
    for cls in found:
        if cls is aggregate.Event or (cls.__name__ == "Created" and len(creators) > 1):
            continue
        yield cls


DOMAIN = {cls.__qualname__: cls for agg in aggregates() for cls in published_classes(agg)}


def published_fields(cls: type) -> set[str]:
    hidden = ENVELOPE_FIELDS | getattr(cls, "private_fields", frozenset())
    hints = typing.get_type_hints(cls)
    return {
        to_camel(name)
        for name, hint in hints.items()
        if name not in hidden and typing.get_origin(hint) is not typing.ClassVar
    }


def test_every_published_domain_event_has_a_payload_model():
    assert sorted(set(DOMAIN) - set(PAYLOADS)) == []


def test_every_payload_model_is_of_a_domain_event():
    assert sorted(set(PAYLOADS) - set(DOMAIN)) == []


@pytest.mark.parametrize("name", sorted(DOMAIN))
def test_a_payload_model_has_the_fields_its_domain_event_publishes(name):
    model, cls = PAYLOADS[name], DOMAIN[name]
    assert set(aliases(model).values()) == published_fields(cls)
    assert getattr(cls, "class_version", 1) == model.VERSION
    personal = {to_camel(f) for f in getattr(cls, "personal_fields", ())} & published_fields(cls)
    assert {aliases(model)[f] for f in sealed_fields(model)} == personal
    subject = getattr(cls, "data_subject", "originator_id")
    assert (None if subject == "originator_id" else subject) == model.DATA_SUBJECT


@pytest.fixture
def campus(tmp_path: Path) -> Iterator[Campus]:
    campus = bootstrap(embedded_settings(tmp_path, database_url="memory"))
    yield campus
    campus.close()


def test_the_payloads_of_a_real_history_parse_as_their_models(campus):
    seed(campus)
    everyone = [campus.identity.get_user(user_id) for user_id in users_of(campus)]
    user = next(u for u in everyone if u.role is not Role.ADMIN)  # an admin's erasure is refused
    campus.bus.handle(UpdateProfile(user.id, name="Renamed"))
    campus.bus.handle(ErasePersonalData(user.id, requested_by=user.id))
    seen = set()
    for app in campus.apps.values():
        for event in read_published(app, 0, 10_000):
            model = PAYLOADS[event.event_type]
            assert set(event.payload) == set(aliases(model).values()), event.event_type
            model.model_validate(event.payload)
            assert isinstance(model.of(event), PublishedPayload)
            seen.add(event.event_type)
    assert {"User.Registered", "Course.LessonAdded", "Coupon.Created"} <= seen


def users_of(campus: Campus) -> list:
    app = campus.identity
    return [
        event.originator_id
        for n in app.recorder.select_notifications(start=1, limit=100)
        if (event := app.mapper.to_domain_event(n)).__class__.__qualname__ == "User.Registered"
    ]


def test_the_published_event_catalog_is_current():
    """docs/events.md is generated: after a change, run ``campus events-doc``."""
    assert (ROOT / "docs" / "events.md").read_text() == render()
