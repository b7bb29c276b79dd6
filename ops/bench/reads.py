"""``campus bench reads``: the read endpoints beside a bare FastAPI endpoint.

Both servers run at once on this machine with the same uvicorn settings and workers; wrk
loads them in turn, same concurrency and duration, the bare endpoint measured again right
before each read endpoint so that every ratio is taken side by side. Each read does what every
read does: middleware, token check, the revocation lookup, the rate limiter, the caller's
session positions, and the read-model query. Every connection is a user of its own, signed in;
its users, a catalog of published courses and their enrollments are made through the bus and
projected in-process (no relay needed: reads only need the rows to exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from rich.console import Console

from ops.bench import wrk
from ops.bench.courses import author_courses, enroll_everyone
from ops.bench.cpu import cpu_spent
from ops.bench.database import Services, fresh_database
from ops.bench.report import Row, relative_to, show
from ops.bench.servers import UNLIMITED, Stack, campus_env, settings_of, stack
from ops.bench.users import sign_up_users
from ops.bootstrap import Campus, bootstrap

COURSES = 30


def paths(course: UUID) -> dict[str, str]:
    """What each benchmarked endpoint is asked, by its short name."""
    return {
        "profile": "/api/auth/user/profile",
        "catalog": "/api/courses/catalog/list?page=1&pageSize=20",
        "structure": f"/api/courses/{course}/structure",
        "dashboard": "/api/user/dashboard",
    }


ENDPOINTS = tuple(paths(UUID(int=0)))


@dataclass(frozen=True)
class ReadsOptions:
    services: Services
    concurrency: list[int]
    seconds: float
    workers: int = 2
    endpoints: tuple[str, ...] = ENDPOINTS


def load(url: str, session: int, clients: int, seconds: float, lines: list[str], name: str) -> Row:
    """One wrk run against ``url``, with the CPU its server spent per request."""
    result, cpu = cpu_spent(session, lambda: wrk.run(url, "get", clients, seconds, lines))
    row = result.row(name, clients)
    row.cpu_ms = 1000 * cpu / row.count if row.count else None
    return row


def measure(
    options: ReadsOptions,
    running: Stack,
    servers: tuple[str, str],
    asked: dict[str, str],
    tokens: list[str],
) -> list[Row]:
    """Per client count and endpoint: the bare endpoint, then the read, side by side."""
    (read, bare), seconds, rows = servers, options.seconds, []
    for n, name in ((n, name) for n in options.concurrency for name in options.endpoints):
        floor = load(f"{bare}/", running.sessions[bare], n, seconds, ["-"], "bare FastAPI")
        shown = "GET " + asked[name].split("?")[0].replace(course_of(asked), "{id}")
        row = load(f"{read}{asked[name]}", running.sessions[read], n, seconds, tokens, shown)
        relative_to([floor, row], floor)
        rows += [floor, row]
    return rows


def course_of(asked: dict[str, str]) -> str:
    return asked["structure"].split("/")[3]


def set_up(campus: Campus, users: int) -> tuple[list[str], UUID]:
    """Users with tokens, enrolled in published courses; answer the tokens and one course."""
    signed_up = sign_up_users(campus, users)
    courses = author_courses(campus, COURSES)
    enroll_everyone(campus, [user for user, _ in signed_up], courses)
    campus.follower().catch_up()
    return [token for _, token in signed_up], courses[0]


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
            tokens, course = set_up(campus, max(options.concurrency))
        finally:
            campus.close()
        asked = paths(course)
        warm = [(f"{bare}/", ["-"])] + [(f"{read}{asked[e]}", tokens) for e in options.endpoints]
        for url, lines in warm:
            wrk.run(url, "get", max(options.concurrency), 2, lines)
        rows = measure(options, running, (read, bare), asked, tokens)
    notes = [
        f"both: uvicorn with {options.workers} workers, its access log off, on this machine "
        "(Campus writes its own JSON access line per request, as in production); "
        "wrk -t N -c N, one user (token) per connection; the bare endpoint is measured again "
        "before each read endpoint",
        f"rate limiter: CAMPUS_RATE_LIMIT_PER_MINUTE={UNLIMITED:,} (never throttles; "
        "each request still makes its Redis call)",
        f"{COURSES} published courses of 4 modules of 5 lessons; each user enrolled in 3; "
        "the catalog's first page of 20 (its query cache on, as in production)",
        "server CPU ms: user + system CPU of the server's processes per request, read from "
        "/proc (less disturbed by other work on the machine than a rate is)",
    ]
    notes += [f"--env {k}={v}" for k, v in env.items()] + running.errors
    show(console, "reads", "reads: read endpoints beside a bare FastAPI endpoint", rows, notes)
