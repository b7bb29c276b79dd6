"""Prometheus metrics: the instruments a Campus process updates as it works, and their answer.

Each process (each ``bootstrap()``) gets its own registry rather than prometheus_client's global
one, so that several Campus instances in one interpreter (the tests make many) never collide on
a metric name. Instruments here are cheap counters and histograms updated where the work
happens; gauges that need a query are computed at scrape time by collectors
(``ops.workers.metrics``).
"""

from __future__ import annotations

import logging
import time
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
    start_http_server,
)
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("campus.metrics")

# A label value must come from a bounded set: anything else is counted under one name.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """One process's registry and the instruments its code updates."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files: is it healthy
        self.requests = Counter(
            "campus_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "campus_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template, method and status.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.notifications = Counter(
            "campus_notifications_delivered",
            "Notification deliveries that ended, by channel and outcome (sent or failed).",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.group_commit_batch = Histogram(
            "campus_group_commit_batch_saves",
            "Saves committed together in one event-store transaction, per application.",
            ["application"],
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        labels = (route, method if method in METHODS else "other", str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def delivered(self, channel: str, outcome: str) -> None:
        self.notifications.labels(channel, outcome).inc()

    def register(self, collector: Collector) -> None:
        self.registry.register(collector)

    def exposition(self) -> bytes:
        """Everything registered, in Prometheus' text format."""
        return generate_latest(self.registry)

    def serve(self, port: int, address: str = "0.0.0.0") -> WSGIServer | None:
        """Serve /metrics on ``port`` from a daemon thread (workers have no HTTP server);
        answer the server, which ``shutdown()`` stops, or None when the port is 0 (off)."""
        if not port:
            return None
        server, _ = start_http_server(port, address, registry=self.registry)
        log.info("serving metrics on port %s", port)
        return server


class MetricsMiddleware:
    """Count and time every HTTP request by the template of the route it matched.

    The router records the matched route in the request's scope; it is read once the answer
    has gone, so this costs a clock read and two label lookups per request. A request no route
    matched is counted under one label, never its raw path (an unbounded set of values).
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]  # an answer never started is a failure

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            elapsed = time.perf_counter() - started
            self.metrics.observe_request(route, scope["method"], status[0], elapsed)
