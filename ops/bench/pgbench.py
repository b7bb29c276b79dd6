"""The PostgreSQL ceiling: pgbench committing one-row inserts into a scratch table, on the same
server and at the same concurrency as the commands it is compared to."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ops.bench.report import Row, percentile

SCRIPT = "INSERT INTO bench_rows (payload) VALUES ('one row');\n"
SCRATCH = (
    "CREATE TABLE IF NOT EXISTS bench_rows "
    "(id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
)


class PgbenchError(RuntimeError):
    """pgbench is missing or failed."""


def pgbench_path() -> str:
    """pgbench of the newest PostgreSQL installed (Debian keeps it out of PATH)."""
    majors = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pgbench"), key=lambda p: int(p.parts[-3])
    )
    found = str(majors[-1]) if majors else shutil.which("pgbench")
    if found is None:
        raise PgbenchError("pgbench is not installed: it comes with apt-get install postgresql")
    return found


def parse_failures(output: str) -> int:
    found = re.search(r"number of failed transactions: (\d+)", output)
    return int(found.group(1)) if found else 0


def latencies_ms(log_dir: Path) -> list[float]:
    """Per-transaction latencies from pgbench's logs (``-l``: the third field, in µs)."""
    values = []
    for log in log_dir.glob("pgbench_log*"):
        for line in log.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3:
                values.append(int(fields[2]) / 1000)
    return values


def ceiling(database_url: str, clients: int, seconds: float) -> Row:
    import psycopg  # here: every ``campus`` command loads this module; few run pgbench

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SCRATCH)
    with tempfile.TemporaryDirectory(prefix="campus-pgbench-") as tmp:
        script = Path(tmp) / "insert.sql"
        script.write_text(SCRIPT)
        # -n: no vacuum of pgbench's own tables (there are none); -l: log each transaction.
        args = ["-n", "-l", "-f", str(script), f"-c{clients}", f"-j{clients}"]
        done = subprocess.run(
            [pgbench_path(), *args, f"-T{max(1, round(seconds))}", database_url],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        if done.returncode != 0:
            raise PgbenchError(f"pgbench failed: {done.stderr or done.stdout}")
        latencies = latencies_ms(Path(tmp))
    return Row(
        "pgbench one-row insert (ceiling)",
        clients,
        len(latencies),
        round(seconds),
        percentile(latencies, 50),
        percentile(latencies, 99),
        parse_failures(done.stdout),
        unit="tx",
    )
