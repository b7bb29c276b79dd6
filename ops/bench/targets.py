"""The write targets of the issue, and how a ``writes`` run is judged against them.

A command (profile update, progress update) at ≥ 30 % of the bare endpoint's rate measured in
the same run, with 8-32 clients, and p99 < 50 ms at 80 % of that load. The latency half is
checked by a paced run at 80 % of the target rate; when the measured peak is below the target,
the run is paced at 80 % of the peak instead, and the latency target is not measurable (the
system cannot carry the load it is stated at).
"""

from __future__ import annotations

from collections.abc import Sequence

from ops.bench.report import Row, verdict

TARGET_SHARE, TARGET_P99_MS, TARGET_LOAD = 0.30, 50.0, 0.8
TARGET_CLIENTS = range(8, 33)


def peak(rows: Sequence[Row]) -> Row:
    """The fastest of ``rows``, preferring those run with 8-32 clients."""
    candidates = [r for r in rows if r.clients in TARGET_CLIENTS] or list(rows)
    return max(candidates, key=lambda r: r.rate)


def target_rate(bare: Row) -> float:
    return TARGET_SHARE * bare.rate


def paced_rate(best: Row, bare: Row) -> float:
    return TARGET_LOAD * min(target_rate(bare), best.rate)


def judge(variant: str, best: Row, paced: Row, bare: Row) -> dict:
    reached = best.rate >= target_rate(bare)
    return {
        "variant": variant,
        "peak_rate": round(best.rate),
        "peak_clients": best.clients,
        "target_rate": round(target_rate(bare)),
        "throughput_met": reached,
        "paced_rate": round(paced_rate(best, bare)),
        "paced_p99_ms": paced.p99_ms,
        "p99_met": paced.p99_ms < TARGET_P99_MS if reached else None,
    }


def note(judged: dict) -> str:
    return (
        f"target [{judged['variant']}]: ≥ {TARGET_SHARE:.0%} of bare "
        f"(≥ {judged['target_rate']:,}/s here) with 8-32 clients: "
        f"{verdict(judged['throughput_met'])} (peak {judged['peak_rate']:,}/s at "
        f"{judged['peak_clients']} clients); p99 < {TARGET_P99_MS:.0f} ms at "
        f"{TARGET_LOAD:.0%} load: {verdict(judged['p99_met'])} "
        f"(p99 {judged['paced_p99_ms']:.1f} ms at {judged['paced_rate']:,}/s)"
    )
