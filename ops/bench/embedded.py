"""``campus bench embedded``: what the embedded default costs in CPU, with no service at all.

Three figures, each the CPU of the whole process (every thread: the request, the followers,
the scheduler) per operation, from ``time.process_time``: a cost a shared machine disturbs far
less than a rate.

- starting and stopping a Campus on a new data folder (stores, tables, the HTTP app and its
  followers), as ``campus serve`` does once and a test that builds its own Campus does each time;
- a write read back by its writer: ``PUT`` then ``GET /api/auth/user/profile`` through the
  in-process HTTP client, the read waiting for the read models as any caller's does;
  the read-model follower, the sender and analytics all take the write;
- a follower's turn with nothing new: what each ring of the doorbell, or each poll, costs when
  another projection group's saves woke it.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console

from commands.users.register_user import RegisterUser
from domain.users.roles import Role
from infra.settings import Settings
from ops.app import create_app
from ops.bench.report import Row, show
from ops.bootstrap import Campus, bootstrap

PASSWORD = "bench-password-1"
SETTLE_SECONDS = 1.5  # past analytics' gathering: what it and the sender do for writes counts


@dataclass(frozen=True)
class EmbeddedOptions:
    starts: int
    writes: int


def settings_in(folder: str) -> Settings:
    # The least argon2 allows: the login before the writes is not what is measured; nor is the
    # limiter, which would refuse one user's hundredth request within a minute.
    return Settings(
        _env_file=None,
        data_dir=Path(folder),
        log_json=False,
        rate_limit_per_minute=10**6,
        argon2_time_cost=1,
        argon2_memory_cost_kib=1024,
        argon2_parallelism=1,
    )


def cpu_per(count: int, work: Callable[[], None], settle: float = 0.0) -> tuple[float, list[float]]:
    """Process CPU seconds per call of ``work``, counting what background threads still do
    for those calls within ``settle`` seconds after; and each call's wall-clock milliseconds."""
    walls = []
    started = time.process_time()
    for _ in range(count):
        begun = time.perf_counter()
        work()
        walls.append((time.perf_counter() - begun) * 1000)
    time.sleep(settle)
    return (time.process_time() - started) / count, walls


def row(name: str, count: int, cpu_seconds: float, walls: list[float], unit: str) -> Row:
    ordered = sorted(walls)
    return Row(
        name,
        1,
        count,
        sum(walls) / 1000,
        statistics.median(ordered),
        ordered[int(0.99 * (len(ordered) - 1))],
        0,
        unit,
        cpu_ms=cpu_seconds * 1000,
    )


def starts(count: int) -> Row:
    def start_and_stop() -> None:
        with tempfile.TemporaryDirectory() as folder:
            campus = bootstrap(settings_in(folder))
            with TestClient(create_app(campus)) as client:
                client.get("/health")

    start_and_stop()  # the first start pays for imports and chDB's library
    cpu, walls = cpu_per(count, start_and_stop)
    return row("start, one request, stop", count, cpu, walls, "start")


def signed_in(campus: Campus, client: TestClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
    campus.bus.handle(RegisterUser(email, PASSWORD, "Bench Learner", role=Role.STUDENT))
    answer = client.post("/api/auth/user/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['data']['token']}"}


def letters(number: int) -> str:
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if not number:
            return word.title()


def writes(campus: Campus, client: TestClient, count: int) -> Row:
    headers = signed_in(campus, client)
    turns = iter(range(10**9))

    def write_and_read() -> None:
        name = f"Learner {letters(next(turns))}"  # a name holds no digits
        client.put("/api/auth/user/profile", json={"name": name}, headers=headers)
        answer = client.get("/api/auth/user/profile", headers=headers).json()
        if (answer["data"] or {}).get("name") != name:
            raise RuntimeError(f"the read missed its own write: {answer}")

    for _ in range(5):
        write_and_read()
    time.sleep(SETTLE_SECONDS)  # the warm-up's analytics and mail are done: a quiet start
    cpu, walls = cpu_per(count, write_and_read, SETTLE_SECONDS)
    return row("profile write, then its read", count, cpu, walls, "write")


def idle_turns(campus: Campus, count: int) -> Row:
    follower = campus.follower()
    cpu, walls = cpu_per(count, follower.catch_up)
    return row("read-model follower, nothing new", count, cpu, walls, "turn")


def run(options: EmbeddedOptions, console: Console) -> None:
    console.print(f"starting and stopping {options.starts} Campuses ...")
    rows = [starts(options.starts)]
    with tempfile.TemporaryDirectory() as folder:
        campus = bootstrap(settings_in(folder))
        with TestClient(create_app(campus)) as client:
            console.print(f"{options.writes} writes, each read back ...")
            rows.append(writes(campus, client, options.writes))
            rows.append(idle_turns(campus, options.writes))
    notes = [
        "embedded default (SQLite, chDB, followers in-process), data in a temporary folder",
        "cpu ms: the whole process's CPU per operation (every thread), from time.process_time",
        "requests through the in-process HTTP client (no sockets); argon2 at its least",
    ]
    title = "embedded: CPU per start, per write read back, per idle turn"
    show(console, "embedded", title, rows, notes)
