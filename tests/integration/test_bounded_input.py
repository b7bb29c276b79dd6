"""Every number the API accepts is bounded before it can become an event or a query.

Out of range is a 400 in the envelope: never a 500, never an event that a projection cannot
store. The first test reads the bounds off the API's own description, so a new field without
them fails it; the property tests then drive every numeric field and parameter with extreme
values against a running Campus.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api import admin_token, bearer, data
from tests.conftest import Running, embedded_campus
from tests.learning import enrolled, published_course, published_lessons

INT64 = 2**63 - 1
EXTREMES = st.one_of(
    st.sampled_from([2**63, -(2**63) - 1, 10**30, -(10**30), INT64, -INT64, 10**21]),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" + "0" * 40]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
# Out of range for every field of a progress update (a share, seconds spent, a position).
OUT_OF_RANGE = st.one_of(
    st.integers(min_value=10**15, max_value=2**80),
    st.integers(max_value=-1, min_value=-(2**80)),
    st.sampled_from(["1e400", "NaN", "Infinity", "-Infinity", 2**63, 10**30]),
)


def numeric_fields(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, str, dict]]:
    """(method, path, where, name, schema) of every integer or number an operation takes."""
    components = spec["components"]["schemas"]

    def resolve(schema: dict) -> dict:
        while "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def numbers(schema: dict, name: str) -> Iterator[tuple[str, dict]]:
        schema = resolve(schema)
        for alternative in schema.get("anyOf", []) + schema.get("allOf", []):
            yield from numbers(alternative, name)
        if schema.get("type") in ("integer", "number"):
            yield name, schema
        for field, inner in schema.get("properties", {}).items():
            yield from numbers(inner, field)
        if "items" in schema:
            yield from numbers(schema["items"], name)
        if isinstance(schema.get("additionalProperties"), dict):
            yield from numbers(schema["additionalProperties"], name)

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for name, schema in numbers(parameter["schema"], parameter["name"]):
                    yield method, path, parameter["in"], name, schema
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for name, schema in numbers(content["schema"], "body"):
                    yield method, path, "body", name, schema


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = Path(tmp_path_factory.mktemp("bounded"))
    with embedded_campus(folder, rate_limit_per_minute=1_000_000) as running:
        yield running


@pytest.fixture(scope="module")
def admin(running: Running) -> str:
    return admin_token(running)


def test_every_number_the_api_takes_has_bounds_a_64_bit_column_holds(running: Running):
    unbounded = []
    for method, path, where, name, schema in numeric_fields(running.client.app.openapi()):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is None or high is None or low < -INT64 or high > INT64:
            unbounded.append(f"{method.upper()} {path} {where}:{name}")
    assert not unbounded, unbounded


def test_the_api_takes_numbers_in_many_places(running: Running):
    assert len(list(numeric_fields(running.client.app.openapi()))) >= 20


def concrete(path: str) -> str:
    parts = [str(uuid.uuid4()) if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(choice=st.data(), value=EXTREMES)
def test_an_extreme_number_anywhere_is_a_4xx_never_a_5xx(
    running: Running, admin: str, choice: st.DataObject, value: Any
):
    fields = list(numeric_fields(running.client.app.openapi()))
    method, path, where, name, _ = choice.draw(st.sampled_from(fields))
    request: dict[str, Any] = {"headers": bearer(admin)}
    if where == "query":
        request["params"] = {name: str(value)}
    elif where == "body":
        request["json"] = {name: value}
    answer = running.client.request(method.upper(), concrete(path), **request)
    assert 400 <= answer.status_code < 500 or answer.status_code < 300, (method, path, value)
    assert answer.status_code != 429
    assert answer.json()["status"] == "error" or answer.status_code < 300


@pytest.fixture(scope="module")
def progress_target(running: Running, admin: str) -> dict[str, Any]:
    course = published_course(running.client, admin)
    module_id, lesson_id = published_lessons(running.client, admin, course)[0]
    student = enrolled(running.client, course.id)
    return {
        "token": student.token,
        "body": {
            "enrollmentId": student.enrollment_id,
            "moduleId": module_id,
            "lessonId": lesson_id,
            "progress": 0.5,
        },
    }


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(["positionSeconds", "timeSpent", "progress"]), value=OUT_OF_RANGE)
def test_a_progress_update_out_of_range_is_refused_and_records_nothing(
    running: Running, progress_target: dict[str, Any], field: str, value: Any
):
    body = progress_target["body"] | {field: value}
    answer = running.client.post(
        "/api/progress/update", json=body, headers=bearer(progress_target["token"])
    )
    assert answer.status_code == 400, answer.text
    assert "X-Consistency-Token" not in answer.headers  # nothing was written


def test_a_progress_position_of_a_day_is_taken(running: Running, progress_target: dict[str, Any]):
    body = progress_target["body"] | {"positionSeconds": 86_400}
    answer = running.client.post(
        "/api/progress/update", json=body, headers=bearer(progress_target["token"])
    )
    assert data(answer)["enrollmentId"] == body["enrollmentId"]


def test_a_catalog_page_past_the_bound_is_a_400(running: Running):
    answer = running.client.get("/api/courses/catalog/list", params={"page": 2**63 - 1})
    assert answer.status_code == 400
    assert answer.json()["error"]["errorCode"] == 400
