"""What a benchmark measured, and how it is shown: a Rich table and one JSON line.

Rows hold raw counts and latencies; rates and shares are computed from them here, once, so
the table and the JSON line can never disagree.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from rich.console import Console
from rich.table import Table


@dataclass
class Row:
    """One measured line: ``count`` operations in ``seconds`` by ``clients`` concurrent clients."""

    name: str
    clients: int
    count: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int | None = None  # None: nothing that could fail was counted
    unit: str = "req"
    # This row's rate as a share of its anchor's (pgbench, the bare endpoint).
    of_anchor: float | None = None
    cpu_ms: float | None = None  # CPU the server under test spent per operation
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict:
        return asdict(self) | {"rate": self.rate}


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: a value that was observed, never an interpolation."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary(values_ms: Sequence[float]) -> dict[str, float]:
    if not values_ms:
        return {"p50": math.nan, "p99": math.nan, "max": math.nan}
    return {
        "p50": percentile(values_ms, 50),
        "p99": percentile(values_ms, 99),
        "max": max(values_ms),
    }


def ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def cells(row: Row) -> dict[str, str]:
    return {
        "clients": str(row.clients) if row.clients else "-",
        "done": f"{row.count:,} {row.unit}",
        "seconds": f"{row.seconds:.1f}",
        "per second": f"{row.rate:,.0f}",
        "p50 ms": ms(row.p50_ms),
        "p99 ms": ms(row.p99_ms),
        "server CPU ms": f"{row.cpu_ms:.2f}" if row.cpu_ms is not None else "-",
        "errors": errors(row),
        "of anchor": share(row.of_anchor),
    }


def share(fraction: float | None) -> str:
    if fraction is None:
        return "-"
    return f"{fraction:.0%}" if fraction >= 0.1 else f"{fraction:.1%}"


def errors(row: Row) -> str:
    """The count, and what they were when known: ``12 (409: 10, socket: 2)``."""
    if row.errors is None:
        return "-"
    if not row.errors:
        return "0"
    kinds = row.extra.get("errors_by_kind") or {}
    detail = ", ".join(f"{kind}: {n:,}" for kind, n in sorted(kinds.items()))  # type: ignore[union-attr]
    return f"[red]{row.errors:,}[/red]" + (f" ({detail})" if detail else "")


def render(title: str, rows: Sequence[Row]) -> Table:
    """A table of ``rows``; a column no row has a value in is left out."""
    table = Table(title=title, title_justify="left")
    table.add_column("what", no_wrap=True)
    lines = [cells(row) for row in rows]
    shown = [c for c in lines[0] if any(line[c] != "-" for line in lines)] if lines else []
    for column in shown:
        table.add_column(column, justify="right")
    for row, line in zip(rows, lines, strict=True):
        table.add_row(row.name, *(line[c] for c in shown))
    return table


def relative_to(rows: Sequence[Row], anchor: Row) -> None:
    """Mark each row's rate as a share of ``anchor``'s."""
    for row in rows:
        row.of_anchor = row.rate / anchor.rate if anchor.rate else None


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not measurable"}[met]


def finite(value: object) -> object:
    """JSON has no NaN: a figure that could not be measured is null."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def json_line(bench: str, rows: Sequence[Row], **extra: object) -> str:
    found = {"bench": bench, "rows": [r.as_json() for r in rows], **extra}
    return json.dumps(finite(found), default=str)


def show(
    console: Console,
    bench: str,
    title: str,
    rows: Sequence[Row],
    notes: Sequence[str],
    **extra: object,
) -> None:
    """Print the table, its notes, and last the JSON line (on stdout, unwrapped, for scripts)."""
    console.print(render(title, rows))
    for note in notes:
        console.print(f"  {note}", highlight=False, markup=False)
    print(json_line(bench, rows, notes=list(notes), **extra), flush=True)
