"""Sealing personal values with a person's key, and what is left once the key is destroyed."""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from domain.users.roles import Role
from domain.users.user import User
from infra.personal_data.events import open_in_place, opened_now, revealed, sealed_copy
from infra.personal_data.keys import PersonalDataKeys
from infra.personal_data.sealing import is_sealed, seal, sealed_subjects, unseal
from schemas.events import PublishedEvent

ADA = str(uuid.uuid4())
KEY = os.urandom(32)
values = st.one_of(st.text(), st.dictionaries(st.text(), st.text(), max_size=3))


@pytest.fixture
def keys() -> PersonalDataKeys:
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    return PersonalDataKeys(engine)


@given(values)
def test_a_sealed_value_opens_to_itself_with_its_persons_key(value):
    sealed = seal(KEY, ADA, value)
    assert is_sealed(sealed) and sealed_subjects(sealed) == {ADA}
    assert unseal({ADA: KEY}, sealed) == value


def test_a_sealed_value_moved_onto_another_person_does_not_open():
    sealed = seal(KEY, ADA, "Ada Lovelace")
    other = str(uuid.uuid4())
    assert unseal({other: KEY}, sealed.replace(ADA, other)) is None


def test_sealing_the_same_value_twice_gives_different_ciphertexts():
    assert seal(KEY, ADA, "Ada") != seal(KEY, ADA, "Ada")


def test_a_persons_key_is_made_once_and_gone_for_good_once_destroyed(keys):
    first = keys.for_sealing(ADA)
    assert first is not None and keys.for_sealing(ADA) == first
    keys.destroy(ADA)
    assert keys.for_sealing(ADA) is None
    assert keys.keys([ADA], fresh=True) == {ADA: None}


def test_an_events_personal_fields_are_stored_sealed_and_load_open(keys):
    user = User("ada@example.com", None, "Ada Lovelace", None, "hash", Role.STUDENT.value)
    [registered] = user.collect_events()
    stored = sealed_copy(registered, keys)
    assert is_sealed(stored.email) and is_sealed(stored.name)
    assert stored.password_hash == "hash" and registered.email == "ada@example.com"
    open_in_place(stored, keys)
    assert (stored.email, stored.name) == ("ada@example.com", "Ada Lovelace")


def test_an_erased_persons_fields_load_as_none(keys):
    user = User("ada@example.com", None, "Ada Lovelace", None, "hash", Role.STUDENT.value)
    [registered] = user.collect_events()
    stored = sealed_copy(registered, keys)
    keys.destroy(str(user.id))
    open_in_place(stored, keys)
    assert (stored.email, stored.name) == (None, None)


def test_projections_see_published_values_opened_and_erased_ones_as_none(keys):
    ada, bola = ADA, str(uuid.uuid4())
    names = {p: seal(keys.for_sealing(p), p, f"name of {p}") for p in (ada, bola)}
    keys.destroy(bola)
    events = [published(1, {"name": names[ada]}), published(2, {"name": names[bola]})]
    assert [e.payload["name"] for e in revealed(events, keys)] == [f"name of {ada}", None]
    assert opened_now({"users": [{"name": names[bola]}]}, keys, erased="") == {
        "users": [{"name": ""}]
    }


def test_an_erased_persons_plain_text_from_before_sealing_is_blanked_and_no_one_elses(keys):
    erased, kept = str(uuid.uuid4()), str(uuid.uuid4())  # neither ever had a key
    keys.destroy(erased)
    events = [
        published(1, {"name": "Erased Person"}, aggregate_id=erased),
        published(2, {"name": "Kept Person"}, aggregate_id=kept),
    ]
    assert [e.payload["name"] for e in revealed(events, keys)] == [None, "Kept Person"]


def test_a_certificate_stored_in_plain_text_loses_an_erased_learners_name(keys):
    learner = str(uuid.uuid4())
    keys.destroy(learner)
    issued = published(
        1,
        {"learnerName": "Erased Person", "userId": learner, "courseTitle": "Python"},
        event_type="Certificate.Issued",
    )
    [shown] = revealed([issued], keys)
    assert (shown.payload["learnerName"], shown.payload["courseTitle"]) == (None, "Python")


def published(
    position: int, payload: dict, event_type: str = "User.Registered", aggregate_id: str = ADA
) -> PublishedEvent:
    return PublishedEvent(
        application="identity",
        position=position,
        event_type=event_type,
        aggregate_id=aggregate_id,
        aggregate_version=1,
        schema_version=1,
        timestamp="2026-01-01T00:00:00+00:00",
        payload=payload,
    )
