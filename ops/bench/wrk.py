"""wrk, the load generator: a separate C process on loopback, bounded by ``-d``.

It runs one thread per connection so that a Lua thread state is a connection's state (its own
token); the scripts in ``ops/bench/wrk/`` end by printing one ``WRK_JSON`` line, parsed here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ops.bench.report import Row

SCRIPTS = Path(__file__).resolve().parent / "wrk"
MARKER = "WRK_JSON "
INSTALL_HINT = "wrk is not installed: apt-get install wrk"


class WrkError(RuntimeError):
    """wrk is missing, failed, or printed no result."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    # What the errors were: HTTP status (as text) or "socket", and how many of each.
    kinds: dict[str, int]

    def row(self, name: str, clients: int) -> Row:
        row = Row(name, clients, self.requests, self.seconds, self.p50_ms, self.p99_ms)
        row.errors, row.extra = self.errors, {"errors_by_kind": self.kinds}
        return row


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkError(INSTALL_HINT)
    return path


def parse(output: str) -> WrkResult:
    """The result from wrk's output: the script's JSON line (non-2xx and socket errors count)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            found = json.loads(line[len(MARKER) :])
            kinds = found["statuses"] | ({"socket": n} if (n := found["socket_errors"]) else {})
            return WrkResult(
                requests=found["requests"],
                seconds=found["duration_us"] / 1e6,
                p50_ms=found["p50_us"] / 1000,
                p99_ms=found["p99_us"] / 1000,
                max_ms=found["max_us"] / 1000,
                errors=found["non2xx"] + found["socket_errors"],
                kinds=kinds,
            )
    raise WrkError(f"wrk printed no result:\n{output[-2000:]}")


def command(
    url: str, script: str, clients: int, seconds: float, lines_file: Path, rate: float = 0
) -> list[str]:
    # --timeout well above any latency we expect: a slow answer is a latency, not an error.
    return [
        wrk_path(),
        f"-t{clients}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        str(SCRIPTS / f"{script}.lua"),
        url,
        "--",
        str(lines_file),
        f"{rate / clients:.6f}",
    ]


def run(
    url: str, script: str, clients: int, seconds: float, lines: Sequence[str], rate: float = 0
) -> WrkResult:
    """Load ``url`` with ``script``: connection i gets ``lines[i % len(lines)]``; ``rate``
    (requests/s, all connections together) paces the run, 0 runs flat out."""
    with tempfile.NamedTemporaryFile("w", suffix=".lines") as handle:
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        env = os.environ | {"LUA_PATH": f"{SCRIPTS}/?.lua;;"}
        done = subprocess.run(
            command(url, script, clients, seconds, Path(handle.name), rate),
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds + 120,
        )
    if done.returncode != 0:
        raise WrkError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
