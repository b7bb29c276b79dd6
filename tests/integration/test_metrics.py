"""Prometheus metrics at /metrics: HTTP requests by route template, and what the embedded
Campus's own work (group commits, notification deliveries, refunds in progress) reports."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.api import admin_token, bearer, signed_up
from tests.conftest import Running, embedded_campus
from tests.notifications import send


def samples(running: Running) -> dict[tuple[str, frozenset], float]:
    answer = running.client.get("/metrics")
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def requests_to(running: Running, route: str, status: str = "200") -> float:
    labels = frozenset({"route": route, "method": "GET", "status": status}.items())
    return samples(running).get(("campus_http_requests_total", labels), 0.0)


def eventually(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def test_requests_are_counted_by_route_template_never_by_raw_path(embedded: Running):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for course_id in ids:
        embedded.client.get(f"/api/courses/{course_id}/structure")
    text = embedded.client.get("/metrics").text
    assert requests_to(embedded, "/api/courses/{course_id}/structure", "401") == 3
    assert not any(course_id in text for course_id in ids)


def test_request_latency_is_a_histogram_per_route_method_and_status(embedded: Running):
    user, _ = signed_up(embedded.client)
    embedded.client.get("/api/auth/user/profile", headers=bearer(user["token"]))
    labels = {"route": "/api/auth/user/profile", "method": "GET", "status": "200"}
    count = ("campus_http_request_duration_seconds_count", frozenset(labels.items()))
    assert samples(embedded)[count] == 1


def test_a_path_no_route_matches_is_counted_under_one_label(embedded: Running):
    embedded.client.get("/no/such/page")
    embedded.client.get("/another/missing/page")
    assert requests_to(embedded, "unmatched", "404") == 2


def test_metrics_answer_prometheus_text_without_a_token_or_the_envelope(embedded: Running):
    answer = embedded.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert "# TYPE campus_http_requests_total counter" in answer.text


def test_the_embedded_server_reports_the_refunds_its_timers_wait_on(embedded: Running):
    assert samples(embedded)[("campus_refunds_in_progress", frozenset())] == 0


def test_metrics_are_not_rate_limited(tmp_path: Path):
    with embedded_campus(tmp_path, rate_limit_per_minute=2) as running:
        answers = [running.client.get("/metrics").status_code for _ in range(5)]
    assert answers == [200] * 5


def test_two_campuses_in_one_process_count_their_own_requests(embedded: Running, tmp_path: Path):
    with embedded_campus(tmp_path / "other") as other:
        other.client.get("/health")
        other.client.get("/health")
        assert requests_to(other, "/health") == 2
    embedded.client.get("/health")
    assert requests_to(embedded, "/health") == 1


def test_each_group_commit_reports_how_many_saves_it_took(embedded: Running):
    signed_up(embedded.client)
    labels = frozenset({"application": "identity"}.items())
    assert samples(embedded)[("campus_group_commit_batch_saves_count", labels)] >= 1


def test_a_delivered_notification_is_counted_by_channel_and_outcome(embedded: Running):
    user, _ = signed_up(embedded.client)
    sent = send(embedded.client, admin_token(embedded), user["userId"], "email", "Welcome")
    assert sent.status_code == 201, sent.text  # delivered to the outbox folder
    labels = frozenset({"channel": "email", "outcome": "sent"}.items())
    key = ("campus_notifications_delivered_total", labels)
    eventually(lambda: samples(embedded).get(key, 0) >= 1)
