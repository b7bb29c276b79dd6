"""``campus bench embedded`` end to end at a tiny size, with no service at all. Figures are not
checked (they never come from tests); the run and its JSON line are, and each write it times
was read back by its writer (the bench stops at the first read that misses its write)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ops.bench.cli import bench_cli


def test_the_embedded_bench_starts_writes_and_idles_and_prints_its_json_line():
    result = CliRunner().invoke(bench_cli, ["embedded", "--starts", "2", "--writes", "5"])
    assert result.exit_code == 0, result.output
    # The JSON line, found as a script finds it: log lines of the Campuses may come after it.
    line = next(line for line in result.output.splitlines() if line.startswith('{"bench"'))
    found = json.loads(line)
    assert found["bench"] == "embedded"
    starts, writes, turns = found["rows"]
    assert (starts["count"], writes["count"], turns["count"]) == (2, 5, 5)
    assert all(row["cpu_ms"] > 0 for row in found["rows"])
