"""One summary line per target, read from the JSON line each benchmark prints last.

Each benchmark keeps its own table; this only picks, per benchmark, the figure its target is
about, the anchor measured beside it, and whether the target was met.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    benchmark: str
    campus: str
    anchor: str
    ratio: str
    target: str
    met: bool | None


def rate(row: dict) -> str:
    cpu = f", {row['cpu_ms']:.2f} ms CPU" if row.get("cpu_ms") else ""
    p99 = f", p99 {row['p99_ms']:,.0f} ms" if row.get("p99_ms") is not None else ""
    return f"{row['rate']:,.0f}/s{p99}{cpu}"


def share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def named(rows: list[dict], prefix: str) -> list[dict]:
    return [r for r in rows if r["name"].startswith(prefix)]


def writes(found: dict) -> list[Line]:
    rows, lines = found["rows"], []
    bare = named(rows, "bare")
    for verdict in found.get("targets", []):
        command = verdict["variant"]
        clients = verdict["peak_clients"]
        best = next(r for r in rows if r["name"] == command and r["clients"] == clients)
        floor = next(r for r in bare if r["clients"] == best["clients"])
        lines.append(
            Line(
                f"writes: {command} ({best['clients']} clients)",
                rate(best),
                "bare " + rate(floor),
                share(best["rate"], floor["rate"]),
                "≥ 30 % of bare; p99 < 50 ms at 80 % of that",
                verdict["throughput_met"] and bool(verdict["p99_met"]),
            )
        )
    return lines


def reads(found: dict) -> list[Line]:
    rows, lines = found["rows"], []
    for floor, row in zip(rows[::2], rows[1::2], strict=False):
        met = row["rate"] >= 0.45 * floor["rate"] and (row["p99_ms"] or 1e9) < 20
        lines.append(
            Line(
                f"reads: {row['name']} ({row['clients']} clients)",
                rate(row),
                "bare " + rate(floor),
                share(row["rate"], floor["rate"]),
                "≥ 45 % of bare, p99 < 20 ms",
                met,
            )
        )
    return lines


def lag(found: dict) -> list[Line]:
    write = found["rows"][0]
    failures = dict(found.get("failures", {}))
    refused = failures.pop("write 429", 0)  # a busy worker's answer, not a lost write
    failed = sum(failures.values())
    outcome = f"{failed:,} failed" + (f", {refused:,} writes refused (429)" if refused else "")
    return [
        Line(
            f"lag: {write['name']}",
            f"commit → visible p99 {found['lag_ms']['p99'] or 0:,.0f} ms, {outcome}",
            f"write p99 {write['p99_ms'] or 0:,.0f} ms, achieved {write['rate']:,.0f}/s",
            "-",
            "p99 < 250 ms at 500/s, 0 failed",
            found.get("met"),
        )
    ]


def connections(found: dict) -> list[Line]:
    failed = sum((found.get("failures") or {}).values())
    return [
        Line(
            "connections: production deployment under load",
            f"{found['total']} PostgreSQL connections at peak, {failed:,} failed requests",
            "budget 60",
            f"{found['total'] / 60:.0%}",
            "≤ 60 in all",
            found.get("met"),
        )
    ]


def rebuild(found: dict) -> list[Line]:
    rebuilt, anchor = found["rows"][1], found["rows"][2]
    served = found["rows"][3] if len(found["rows"]) > 3 else None
    reads = (
        f"; {served['count']:,} reads during a rebuild, {served['errors']} failed" if served else ""
    )
    return [
        Line(
            "rebuild: events replayed into read models",
            f"{rebuilt['rate']:,.0f} events/s{reads}",
            f"COPY {anchor['rate']:,.0f} rows/s",
            share(rebuilt["rate"], anchor["rate"]),
            "≥ 20,000 events/s",
            found.get("target_met"),
        )
    ]


def analytics(found: dict) -> list[Line]:
    rows, lines = found["rows"], []
    for chdb, postgres in zip(rows[::2], rows[1::2], strict=False):
        faster = postgres["p50_ms"] / chdb["p50_ms"] if chdb["p50_ms"] else 0
        lines.append(
            Line(
                f"analytics: {chdb['name'].split('(')[-1].rstrip(')')}",
                f"chDB {chdb['p50_ms']:,.1f} ms",
                f"PostgreSQL {postgres['p50_ms']:,.1f} ms",
                f"{faster:.1f}x faster",
                "≥ 10x faster on chDB, answers equal",
                faster >= 10 and bool(found.get("answers_agree")),
            )
        )
    return lines


def checkouts(found: dict) -> list[Line]:
    rows = found["rows"]
    lines = []
    for hot in named(rows, "card checkout, one hot coupon"):
        anchor = next(r for r in rows if r["clients"] == hot["clients"] and "save" in r["name"])
        lines.append(
            Line(
                f"checkouts: one hot coupon ({hot['clients']} threads)",
                f"{rate(hot)}, {hot['errors'] or 0} errors",
                "save() " + rate(anchor),
                share(hot["rate"], anchor["rate"]),
                "correct, rate reported",
                not hot["errors"],
            )
        )
    return lines


def notifications(found: dict) -> list[Line]:
    rows = found["rows"]
    return [
        Line(
            f"notifications: sender ({sender['clients']} workers)",
            f"{sender['rate']:,.0f} msg/s",
            f"smtplib {anchor['rate']:,.0f} msg/s",
            share(sender["rate"], anchor["rate"]),
            "-",
            None,
        )
        for anchor, sender in zip(rows[::2], rows[1::2], strict=False)
    ]


def ryw(text: str) -> list[Line]:
    """``bench ryw`` prints one sentence, no JSON line: its counts are read from it."""
    found = re.search(r"hits (\d+), stale (\d+), misses (\d+)", text)
    if not found:
        return []
    hits, stale, misses = map(int, found.groups())
    return [
        Line(
            "ryw: create → read, no header",
            f"{hits} hits, {stale} stale, {misses} misses",
            "-",
            "-",
            "every read sees its own write",
            stale == misses == 0,
        )
    ]


SUMMARIES: dict[str, Callable[[dict], list[Line]]] = {
    "writes": writes,
    "reads": reads,
    "lag": lag,
    "connections": connections,
    "rebuild": rebuild,
    "analytics": analytics,
    "checkouts": checkouts,
    "notifications": notifications,
}
