"""``campus bench connections``: how many PostgreSQL connections the production deployment
holds, per process and in all, against its budget (infra/roles.py).

The deployment of docker-compose.yml, each part its own process: write and read APIs with four
uvicorn workers each, relay, read-model and analytics projectors, notifier and scheduler, on a
fresh database and a private Kafka topic. While the lag benchmark's client updates and reads
profiles at a fixed rate, ``pg_stat_activity`` is sampled; each process names its connections
``campus-<role>-<pid>``, so the peak each one held is known, and the peak of the sum.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field

import psycopg
from rich.console import Console
from rich.table import Table

from infra.roles import DEPLOYMENT_BUDGET, POOLS
from ops.bench.database import fresh_database, private_topic
from ops.bench.lag import LagOptions, drive, wait_for_pipeline
from ops.bench.servers import Stack, campus_env, settings_of, stack
from ops.bench.users import sign_up
from ops.bootstrap import bootstrap

SAMPLE_SECONDS = 0.25
NAMED = re.compile(r"^campus-(?P<role>[a-z]+)-(?P<pid>\d+)$")
# The processes of docker-compose.yml besides the APIs: (log name, campus arguments).
WORKER_PROCESSES = (
    ("relay", ("relay",)),
    ("projector", ("project", "read-models")),
    ("analytics", ("project", "analytics")),
    ("notifier", ("notify",)),
    ("scheduler", ("schedule",)),
)


@dataclass
class Peaks:
    """The most connections seen: per process (by name), and of all together."""

    by_name: dict[str, int] = field(default_factory=dict)
    total: int = 0
    samples: int = 0

    def add(self, counts: dict[str, int]) -> None:
        for name, n in counts.items():
            self.by_name[name] = max(self.by_name.get(name, 0), n)
        self.total, self.samples = max(self.total, sum(counts.values())), self.samples + 1


def sample(server_url: str, database: str, peaks: Peaks, stop: threading.Event) -> None:
    query = (
        "SELECT application_name, count(*) FROM pg_stat_activity "
        "WHERE datname = %s AND backend_type = 'client backend' GROUP BY application_name"
    )
    with psycopg.connect(server_url, autocommit=True, application_name="bench-sampler") as conn:
        while not stop.wait(SAMPLE_SECONDS):
            peaks.add(dict(conn.execute(query, (database,)).fetchall()))


def deploy(processes: Stack, workers: int) -> tuple[str, str]:
    """Start the deployment; answer the write and read APIs' URLs."""
    write = processes.serve("write", workers)
    read = processes.serve("read", workers)
    for name, args in WORKER_PROCESSES:
        processes.start(name, "-m", "ops.cli", *args)
    return write, read


def run(options: LagOptions, console: Console) -> None:
    with ExitStack() as running:
        database = running.enter_context(fresh_database(options.services.postgres_url))
        topic, group = running.enter_context(private_topic(options.services.kafka))
        extra = {"CAMPUS_KAFKA_TOPIC": topic, "CAMPUS_KAFKA_CONSUMER_GROUP_PREFIX": group}
        services = options.services
        env = campus_env(database, services.redis_url, services.kafka, extra | options.env)
        processes = running.enter_context(stack(env))
        write, read = deploy(processes, options.workers)
        campus = bootstrap(settings_of(processes.env))
        try:
            tokens = sign_up(campus, options.users)
        finally:
            campus.close()
        wait_for_pipeline(write, read, tokens[0])
        peaks, stop = Peaks(), threading.Event()
        name = database.rsplit("/", 1)[1]
        sampler = threading.Thread(target=sample, args=(services.postgres_url, name, peaks, stop))
        sampler.start()
        try:
            result = drive(write, read, tokens, options.rate, options.seconds)
        finally:
            stop.set()
            sampler.join()
    report(options, peaks, result, processes.errors, console)


def by_role(peaks: Peaks) -> dict[str, list[int]]:
    """Each role's processes' peaks; connections not named by Campus under their own name."""
    roles: dict[str, list[int]] = defaultdict(list)
    for name, n in peaks.by_name.items():
        if name == "bench-sampler":
            continue
        found = NAMED.match(name or "")
        roles[found["role"] if found else f"unnamed ({name or '-'})"].append(n)
    return roles


def report(
    options: LagOptions, peaks: Peaks, result: dict, logged: list[str], console: Console
) -> None:
    roles = by_role(peaks)
    table = Table(title="connections: the production deployment under load", title_justify="left")
    for column in ("role", "processes", "peak per process", "budget per process", "peak"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for role, counts in sorted(roles.items()):
        budget = POOLS[role].total if role in POOLS else "-"  # type: ignore[index]
        each = ", ".join(map(str, sorted(counts)))
        table.add_row(role, str(len(counts)), each, str(budget), str(sum(counts)))
    console.print(table)
    campus_total = peaks.total - (1 if "bench-sampler" in peaks.by_name else 0)
    met = campus_total <= DEPLOYMENT_BUDGET
    failures = result["failures"]
    notes = [
        f"write and read APIs: campus serve --workers {options.workers}; relay; projectors "
        "read-models and analytics; notify; schedule; one process each",
        f"load: {options.rate:,.0f} profile updates/s for {options.seconds:.0f} s, each read back; "
        f"{result['written']:,} written, failures {failures or 0}",
        f"pg_stat_activity sampled every {SAMPLE_SECONDS} s ({peaks.samples} samples); the peak "
        "of the sum is not the sum of the peaks",
        f"peak of all Campus connections together: {campus_total} "
        f"(target ≤ {DEPLOYMENT_BUDGET}: {'met' if met else 'NOT met'})",
        *logged,
    ]
    for note in notes:
        console.print(f"  {note}")
    found = {"bench": "connections", "roles": roles, "total": campus_total, "met": met}
    print(json.dumps(found | {"failures": failures, "lag_ms": result["lag_ms"]}))
