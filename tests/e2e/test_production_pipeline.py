"""End to end, as deployed: write API, read API, relay and projector as separate processes.

A write goes into the PostgreSQL event store, the relay publishes it to Kafka, the projector
writes the PostgreSQL read model, and the read API answers it to the client who wrote it.
"""

from __future__ import annotations

import json

import httpx
from kafka import KafkaConsumer
from sqlalchemy import select

from commands.users.register_user import RegisterUser
from commands.users.update_profile import UpdateProfile
from ops.bootstrap import bootstrap
from projections.rebuild import rebuild
from projections.users import user_accounts, users
from tests import services
from tests.e2e.processes import production, wait_until


def test_a_registration_is_read_back_through_relay_kafka_and_projector(tmp_path):
    with production(tmp_path) as prod:
        write, read = prod.serve("write"), prod.serve("read")
        prod.start("relay", "relay")
        prod.start("projector", "project", "read-models")

        written = httpx.post(
            f"{write}/api/auth/user/register",
            headers={"X-Request-ID": "e2e-trace-1"},
            json={"email": "grace@example.com", "password": "a long password", "name": "Grace"},
        )
        assert written.status_code == 200, written.text
        token = written.json()["data"]["token"]
        answer = httpx.get(
            f"{read}/api/auth/user/profile",
            timeout=35,  # the read waits up to 30 s for a projector still joining its group
            headers={
                "Authorization": f"Bearer {token}",
                "X-Consistency-Token": written.headers["X-Consistency-Token"],
            },
        )

        assert answer.status_code == 200 and "X-Consistency" not in answer.headers
        assert answer.json()["data"]["email"] == "grace@example.com"
        assert (
            httpx.get(f"{read}/api/admin/users").status_code == 401
        )  # the read side authorizes too
        registered = published_record(prod.settings.kafka_topic, "User.Registered")
        assert dict(registered.headers)["correlation-id"] == b"e2e-trace-1"
        assert registered.key.decode() == written.json()["data"]["userId"]
        assert "password" not in registered.value.decode().lower()


def test_a_projector_killed_mid_stream_resumes_to_what_a_rebuild_produces(tmp_path):
    with production(tmp_path) as prod:
        campus = bootstrap(prod.settings)
        for n in range(1500):
            user = campus.bus.handle(RegisterUser(f"learner{n}@example.com", None, f"Learner {n}"))
            if n % 3 == 0:
                campus.bus.handle(UpdateProfile(user, name=f"Learner {n} (renamed)"))
        heads = {
            name: app.recorder.max_notification_id()
            for name, app in campus.apps.items()
            if app.recorder.max_notification_id()
        }
        prod.start("relay", "relay")
        prod.start("projector", "project", "read-models")
        runner = campus.runner()

        wait_until(lambda: runner.applied_through("identity") > 0, "the projector to start", 60)
        prod.kill("projector")
        assert runner.applied_through("identity") < heads["identity"], (
            "killed too late to prove anything"
        )

        prod.start("projector", "project", "read-models")
        wait_until(
            lambda: all(runner.applied_through(a) >= h for a, h in heads.items()),
            "the restarted projector to catch up",
            120,
        )
        live = table_rows(campus)
        assert len(live["users"]) == 1500
        rebuild(runner, list(campus.apps.values()))
        assert table_rows(campus) == live
        campus.close()


def published_record(topic: str, event_type: str):
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=services.KAFKA_SERVERS,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    try:
        for record in consumer:
            if json.loads(record.value).get("eventType") == event_type:
                return record
    finally:
        consumer.close()
    raise AssertionError(f"no {event_type} on {topic}")


def table_rows(campus) -> dict[str, list[tuple]]:
    with campus.read_engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (users, user_accounts)
        }
