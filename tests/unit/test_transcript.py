"""The Transcript aggregate's rules, in memory: one per learner, each certificate listed once."""

from __future__ import annotations

import uuid

from domain.learning.transcript import Transcript

ADA, BOLA = uuid.uuid4(), uuid.uuid4()


def opened() -> Transcript:
    transcript = Transcript(ADA)
    transcript.collect_events()
    return transcript


def test_the_same_learner_always_has_the_same_transcript_id():
    assert Transcript.create_id(ADA) == Transcript.create_id(ADA)


def test_another_learner_has_another_transcript_id():
    assert Transcript.create_id(BOLA) != Transcript.create_id(ADA)


def test_adding_a_certificate_twice_lists_it_once_with_one_event():
    transcript = opened()
    certificate_id = uuid.uuid4()

    transcript.add(certificate_id)
    transcript.add(certificate_id)

    assert [type(e).__name__ for e in transcript.collect_events()] == ["CertificateAdded"]
    assert transcript.certificate_ids == [certificate_id]


def test_certificates_are_listed_in_the_order_they_were_added():
    transcript = opened()
    first, second = uuid.uuid4(), uuid.uuid4()

    transcript.add(first)
    transcript.add(second)
    transcript.add(first)

    assert transcript.certificate_ids == [first, second]
