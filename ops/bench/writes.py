"""``campus bench writes``: commands over HTTP beside pgbench's ceiling and the library's save().

Per concurrency N, side by side: pgbench one-row inserts, the plain library's ``save()`` from
N threads, then profile updates and registrations from N wrk connections against each
variant's write API (``--compare-group-commit``: one with group commit off, one with it on,
each on its own fresh database). Then one paced run per variant checks the latency target.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from rich.console import Console

from ops.bench import pgbench, rawsave, targets, wrk
from ops.bench.database import Services, fresh_database
from ops.bench.report import Row, relative_to, show
from ops.bench.servers import (
    UNLIMITED,
    Stack,
    argon2_env,
    argon2_note,
    campus_env,
    settings_of,
    stack,
)
from ops.bench.users import sign_up
from ops.bootstrap import Campus, bootstrap


@dataclass(frozen=True)
class WritesOptions:
    services: Services
    concurrency: list[int]
    seconds: float
    workers: int = 2
    argon2: str = "production"
    env: dict[str, str] = field(default_factory=dict)
    compare_group_commit: bool = False

    def variants(self) -> list[tuple[str, dict[str, str]]]:
        if not self.compare_group_commit:
            return [("", self.env)]
        return [
            (f"group commit {flag}", self.env | {"CAMPUS_GROUP_COMMIT": value})
            for flag, value in (("off", "false"), ("on", "true"))
        ]


@dataclass
class Target:
    """One variant's running write API, and a Campus on its database to sign users up."""

    label: str
    url: str
    env: dict[str, str]
    servers: Stack
    campus: Campus

    def named(self, what: str) -> str:
        return f"{what} ({self.label})" if self.label else what

    def users(self, count: int) -> list[str]:
        """Tokens of new users: each run starts from aggregates without history, so a figure
        does not depend on how many updates earlier runs piled onto the same users."""
        return sign_up(self.campus, count)


@contextmanager
def write_api(options: WritesOptions, label: str, extra: dict[str, str]) -> Iterator[Target]:
    with fresh_database(options.services.postgres_url) as database:
        env = campus_env(
            database,
            options.services.redis_url,
            options.services.kafka,
            argon2_env(options.argon2) | extra,
        )
        with stack(env) as running:
            url = running.serve("write", options.workers)
            campus = bootstrap(settings_of(running.env))
            try:
                target = Target(label, url, running.env, running, campus)
                # Warm the workers' pools and caches; a process's first requests are slower.
                most = max(options.concurrency)
                wrk.run(url, "profile", most, 2, target.users(most))
                yield target
            finally:
                campus.close()


def measure(options: WritesOptions, anchors_db: str, apis: list[Target]) -> list[Row]:
    rows: list[Row] = []
    for n in options.concurrency:
        ceiling = pgbench.ceiling(anchors_db, n, options.seconds)
        group = [ceiling, rawsave.save_rate(anchors_db, n, options.seconds)]
        for t in apis:
            result = wrk.run(t.url, "profile", n, options.seconds, t.users(n))
            group.append(result.row(t.named("profile update"), n))
        for t in apis:
            # A tag per run: e-mails taken by an earlier run would answer 409.
            result = wrk.run(t.url, "register", n, options.seconds, [uuid.uuid4().hex[:12]])
            group.append(result.row(t.named("register"), n))
        relative_to(group, ceiling)
        rows += group
    return rows


def paced(options: WritesOptions, target: Target, rows: list[Row]) -> tuple[Row, dict]:
    """Profile updates at 80 % of the target rate (or of the peak, when the peak is lower)."""
    best = targets.peak([r for r in rows if r.name == target.named("profile update")])
    rate, tokens = targets.paced_rate(best), target.users(best.clients)
    result = wrk.run(target.url, "profile", best.clients, options.seconds, tokens, rate)
    row = result.row(target.named(f"profile update paced at {rate:,.0f}/s"), best.clients)
    return row, targets.judge(target.label or "as configured", best, row)


def notes(options: WritesOptions, env: dict[str, str], verdicts: list[dict]) -> list[str]:
    lines = [
        f"write API: campus serve --role write --workers {options.workers}; wrk -t N -c N, "
        "one new user per connection; errors: non-2xx answers and socket errors",
        f"rate limiter: CAMPUS_RATE_LIMIT_PER_MINUTE={UNLIMITED:,} so it never throttles "
        "(each request still makes its Redis call)",
        f"register hashes its password: {argon2_note(env)} ({options.argon2})",
    ]
    lines += [f"--env {k}={v}" for k, v in options.env.items()]
    return lines + [targets.note(v) for v in verdicts]


def run(options: WritesOptions, console: Console) -> None:
    wrk.wrk_path()  # missing tools fail before anything starts
    pgbench.pgbench_path()
    with ExitStack() as running:
        anchors_db = running.enter_context(fresh_database(options.services.postgres_url))
        apis = [running.enter_context(write_api(options, *v)) for v in options.variants()]
        console.print(f"measuring {len(options.concurrency)} concurrency levels ...")
        rows = measure(options, anchors_db, apis)
        paced_rows, verdicts = zip(*(paced(options, api, rows) for api in apis), strict=True)
        rows += paced_rows
    logged = [f"{api.label or 'server'}: {e}" for api in apis for e in api.servers.errors]
    show(
        console,
        "writes",
        "writes: commands over HTTP beside their anchors",
        rows,
        notes(options, apis[0].env, list(verdicts)) + logged,
        targets=list(verdicts),
        argon2=argon2_note(apis[0].env),
        workers=options.workers,
    )
