"""Failures answered in the envelope: validation (400), domain errors, HTTP errors.
(Unexpected errors become a 500 in the request-id middleware, so they keep their request id.)

This is the one place where domain error families meet HTTP status codes.
"""

from __future__ import annotations

from re import Pattern

from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    PaymentRequiredError,
    TooLargeError,
    UnauthorizedError,
    UnavailableError,
)
from infra.security.tokens import InvalidTokenError
from infra.web.documentation import documented_routes
from infra.web.envelope import EnvelopeResponse, failure

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (InvalidInputError, 400),
    (UnauthorizedError, 401),
    (PaymentRequiredError, 402),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (TooLargeError, 413),
    (UnavailableError, 503),
]


def status_of(error: DomainError) -> int:
    return next((code for family, code in STATUS_OF if isinstance(error, family)), 400)


async def domain_error(_: Request, error: DomainError) -> EnvelopeResponse:
    status = status_of(error)
    # RFC 6750: a 401 tells the client how to authenticate.
    return failure(
        status,
        str(error),
        error.details,
        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None,
    )


async def invalid_token(_: Request, error: InvalidTokenError) -> EnvelopeResponse:
    return failure(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})


async def validation_error(_: Request, error: RequestValidationError) -> EnvelopeResponse:
    details = [{"field": field_of(e), "message": e["msg"]} for e in error.errors()]
    return failure(400, "Invalid input data", details)


def field_of(error: dict) -> str:
    if error["type"] == "json_invalid":  # its location is a character offset, not a field
        return "body"
    return ".".join(str(p) for p in error["loc"][1:]) or str(error["loc"][0])


async def http_error(request: Request, error: HTTPException) -> EnvelopeResponse:
    headers = getattr(error, "headers", None)
    if error.status_code == 405:  # the first route matched names only its own methods
        headers = (headers or {}) | {"Allow": ", ".join(allowed_methods(request))}
    return failure(error.status_code, str(error.detail), headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every documented method at this path: read and write routers share paths, and the
    router's own 405 names only the first one's."""
    methods: set[str] = set()
    for pattern, route_methods in route_patterns(request.app):
        if pattern.match(request.url.path):
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def route_patterns(app: FastAPI) -> list[tuple[Pattern[str], set[str]]]:
    """(path pattern, methods) of every documented route, listed once per app: a 405 neither
    writes the API document nor compiles a pattern per path."""
    if not hasattr(app.state, "route_patterns"):
        app.state.route_patterns = [
            (route.path_regex, set(route.methods or ())) for route in documented_routes(app)
        ]
    return app.state.route_patterns


async def concurrent_change(_: Request, error: IntegrityError) -> EnvelopeResponse:
    # Two commands changed one aggregate at once and this one lost: the client may retry.
    return failure(409, "The resource was changed by another request; retry")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IntegrityError, concurrent_change)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(InvalidTokenError, invalid_token)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
