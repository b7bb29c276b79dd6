"""The FastAPI application: the read and/or write routers, middleware and error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from infra.metrics import CONTENT_TYPE, MetricsMiddleware
from infra.web.auth import current_claims, optional_claims
from infra.web.documentation import dependency_calls, document_answers
from infra.web.envelope import success
from infra.web.errors import install_error_handlers
from infra.web.middleware import RateLimitMiddleware, RequestIdMiddleware
from infra.web.shedding import CommandSheddingMiddleware
from ops import projections_api
from ops.bootstrap import Campus
from read_api import admin_coupons as read_admin_coupons
from read_api import admin_users as read_admin_users
from read_api import analytics as read_analytics
from read_api import analytics_reports, audit, dashboard, enrollments, profile, progress
from read_api import certificate_templates as read_certificate_templates
from read_api import certificates as read_certificates
from read_api import courses as read_courses
from read_api import media as read_media
from read_api import notifications as read_notifications
from read_api import payments as read_payments
from read_api import peer_reviews as read_peer_reviews
from read_api import quizzes as read_quizzes
from read_api.deps import ReadModels
from write_api import admin_users as write_admin_users
from write_api import auth, certificates, coupons, learning, payments, paystack_sandbox
from write_api import bulk_enrollment as write_bulk_enrollment
from write_api import certificate_templates as write_certificate_templates
from write_api import courses as write_courses
from write_api import media as write_media
from write_api import notifications as write_notifications
from write_api import peer_reviews as write_peer_reviews
from write_api import quizzes as write_quizzes
from write_api.consistency import ConsistencyTokenMiddleware

Role = Literal["all", "read", "write"]
# Paystack delivers every webhook from a few addresses; its signature is the check.
RATE_UNCOUNTED = ("/health", "/metrics", "/api/payments/webhooks/paystack")
# Reads answered from the query cache: the door brings their namespaces' generations.
CACHED_READS = {"/api/courses/catalog/list": ("catalog",)}

READ_ROUTERS = (
    profile.router,
    read_admin_users.router,
    read_courses.router,
    read_quizzes.router,
    read_media.router,
    read_payments.router,
    read_admin_coupons.router,
    enrollments.router,
    progress.router,
    dashboard.router,
    read_certificates.router,
    read_certificate_templates.router,
    read_analytics.router,
    analytics_reports.router,
    read_peer_reviews.router,
    read_notifications.router,
    audit.router,
)
WRITE_ROUTERS = (
    auth.router,
    write_admin_users.router,
    write_courses.router,
    write_quizzes.router,
    write_media.router,
    payments.router,
    coupons.router,
    learning.router,
    certificates.router,
    write_certificate_templates.router,
    write_bulk_enrollment.router,
    write_peer_reviews.router,
    write_notifications.router,
)


def create_app(campus: Campus, role: Role = "all", follow: bool | None = None) -> FastAPI:
    """``follow``: run the projections in-process (default: when there is no Kafka)."""
    follow = (not campus.settings.uses_kafka) if follow is None else follow

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if follow:
            campus.start_follower()
        yield
        await campus.caller_checks.aclose()
        await campus.session_positions.aclose()
        campus.close()

    app = FastAPIOffline(
        title="Campus API",
        version="0.1.0",
        lifespan=lifespan,
        description="Online learning platform backend (event-sourced CQRS).",
    )
    app.state.campus, app.state.settings, app.state.bus = campus, campus.settings, campus.bus
    app.state.tokens, app.state.revocations = campus.tokens, campus.revocations
    app.state.read_engine = campus.read_engine
    app.state.read_models = ReadModels(campus.read_engine, campus.settings.pools.read_models)
    app.state.analytics = campus.analytics  # ClickHouse: .query(sql, {name: value})
    app.state.applications = set(campus.apps)
    app.state.query_cache = campus.query_cache
    app.state.session_positions = campus.session_positions
    app.state.watches = {}  # one projection watch per projection, shared by waiting reads
    app.state.blobs = campus.blobs
    app.state.personal_data = campus.personal_data  # opens what the analytics store keeps sealed
    app.state.paystack = campus.paystack
    for router in READ_ROUTERS if role in ("all", "read") else ():
        add_routes(app, router)
    for router in write_routers(campus) if role in ("all", "write") else ():
        add_routes(app, router)
    add_routes(app, projections_api.router)  # every role
    app.state.jobs = {}  # rebuild jobs started on this process
    app.add_api_route("/health", health, methods=["GET"], include_in_schema=False)
    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
    install_error_handlers(app)
    if role in ("all", "write"):  # only commands save events: a read server has none to record
        app.add_middleware(ConsistencyTokenMiddleware, sessions=campus.session_positions)
    app.add_middleware(
        RateLimitMiddleware,
        checks=campus.caller_checks,
        tokens=campus.tokens,
        exempt=RATE_UNCOUNTED,
        cached_reads=CACHED_READS,
    )
    if role in ("all", "write"):  # outside the limiter: a refused command costs no Redis call
        app.add_middleware(CommandSheddingMiddleware, limit=campus.settings.max_commands_in_flight)
    if campus.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=campus.settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "X-Consistency-Token"],
            expose_headers=["X-Request-ID", "X-Consistency-Token", "Retry-After"],
        )
    app.add_middleware(RequestIdMiddleware)
    # Outermost, so that it also counts the 500s and 503s the request-id middleware answers.
    app.add_middleware(MetricsMiddleware, metrics=campus.metrics)
    document_answers(app, uncounted=RATE_UNCOUNTED)
    return app


def write_routers(campus: Campus) -> tuple[APIRouter, ...]:
    """The sandbox's checkout pays without money moving: where money is real, it does not exist."""
    development = campus.settings.mode == "development"
    return WRITE_ROUTERS + ((paystack_sandbox.router,) if development else ())


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Add a router's routes as they were built when its module was imported: each router
    holds whole paths and nothing to add, and ``include_router`` would build every route again
    for each application (a process that makes many, as the tests do, paid it each time)."""
    app.router.routes.extend(summarize_from_docstrings(router).routes)


def summarize_from_docstrings(router: APIRouter) -> APIRouter:
    """An endpoint's one-line docstring is its OpenAPI summary; a public endpoint that shows
    more to a signed-in caller is documented as open to anyone (no lock), a token optional."""
    for route in router.routes:
        if isinstance(route, APIRoute) and route.description:
            route.summary = route.description.splitlines()[0]
        if isinstance(route, APIRoute) and takes_optional_token(route):
            route.openapi_extra = {"security": [{}]}  # added to the bearer requirement
    return router


def takes_optional_token(route: APIRoute) -> bool:
    calls = set(dependency_calls(route.dependant))
    return optional_claims in calls and current_claims not in calls


def health() -> object:
    return success({"status": "ok"})


def metrics(request: Request) -> Response:
    """Prometheus' text format, not the envelope: a scraper reads it, not an API client."""
    return Response(request.app.state.campus.metrics.exposition(), media_type=CONTENT_TYPE)
