"""``campus bench all``: every benchmark with short settings, then one summary table.

Each benchmark runs as its own ``campus bench`` process (a failure or a hang of one does not
stop the others), its output shown as it comes; the summary is taken from the JSON line each
prints last, and written into ``docs/performance.md`` between two markers, so that a rerun
replaces the table it wrote before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ops.bench.servers import ROOT
from ops.bench.summary import SUMMARIES, Line, ryw

# Short settings: all of them together stay under ten minutes on a two-core machine.
SHORT: dict[str, list[str]] = {
    "writes": ["--concurrency", "16", "--duration", "5"],
    "reads": ["--concurrency", "8", "--duration", "5"],
    "lag": ["--rate", "500", "--duration", "10", "--users", "500"],
    "connections": ["--rate", "100", "--duration", "10"],
    "rebuild": ["--events", "200000"],
    "analytics": ["--events", "1000000", "--repeat", "3"],
    "checkouts": ["--concurrency", "8", "--duration", "3"],
    "notifications": ["--workers", "8", "--messages", "500"],
    "ryw": ["--tries", "50"],
}
TIMEOUT_SECONDS = 240
DOCUMENT = ROOT / "docs" / "performance.md"
START, END = "<!-- bench all: start -->", "<!-- bench all: end -->"
HEADING = "## Figures\n"


def run_one(name: str, console: Console) -> list[Line]:
    command = [sys.executable, "-m", "ops.cli", "bench", name, *SHORT[name]]
    console.print(f"[bold]$ campus bench {name} {' '.join(SHORT[name])}[/bold]")
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        console.print(f"[red]{name}: no answer within {TIMEOUT_SECONDS} s[/red]")
        return [failed(name, f"timed out after {TIMEOUT_SECONDS} s")]
    console.print(done.stdout, markup=False, highlight=False, end="")
    if done.returncode != 0:
        console.print(done.stderr[-2000:], markup=False, highlight=False)
        return [failed(name, f"exited {done.returncode}")]
    if name == "ryw":
        return ryw(done.stdout)
    return SUMMARIES[name](last_json(done.stdout))


def last_json(output: str) -> dict:
    lines = [line for line in output.splitlines() if line.startswith('{"bench"')]
    return json.loads(lines[-1]) if lines else {"rows": []}


def failed(name: str, why: str) -> Line:
    return Line(name, why, "-", "-", "-", False)


def machine() -> str:
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs, load {load:.1f}"


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "?"


def met(value: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "-"}[value]


def markdown(rows: list[tuple[Line, str]], when: str, at: str) -> str:
    head = "| benchmark | Campus | anchor | ratio | target | met | machine | date | commit |"
    lines = [head, "|" + "---|" * 9]
    for line, load in rows:
        cells = (line.benchmark, line.campus, line.anchor, line.ratio, line.target)
        lines.append("| " + " | ".join((*cells, met(line.met), load, when, at)) + " |")
    intro = (
        "Written by `campus bench all` (short settings; each benchmark's own table and notes "
        "are in its output). Rates are per second; CPU is the server's CPU per request; the "
        "machine column gives the load average when the benchmark ended."
    )
    return "\n".join([START, "", textwrap.fill(intro, 100), "", *lines, "", END])


def write_summary(text: str, document: Path = DOCUMENT) -> None:
    """Replace the table between the markers, or put it first under the figures' heading."""
    body = document.read_text()
    if START in body and END in body:
        before, rest = body.split(START, 1)
        body = before + text + rest.split(END, 1)[1]
    else:
        body = body.replace(HEADING, HEADING + "\n" + text + "\n", 1)
    document.write_text(body)


def show(rows: list[tuple[Line, str]], console: Console) -> None:
    table = Table(title="bench all: summary", title_justify="left")
    for column in ("benchmark", "Campus", "anchor", "ratio", "target", "met", "machine"):
        table.add_column(column)
    for line, load in rows:
        cells = (line.benchmark, line.campus, line.anchor, line.ratio, line.target)
        table.add_row(*cells, met(line.met).strip("*"), load)
    console.print(table)


def run(console: Console, names: list[str] | None = None) -> None:
    rows: list[tuple[Line, str]] = []
    for name in names or list(SHORT):
        rows += [(line, machine()) for line in run_one(name, console)]
    when, at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), commit()
    show(rows, console)
    if names:  # a partial run must not replace the whole table with its few lines
        return
    write_summary(markdown(rows, when, at))
    console.print(f"summary written to {DOCUMENT.relative_to(ROOT)} (commit {at}, {when})")
