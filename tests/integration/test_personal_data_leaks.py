"""After an erasure, a learner's personal data is readable nowhere, in production shape: not in
the event store, the read models, the Kafka topic, the analytics tables, the outbox or the log;
and it never reached the topic or the event store in plain text even before."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from infra.logging import JsonFormatter
from tests.api import admin_token, bearer, data, register
from tests.commerce import course_for_sale, pay
from tests.conftest import Running, services_campus
from tests.integration.test_card_data_leaks import database_text, files_text, topic_text
from tests.pipeline import settled

NAME = "Oluwaseun Bamidele-Zq"  # ASCII, so no JSON escaping can hide it from the search
PHONE = "+2348039998877"
DEVICE = "fcm-device-token-for-erasure-test"


def personal_in(text: str, email: str) -> list[str]:
    return [value for value in (NAME, email, PHONE, DEVICE) if value in text]


def files_naming(folder: Path) -> list[str]:
    """Which files hold the learner's name: what a failure should point at."""
    return [str(p) for p in folder.rglob("*") if p.is_file() and NAME.encode() in p.read_bytes()]


def wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.1)


def analytics_text(running: Running) -> str:
    store = running.campus.analytics
    tables = [row["name"] for row in store.query("SHOW TABLES")]
    return "\n".join(str(row) for table in tables for row in store.query(f"SELECT * FROM {table}"))


def test_an_erased_learners_personal_data_is_left_nowhere(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    email = f"erase.me.{uuid.uuid4().hex[:8]}@example.com"
    with services_campus(tmp_path, notify=True) as running:
        client = running.client
        admin = admin_token(running)
        registered = register(client, email=email, name=NAME, phone=PHONE)
        learner = data(registered)["token"]
        user_id = data(registered)["userId"]
        added = client.post(
            "/api/notifications/devices", json={"token": DEVICE}, headers=bearer(learner)
        )
        assert added.status_code == 201, added.text
        assert pay(client, learner, course_for_sale(client, admin)).status_code == 201
        settled(running.campus, ("read-models", "analytics"))
        settings = running.campus.settings
        published_before = topic_text(settings.kafka_topic)
        wait_for(lambda: personal_in(files_text(tmp_path), email), "the welcome e-mail")
        assert NAME in database_text(settings.database_url)  # the read models had it

        erased = client.delete(f"/api/admin/users/{user_id}/personal-data", headers=bearer(admin))
        assert erased.status_code == 200, erased.text
        settled(running.campus, ("read-models", "analytics"))
        stored = database_text(settings.database_url)
        published = topic_text(settings.kafka_topic)
        analytics = analytics_text(running)

    assert "User.PersonalDataErased" in stored and "User.Registered" in published
    assert personal_in(published_before, email) == []  # sealed on the topic from the start
    assert personal_in(stored, email) == []
    assert personal_in(published, email) == []
    assert personal_in(analytics, email) == []
    assert personal_in("\n".join(JsonFormatter().format(r) for r in caplog.records), email) == []
    assert personal_in(files_text(tmp_path), email) == [], files_naming(tmp_path)
