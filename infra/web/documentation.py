"""What the API document says each operation answers: its enveloped success, and the error
envelope, with an example body, for each status the operation can answer.

Most of those statuses follow from the operation itself: 400 for any input, 401 and 403 where a
token is taken (the caller may not be allowed: not an admin, not the owner, an auditor outside
the audit API), 404 where the path names a resource or a write names one in its body, 409 for a
write (a concurrent change loses), 429 where the rate limiter counts and for every write (a
worker busy with as many commands as it takes, see infra.web.shedding). A router adds only what
its handler alone knows: ``documented(Model, errors=(402, 503))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from domain import errors
from infra.web.auth import current_claims, optional_claims
from schemas.envelope import Envelope, ErrorEnvelope

# One message an example body shows per status: what Campus answers most often with it.
MESSAGES = {
    400: "Invalid input data",
    401: "Authentication required",
    402: errors.PaymentRequiredError.message,
    403: errors.ForbiddenError.message,
    404: errors.NotFoundError.message,
    409: errors.ConflictError.message,
    413: errors.TooLargeError.message,
    415: "Send the CSV as text/csv, or as multipart/form-data in 'file'",
    416: "Range not satisfiable",
    429: "Too many requests",
    503: errors.UnavailableError.message,
}
EXAMPLE_TIME = "2025-01-15T09:30:00.000Z"
READS = {"GET", "HEAD"}


def documented(
    model: type | None = None, status_code: int = 200, errors: Iterable[int] = ()
) -> dict[int | str, Any]:
    """OpenAPI ``responses`` for an endpoint: its enveloped success, and the statuses only its
    handler knows it answers (the ones every operation of its kind answers are added for it)."""
    answers: dict[int | str, Any] = {code: {"model": ErrorEnvelope} for code in errors}
    answers[status_code] = {"model": Envelope[model] if model else Envelope[dict[str, Any]]}
    return answers


def document_answers(app: FastAPI, uncounted: Iterable[str]) -> None:
    """Document on every operation the error statuses it answers, each with an example, and
    drop FastAPI's 422 ``{detail}``: invalid input is a 400 in the envelope. ``uncounted``:
    the paths the rate limiter lets through."""
    generate, uncounted = app.openapi, set(uncounted)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        for route in documented_routes(app):
            path = str(route.path_format)
            for method in set(route.methods or ()) & set(METHODS):
                answers = answered(route, method, path not in uncounted)
                describe_errors(document["paths"][path][method.lower()]["responses"], answers)
        forget_framework_errors(document)
        document["components"]["schemas"] |= error_schemas()
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def documented_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Each operation's route, with the path its router's prefix gives it."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            yield context


def answered(route: RouteContext, method: str, counted: bool) -> set[int]:
    calls = set(dependency_calls(route.original_route.dependant))
    write = method not in READS
    statuses = {400} | ({429} if counted or write else set())
    if calls & {current_claims, optional_claims}:
        # 403 too: an auditor's token opens only the audit API (see infra.web.auth).
        statuses |= {401, 403}
    if write or route.param_convertors:
        statuses.add(404)
    if write:
        statuses.add(409)
    return statuses


def dependency_calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from dependency_calls(dependency)


def describe_errors(responses: dict[str, Any], answers: set[int]) -> None:
    responses.pop("422", None)
    codes = answers | {int(code) for code in responses if code.isdigit() and int(code) >= 400}
    for code in sorted(codes):
        responses[str(code)] = error_response(code)
    ordered = sorted(responses.items(), key=lambda item: item[0])
    responses.clear()
    responses.update(ordered)


def error_response(code: int) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ErrorEnvelope.__name__}"}
    return {
        "description": HTTPStatus(code).phrase,
        "content": {"application/json": {"schema": schema, "example": example(code)}},
    }


def example(code: int) -> dict[str, Any]:
    error: dict[str, Any] = {"errorCode": code, "message": MESSAGES[code]}
    if code == 400:
        error["details"] = [{"field": "email", "message": "value is not a valid email address"}]
    return {"status": "error", "data": None, "error": error, "timestamp": EXAMPLE_TIME}


def forget_framework_errors(document: dict[str, Any]) -> None:
    for unused in ("HTTPValidationError", "ValidationError"):
        document["components"]["schemas"].pop(unused, None)


def error_schemas() -> dict[str, Any]:
    schema = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    return schema.pop("$defs", {}) | {ErrorEnvelope.__name__: schema}
