"""``campus bench lag``: how long a committed command takes to be visible on the read API.

Production shape, each part its own process: write API, read API, ``campus relay`` and
``campus project read-models`` on a fresh database and a private Kafka topic. An open-loop
client (``ops.bench.lagclient``, another process) updates profiles at a fixed rate and reads
each write back with its consistency token; the read API holds the answer until the
projection has applied it (for up to ``CAMPUS_CONSISTENCY_WAIT_SECONDS``, set to 10 here).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
from rich.console import Console

from ops.bench.database import Services, fresh_database, private_topic
from ops.bench.lagclient import TIMEOUT_SECONDS
from ops.bench.report import Row, ms, show, verdict
from ops.bench.servers import ROOT, UNLIMITED, campus_env, settings_of, stack
from ops.bench.users import sign_up
from ops.bootstrap import bootstrap

TARGET_P99_MS, TARGET_RATE, WAIT_SECONDS = 250.0, 500.0, 10


@dataclass(frozen=True)
class LagOptions:
    services: Services
    rate: float
    seconds: float
    users: int = 1000
    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)


def fresh_read(write: str, read: str, token: str) -> bool:
    """One update read back within the wait: true once the whole pipeline carries events."""
    auth = {"Authorization": f"Bearer {token}"}
    written = httpx.put(
        f"{write}/api/auth/user/profile", json={"name": f"Warm {time.time()}"}, headers=auth
    )
    consistency = {"X-Consistency-Token": written.headers["x-consistency-token"]}
    answer = httpx.get(
        f"{read}/api/auth/user/profile", headers=auth | consistency, timeout=WAIT_SECONDS + 5
    )
    return answer.status_code == 200 and "x-consistency" not in answer.headers


def wait_for_pipeline(write: str, read: str, token: str, timeout: float = 120) -> None:
    # A cold projector needs seconds to join its consumer group.
    deadline = time.monotonic() + timeout
    while not fresh_read(write, read, token):
        if time.monotonic() > deadline:
            raise RuntimeError("the pipeline did not deliver a write to the read API")


def drive(write: str, read: str, tokens: list[str], rate: float, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".tokens") as handle:
        handle.write("\n".join(tokens))
        handle.flush()
        args = [write, read, handle.name, str(rate), str(seconds)]
        done = subprocess.run(
            [sys.executable, "-m", "ops.bench.lagclient", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=seconds + WAIT_SECONDS + 120,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the lag client failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rows_of(result: dict, rate: float) -> list[Row]:
    failures, seconds = result["failures"], result["write_seconds"]
    writes = {k: n for k, n in failures.items() if k.startswith("write")}
    reads = {k: n for k, n in failures.items() if k not in writes}
    lines = [
        (f"profile update, offered {rate:,.0f}/s", result["written"], "write_ms"),
        ("commit → visible on the read API", result["written"] - sum(reads.values()), "lag_ms"),
        ("client lateness (sent - scheduled)", result["sent"], "late_ms"),
    ]
    rows = [
        Row(name, 0, count, seconds, result[key]["p50"], result[key]["p99"])
        for name, count, key in lines
    ]
    for row, kinds in zip(rows, (writes, reads), strict=False):
        row.errors, row.extra["errors_by_kind"] = sum(kinds.values()), kinds
    return rows


def run(options: LagOptions, console: Console) -> None:
    with ExitStack() as running:
        database = running.enter_context(fresh_database(options.services.postgres_url))
        topic, group = running.enter_context(private_topic(options.services.kafka))
        extra = {
            "CAMPUS_KAFKA_TOPIC": topic,
            "CAMPUS_KAFKA_CONSUMER_GROUP_PREFIX": group,
            "CAMPUS_CONSISTENCY_WAIT_SECONDS": str(WAIT_SECONDS),
        } | options.env
        services = options.services
        env = campus_env(database, services.redis_url, services.kafka, extra)
        processes = running.enter_context(stack(env))
        write = processes.serve("write", options.workers)
        read = processes.serve("read", options.workers)
        processes.start("relay", "-m", "ops.cli", "relay")
        processes.start("projector", "-m", "ops.cli", "project", "read-models")
        campus = bootstrap(settings_of(processes.env))
        try:
            tokens = sign_up(campus, options.users)
        finally:
            campus.close()
        console.print(f"{options.users} users registered; waiting for the pipeline ...")
        wait_for_pipeline(write, read, tokens[0])
        # Warm connections and caches gently: a warm-up at full rate could already overload.
        drive(write, read, tokens, min(options.rate, 50), 2)
        result = drive(write, read, tokens, options.rate, options.seconds)
    report(options, result, processes.errors, console)


def report(options: LagOptions, result: dict, logged: list[str], console: Console) -> None:
    rows = rows_of(result, options.rate)
    achieved, lag = rows[0].rate, result["lag_ms"]
    # The target is stated at 500/s: a run at a lower rate cannot meet or miss it.
    met = (
        None
        if options.rate < TARGET_RATE
        else (
            achieved >= 0.95 * options.rate and lag["p99"] < TARGET_P99_MS and rows[1].errors == 0
        )
    )
    notes = [
        f"write and read APIs: campus serve --workers {options.workers}; campus relay; "
        "campus project read-models; one process each",
        f"open loop: {options.rate:,.0f} updates/s for {options.seconds:.0f} s over "
        f"{options.users} users; achieved {achieved:,.0f}/s",
        f"lag: write answered → read with its X-Consistency-Token answered; max "
        f"{ms(lag['max'])} ms; errors: stale (not applied within {WAIT_SECONDS} s), unseen "
        f"(the name of an update saved before it), untracked (no consistency token), HTTP "
        f"status or connection error, timeout (no answer within {TIMEOUT_SECONDS} s)",
        f"rate limiter: CAMPUS_RATE_LIMIT_PER_MINUTE={UNLIMITED:,} (never throttles)",
        f"target: p99 < {TARGET_P99_MS:.0f} ms at {TARGET_RATE:.0f}/s: {verdict(met)}",
    ]
    notes += [f"--env {k}={v}" for k, v in options.env.items()] + logged
    title = "lag: commit → visible through relay, Kafka and projector"
    show(console, "lag", title, rows, notes, failures=result["failures"], lag_ms=lag, met=met)
