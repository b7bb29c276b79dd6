"""The library's own rate: the plain eventsourcing ``Application.save()`` of a trivial aggregate,
from N threads, on PostgreSQL with the library's defaults. Only the connection settings come
from Campus; the save path is the plain library."""

from __future__ import annotations

import threading
import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from infra.eventstore.environment import postgres_connection_env
from ops.bench.report import Row, percentile


class Tally(Aggregate):
    """An aggregate with nothing in it: one small Created event per save."""


class Throwaway(Application):
    """An application used only to be measured; its table lives in the benchmark's database."""

    name = "BenchThrowaway"


def save_until(app: Application, deadline: float, latencies: list[float]) -> None:
    while (started := time.perf_counter()) < deadline:
        app.save(Tally())
        latencies.append((time.perf_counter() - started) * 1000)


def save_rate(database_url: str, threads: int, seconds: float) -> Row:
    app = Throwaway(env=postgres_connection_env(database_url, threads))
    try:
        app.save(Tally())  # connect and prepare before the clock starts
        per_thread: list[list[float]] = [[] for _ in range(threads)]
        started = time.perf_counter()
        workers = [
            threading.Thread(target=save_until, args=(app, started + seconds, mine))
            for mine in per_thread
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
    finally:
        app.close()
    latencies = [ms for mine in per_thread for ms in mine]
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return Row(
        "eventsourcing save() (library)", threads, len(latencies), elapsed, p50, p99, 0, "save"
    )
