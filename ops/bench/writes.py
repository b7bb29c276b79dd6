"""``campus bench writes``: commands over HTTP beside a bare endpoint, pgbench and save().

Per concurrency N, side by side in one run: the bare FastAPI endpoint (the anchor every share
is taken of, same uvicorn settings and workers), pgbench one-row inserts and the plain
library's ``save()`` from N threads (the database's and the library's ceilings), then profile
updates and enrollment-progress updates from N wrk connections against each variant's write
API (``--compare-group-commit``: one with group commit off, one with it on, each on its own
fresh database), each with the server CPU it cost per request. Then one paced run per variant
and command checks the latency target. ``--register`` adds registrations (argon2-bound).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from rich.console import Console

from ops.bench import pgbench, rawsave, targets, wrk
from ops.bench.cpu import cpu_spent
from ops.bench.database import Services, fresh_database
from ops.bench.learners import learners, one_course
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

# What each command is called in the table, and the wrk script that sends it.
COMMANDS = {"profile update": "profile", "progress update": "progress"}


@dataclass(frozen=True)
class WritesOptions:
    services: Services
    concurrency: list[int]
    seconds: float
    workers: int = 2
    argon2: str = "production"
    env: dict[str, str] = field(default_factory=dict)
    compare_group_commit: bool = False
    register: bool = False

    def variants(self) -> list[tuple[str, dict[str, str]]]:
        if not self.compare_group_commit:
            return [("", self.env)]
        return [
            (f"group commit {flag}", self.env | {"CAMPUS_GROUP_COMMIT": value})
            for flag, value in (("off", "false"), ("on", "true"))
        ]


@dataclass
class Target:
    """One variant's running write API, and a Campus on its database to set up callers."""

    label: str
    url: str
    env: dict[str, str]
    servers: Stack
    campus: Campus
    course: tuple

    def named(self, what: str) -> str:
        return f"{what} ({self.label})" if self.label else what

    def lines(self, script: str, count: int) -> list[str]:
        """One wrk line per connection, each a caller with no history yet."""
        if script == "progress":
            return learners(self.campus, count, self.course)
        return sign_up(self.campus, count)

    def load(self, command: str, clients: int, seconds: float, rate: float = 0) -> Row:
        script = COMMANDS[command]
        lines = self.lines(script, clients)
        session = self.servers.sessions[self.url]
        name = self.named(command)
        return loaded(self.url, session, script, clients, seconds, lines, name, rate)


def loaded(
    url: str,
    session: int,
    script: str,
    clients: int,
    seconds: float,
    lines: list[str],
    name: str,
    rate: float = 0,
) -> Row:
    """One wrk run against ``url``, with the CPU its server spent per request."""
    result, cpu = cpu_spent(session, lambda: wrk.run(url, script, clients, seconds, lines, rate))
    row = result.row(name, clients)
    row.cpu_ms = 1000 * cpu / row.count if row.count else None
    return row


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
                target = Target(label, url, running.env, running, campus, one_course(campus))
                # Warm the workers' pools and caches; a process's first requests are slower.
                for command in COMMANDS:
                    target.load(command, max(options.concurrency), 2)
                yield target
            finally:
                campus.close()


def bare_row(bare: tuple[str, int], clients: int, seconds: float) -> Row:
    url, session = bare
    return loaded(f"{url}/", session, "get", clients, seconds, ["-"], "bare FastAPI (anchor)")


def measure(
    options: WritesOptions, anchors_db: str, bare: tuple[str, int], apis: list[Target]
) -> list[Row]:
    rows: list[Row] = []
    for n in options.concurrency:
        floor = bare_row(bare, n, options.seconds)
        group = [floor, pgbench.ceiling(anchors_db, n, options.seconds)]
        group.append(rawsave.save_rate(anchors_db, n, options.seconds))
        group += [t.load(command, n, options.seconds) for command in COMMANDS for t in apis]
        if options.register:
            for t in apis:
                # A tag per run: e-mails taken by an earlier run would answer 409.
                result = wrk.run(t.url, "register", n, options.seconds, [uuid.uuid4().hex[:12]])
                group.append(result.row(t.named("register"), n))
        relative_to(group, floor)
        rows += group
    return rows


def paced(
    options: WritesOptions, target: Target, command: str, rows: list[Row]
) -> tuple[Row, dict]:
    """``command`` at 80 % of the target rate (or of the peak, when the peak is lower)."""
    best = targets.peak([r for r in rows if r.name == target.named(command)])
    bare = next(r for r in rows if r.name.startswith("bare") and r.clients == best.clients)
    rate = targets.paced_rate(best, bare)
    row = target.load(command, best.clients, options.seconds, rate)
    row.name = target.named(f"{command} paced at {rate:,.0f}/s")
    relative_to([row], bare)
    label = target.named(command)
    return row, targets.judge(label, best, row, bare)


def notes(options: WritesOptions, env: dict[str, str], verdicts: list[dict]) -> list[str]:
    lines = [
        f"write API and bare endpoint: uvicorn with {options.workers} workers each; "
        "wrk -t N -c N, one new user (profile) or learner in one enrollment (progress) per "
        "connection; 'of anchor' is the share of the bare endpoint's rate measured just before",
        "errors: non-2xx answers and socket errors",
        "server CPU ms: user + system CPU of the server's processes per request, from /proc "
        "(less disturbed by other work on the machine than a rate is)",
        f"rate limiter: CAMPUS_RATE_LIMIT_PER_MINUTE={UNLIMITED:,} so it never throttles "
        "(each request still makes its Redis call)",
    ]
    if options.register:
        lines.append(f"register hashes its password: {argon2_note(env)} ({options.argon2})")
    lines += [f"--env {k}={v}" for k, v in options.env.items()]
    return lines + [targets.note(v) for v in verdicts]


def run(options: WritesOptions, console: Console) -> list[dict]:
    """Run the benchmark, show its table; answer the verdicts (for ``bench all``)."""
    wrk.wrk_path()  # missing tools fail before anything starts
    pgbench.pgbench_path()
    with ExitStack() as running:
        services = options.services
        anchors_db = running.enter_context(fresh_database(services.postgres_url))
        anchors = running.enter_context(
            stack(campus_env(anchors_db, services.redis_url, services.kafka, {}))
        )
        bare_url = anchors.bare(options.workers)
        bare = (bare_url, anchors.sessions[bare_url])
        apis = [running.enter_context(write_api(options, *v)) for v in options.variants()]
        wrk.run(f"{bare_url}/", "get", max(options.concurrency), 2, ["-"])
        console.print(f"measuring {len(options.concurrency)} concurrency levels ...")
        rows = measure(options, anchors_db, bare, apis)
        done = [paced(options, api, c, rows) for api in apis for c in COMMANDS]
        rows += [row for row, _ in done]
        verdicts = [v for _, v in done]
    logged = [f"{api.label or 'server'}: {e}" for api in apis for e in api.servers.errors]
    show(
        console,
        "writes",
        "writes: commands over HTTP beside a bare endpoint and their ceilings",
        rows,
        notes(options, apis[0].env, verdicts) + logged,
        targets=verdicts,
        argon2=argon2_note(apis[0].env),
        workers=options.workers,
    )
    return verdicts
