"""The lag benchmark's load generator, in its own process: open-loop profile updates, each
followed by the read of its own write.

Requests are scheduled by the clock (update i at ``start + i / rate``), never waiting on each
other, so a slow pipeline shows up as lag instead of as a lower offered rate. A write's lag
runs from its response to the answer of ``GET /api/auth/user/profile`` sent with its
``X-Consistency-Token``, which the read API holds until the projection has applied it.

    python -m ops.bench.lagclient WRITE_URL READ_URL TOKENS_FILE RATE SECONDS
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field

from ops.bench.http import Pool, ProtocolError
from ops.bench.report import latency_summary

# Beyond the read API's own wait (10 s), an answer that has not come is a failure.
TIMEOUT_SECONDS = 30
PATH = "/api/auth/user/profile"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Schedule:
    start: float  # perf_counter seconds
    rate: float
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def name(self, n: int) -> str:
        """Unique per run and update: an unchanged profile would save nothing."""
        return f"Lag {self.tag} {n}"

    def at(self, n: int) -> float:
        return self.start + n / self.rate


@dataclass
class Outcome:
    late_ms: float
    written_at: float | None = None  # seconds since the schedule's start
    write_ms: float | None = None
    lag_ms: float | None = None
    # "write 409", "write error", "write timeout", "untracked", "read 500", "read error",
    # "stale", "unseen" or "timeout"
    failure: str | None = None
    position: int | None = None  # where this write was saved, from its consistency token
    seen: str | None = None  # the name read back, when another write's


async def update_then_read(pools: tuple[Pool, Pool], n: int, token: str, plan: Schedule) -> Outcome:
    outcome = Outcome(late_ms=(time.perf_counter() - plan.at(n)) * 1000)
    try:
        await asyncio.wait_for(follow(pools, n, token, plan, outcome), TIMEOUT_SECONDS)
    except TimeoutError:
        outcome.failure = "timeout" if outcome.written_at is not None else "write timeout"
        outcome.lag_ms = None
    return outcome


async def follow(
    pools: tuple[Pool, Pool], n: int, token: str, plan: Schedule, outcome: Outcome
) -> None:
    """Write, then read it back; fills in ``outcome`` as it goes (a timeout keeps what is known)."""
    writer, reader = pools
    started = time.perf_counter()
    auth = {"Authorization": f"Bearer {token}"}
    body = json.dumps({"name": plan.name(n)}).encode()
    try:
        written = await writer.request("PUT", PATH, auth | JSON, body)
        answered = time.perf_counter()
        outcome.write_ms, outcome.written_at = (answered - started) * 1000, answered - plan.start
        if written.status != 200:
            outcome.failure = f"write {written.status}"
            return
        if "x-consistency-token" not in written.headers:  # a save that reported nothing
            outcome.failure = "untracked"
            return
        consistency = {"X-Consistency-Token": written.headers["x-consistency-token"]}
        outcome.position = saved_at(consistency["X-Consistency-Token"])
        read = await reader.request("GET", PATH, auth | consistency)
        outcome.lag_ms = (time.perf_counter() - answered) * 1000
    except (OSError, EOFError, ProtocolError, ValueError):
        outcome.failure = "read error" if outcome.written_at is not None else "write error"
        return
    outcome.failure = read_failure(read.status, read.headers)
    if outcome.failure and outcome.failure.startswith("read"):
        outcome.lag_ms = None
    elif not outcome.failure and (name := json.loads(read.body)["data"]["name"]) != plan.name(n):
        outcome.seen = name  # judged once every write's position is known (``resolve_seen``)


def saved_at(token: str) -> int:
    return max(int(part.rpartition(":")[2]) for part in token.split(","))


def read_failure(status: int, headers: dict[str, str]) -> str | None:
    if status != 200:
        return f"read {status}"
    return "stale" if headers.get("x-consistency") == "stale" else None


def resolve_seen(outcomes: list[Outcome], plan: Schedule) -> None:
    """A read that showed another update's name saw its own write only if that update was
    saved after it (a later update of the same user, as under a backlog); otherwise the read
    missed its own write: ``unseen``."""
    saved = {plan.name(n): o.position for n, o in enumerate(outcomes)}
    for outcome in outcomes:
        if outcome.seen is None:
            continue
        later = saved.get(outcome.seen)
        if later is None or outcome.position is None or later <= outcome.position:
            outcome.failure = "unseen"


async def drive(write: str, read: str, tokens: list[str], rate: float, seconds: float) -> dict:
    pools = Pool(write), Pool(read)
    tasks, plan = [], Schedule(time.perf_counter() + 0.05, rate)
    for n in range(int(rate * seconds)):
        if (wait := plan.at(n) - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        token = tokens[n % len(tokens)]
        tasks.append(asyncio.create_task(update_then_read(pools, n, token, plan)))
    outcomes = await asyncio.gather(*tasks)
    resolve_seen(outcomes, plan)
    for pool in pools:
        pool.close()
    return summarize(outcomes)


def failed_write(outcome: Outcome) -> bool:
    return bool(outcome.failure and outcome.failure.startswith("write"))


def summarize(outcomes: list[Outcome]) -> dict:
    failures: dict[str, int] = {}
    for o in outcomes:
        if o.failure:
            failures[o.failure] = failures.get(o.failure, 0) + 1
    written = [o.written_at for o in outcomes if o.written_at is not None and not failed_write(o)]
    return {
        "sent": len(outcomes),
        "written": len(written),
        # From the first scheduled send to the last write's answer: the rate actually achieved.
        "write_seconds": max(written, default=0.0),
        "failures": failures,
        "write_ms": latency_summary([o.write_ms for o in outcomes if o.write_ms is not None]),
        # Stale answers stay in: their lag (the whole wait) is a floor of the real one.
        "lag_ms": latency_summary([o.lag_ms for o in outcomes if o.lag_ms is not None]),
        "late_ms": latency_summary([o.late_ms for o in outcomes]),
    }


def main(argv: list[str]) -> None:
    write, read, tokens_file, rate, seconds = argv
    with open(tokens_file) as handle:
        tokens = handle.read().split()
    print(json.dumps(run(drive(write, read, tokens, float(rate), float(seconds)))))


def run(coroutine: Coroutine[None, None, dict]) -> dict:
    try:
        import uvloop  # a lighter loop leaves more of the machine to the servers
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


if __name__ == "__main__":
    main(sys.argv[1:])
