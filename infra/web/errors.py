"""Every failure answered in the envelope: validation (400), domain errors, HTTP errors, 500.

This is the one place where domain error families meet HTTP status codes.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
    UnavailableError,
)
from infra.security.tokens import InvalidTokenError
from infra.web.envelope import EnvelopeResponse, failure

log = logging.getLogger("campus.api")

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (InvalidInputError, 400),
    (UnauthorizedError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (UnavailableError, 503),
]


def status_of(error: DomainError) -> int:
    return next((code for family, code in STATUS_OF if isinstance(error, family)), 400)


async def domain_error(_: Request, error: DomainError) -> EnvelopeResponse:
    return failure(status_of(error), str(error))


async def invalid_token(_: Request, error: InvalidTokenError) -> EnvelopeResponse:
    return failure(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})


async def validation_error(_: Request, error: RequestValidationError) -> EnvelopeResponse:
    details = [
        {"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
        for e in error.errors()
    ]
    return failure(400, "Invalid input data", details)


async def http_error(_: Request, error: HTTPException) -> EnvelopeResponse:
    return failure(error.status_code, str(error.detail), headers=getattr(error, "headers", None))


async def unexpected(_: Request, error: Exception) -> EnvelopeResponse:
    log.exception("unhandled error", exc_info=error)
    return failure(500, "Server error occurred")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(InvalidTokenError, invalid_token)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
