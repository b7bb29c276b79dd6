"""``campus bench reads``: the profile endpoint beside a bare FastAPI endpoint.

Both servers run at once on this machine with the same uvicorn settings and workers; wrk
loads them in turn, same concurrency and duration. The profile endpoint does what every read
does: middleware, token check, a Redis revocation lookup, the rate limiter's Redis call, and
the read-model query. Its users are registered through the bus and projected in-process
(no relay needed: reads only need the rows to exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from ops.bench import wrk
from ops.bench.database import Services, fresh_database
from ops.bench.report import Row, relative_to, show
from ops.bench.servers import UNLIMITED, campus_env, settings_of, stack
from ops.bench.users import sign_up
from ops.bootstrap import bootstrap

PROFILE = "/api/auth/user/profile"


@dataclass(frozen=True)
class ReadsOptions:
    services: Services
    concurrency: list[int]
    seconds: float
    workers: int = 2


def measure(options: ReadsOptions, read: str, bare: str, tokens: list[str]) -> list[Row]:
    rows: list[Row] = []
    for n in options.concurrency:
        floor = wrk.run(f"{bare}/", "get", n, options.seconds, ["-"]).row("bare FastAPI", n)
        result = wrk.run(f"{read}{PROFILE}", "get", n, options.seconds, tokens)
        group = [floor, result.row(f"GET {PROFILE}", n)]
        relative_to(group, floor)
        rows += group
    return rows


def run(options: ReadsOptions, env: dict[str, str], console: Console) -> None:
    wrk.wrk_path()
    services = options.services
    with (
        fresh_database(services.postgres_url) as database,
        stack(campus_env(database, services.redis_url, services.kafka, env)) as running,
    ):
        read = running.serve("read", options.workers)
        bare = running.bare(options.workers)
        campus = bootstrap(settings_of(running.env))
        try:
            tokens = sign_up(campus, max(options.concurrency))
            campus.follower().catch_up()
        finally:
            campus.close()
        for url, lines in ((f"{bare}/", ["-"]), (f"{read}{PROFILE}", tokens)):
            wrk.run(url, "get", max(options.concurrency), 2, lines)  # warm-up
        rows = measure(options, read, bare, tokens)
    notes = [
        f"both: uvicorn with {options.workers} workers, its access log off, on this machine "
        "(Campus writes its own JSON access line per request, as in production); "
        "wrk -t N -c N, one user (token) per connection",
        f"rate limiter: CAMPUS_RATE_LIMIT_PER_MINUTE={UNLIMITED:,} (never throttles; "
        "each request still makes its Redis call)",
    ]
    notes += [f"--env {k}={v}" for k, v in env.items()] + running.errors
    show(console, "reads", "reads: a read endpoint beside a bare FastAPI endpoint", rows, notes)
