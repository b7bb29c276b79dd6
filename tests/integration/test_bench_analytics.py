"""``campus bench analytics`` end to end at a tiny size: chDB in this process, PostgreSQL from
ops/services/up.sh. Figures are not checked (they never come from tests); the run, its JSON
line and the agreement of the two backends' answers are."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ops.bench.cli import bench_cli
from tests import services


def test_the_analytics_bench_asks_both_backends_and_prints_its_json_line():
    arguments = ["analytics", "--events", "10000", "--courses", "25", "--repeat", "2"]
    result = CliRunner().invoke(bench_cli, [*arguments, "--postgres-url", services.POSTGRES_URL])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output.strip().splitlines()[-1])
    assert found["bench"] == "analytics" and found["answers_agree"] is True
    chdb, postgres = found["rows"]
    assert chdb["extra"]["rows"] == 10_000 and postgres["extra"]["rows"] == 1_000
    assert chdb["count"] == postgres["count"] == 2 and chdb["p50_ms"] > 0
