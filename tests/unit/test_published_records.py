"""A record of the topic is told apart by its ``kind`` field, wherever the field stands."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.events import PublishedEvent, Watermark, parse_record


def test_a_watermark_is_a_watermark_whatever_the_order_of_its_fields():
    record = parse_record(b'{"application": "catalog", "position": 7, "kind": "watermark"}')
    assert record == Watermark(application="catalog", position=7)


def test_an_event_is_an_event():
    value = (
        b'{"kind":"event","application":"catalog","position":3,"eventType":"Course.Published",'
        b'"aggregateId":"a","aggregateVersion":2,"timestamp":"2026-12-07T12:00:00Z","payload":{}}'
    )
    assert isinstance(parse_record(value), PublishedEvent)


@pytest.mark.parametrize(
    "value", [b'{"kind": "snapshot", "application": "catalog"}', b'{"position": 1}', b"[]"]
)
def test_a_record_of_no_known_kind_is_invalid(value):
    with pytest.raises(ValidationError):
        parse_record(value)
