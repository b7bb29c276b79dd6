"""``campus bench ryw``: does a plain client read its own writes, with the machine under load?

Production shape: a write API, a read API, the relay and the read-model projector as separate
processes. Background clients keep the APIs busy (profile updates and reads, as many users do)
while one plain client, with nothing but its bearer token, creates a course and at once reads
its structure, again and again. Each read is a hit (200 at once), stale (answered, marked
``X-Consistency: stale``) or a miss (404: the write not seen). The figure that matters is the
misses, which must be 0; the read's latency shows what waiting for one's own write costs.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import httpx
from rich.console import Console

from commands.sessions.start_session import StartSession
from commands.users.register_user import RegisterUser
from domain.users.roles import Role
from ops.bench.database import Services, fresh_database, private_topic
from ops.bench.report import latency_summary
from ops.bench.servers import campus_env, settings_of, stack
from ops.bench.users import sign_up
from ops.bootstrap import Campus, bootstrap


@dataclass(frozen=True)
class RywOptions:
    services: Services
    tries: int = 200
    load_clients: int = 8


def run(options: RywOptions, env: dict[str, str], console: Console) -> None:
    services = options.services
    with (
        fresh_database(services.postgres_url) as database,
        private_topic(services.kafka, "bench") as (topic, group),
    ):
        extra = {"CAMPUS_KAFKA_TOPIC": topic, "CAMPUS_KAFKA_CONSUMER_GROUP_PREFIX": group} | env
        with stack(campus_env(database, services.redis_url, services.kafka, extra)) as running:
            write, read = running.serve("write", 2), running.serve("read", 2)
            running.start("relay", "-m", "ops.cli", "relay")
            running.start("projector", "-m", "ops.cli", "project", "read-models")
            campus = bootstrap(settings_of(running.env))
            try:
                admin, users = admin_token(campus), sign_up(campus, options.load_clients)
            finally:
                campus.close()
            stop = threading.Event()
            loads = [
                threading.Thread(target=busy, args=(write, read, token, stop), daemon=True)
                for token in users
            ]
            for load in loads:
                load.start()
            warm_up(write, read, admin)
            outcomes, latencies = create_then_read(write, read, admin, options.tries)
            stop.set()
    report(console, options, outcomes, latencies)


def admin_token(campus: Campus) -> str:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    user = campus.bus.handle(RegisterUser(email, None, "Admin", role=Role.ADMIN))
    grant = campus.bus.handle(StartSession(user, "bench"))
    return campus.tokens.issue_access(grant.user_id, grant.role.value, grant.session_id)


def busy(write: str, read: str, token: str, stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=30) as http:
        n = 0
        while not stop.is_set():
            http.put(f"{write}/api/auth/user/profile", json={"name": f"Busy {n}"})
            http.get(f"{read}/api/auth/user/profile")
            n += 1


def warm_up(write: str, read: str, admin: str) -> None:
    """Until the projector has joined its consumer group: a cold start is not the figure."""
    deadline = time.monotonic() + 120
    while create_then_read(write, read, admin, 1)[0]["hit"] == 0:
        if time.monotonic() > deadline:
            raise RuntimeError("the pipeline never carried a write to the read API")


def create_then_read(write: str, read: str, admin: str, tries: int) -> tuple[Counter, list[float]]:
    outcomes: Counter = Counter()
    latencies: list[float] = []
    body = {
        "title": "Read your writes",
        "description": "A course created and read back at once",
        "category": "Bench",
        "difficulty": "Beginner",
        "duration": 60,
        "price": "10.00",
    }
    with httpx.Client(headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
        for _ in range(tries):
            course = http.post(f"{write}/api/admin/courses", json=body).json()["data"]["courseId"]
            started = time.perf_counter()
            answer = http.get(f"{read}/api/courses/{course}/structure")
            latencies.append((time.perf_counter() - started) * 1000)
            stale = answer.headers.get("X-Consistency") == "stale"
            outcomes["miss" if answer.status_code == 404 else "stale" if stale else "hit"] += 1
    return outcomes, latencies


def report(
    console: Console, options: RywOptions, outcomes: Counter, latencies: list[float]
) -> None:
    summary = latency_summary(latencies)
    console.print(
        f"create → read with no header, {options.tries} tries under load from "
        f"{options.load_clients} busy clients: hits {outcomes['hit']}, stale {outcomes['stale']}, "
        f"misses {outcomes['miss']}; read latency ms {summary}"
    )
