"""How event attributes become the JSON of published events and of the audit."""

from __future__ import annotations

import uuid

from infra.eventstore.publishing import plain


def test_field_names_in_a_dict_are_camel_cased_like_the_payload():
    assert plain({"course_title": "Python"}) == {"courseTitle": "Python"}


def test_ids_used_as_keys_are_kept_as_they_are():
    lesson = uuid.uuid4()
    assert plain({lesson: 1}) == {str(lesson): 1}
    assert plain({str(lesson): 1}) == {str(lesson): 1}
