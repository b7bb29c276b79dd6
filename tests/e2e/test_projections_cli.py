"""The projections commands work while an embedded `campus serve` holds the stores: they ask
its admin API, and print what they print from the stores themselves."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from ops.bench.servers import free_port, healthy
from ops.cli import cli
from tests.api import signed_up
from tests.conftest import FAST_HASHING
from tests.e2e.processes import wait_until

LEARNERS = 4


@dataclass
class Served:
    data_dir: Path
    url: str
    process: subprocess.Popen

    def campus(self, *args: str) -> Result:
        """A ``campus`` command run with the server's settings, in this process."""
        unset = {name: None for name in os.environ if name.startswith("CAMPUS_")}
        env = unset | settings_env(self.data_dir) | {"COLUMNS": "200"}
        return CliRunner().invoke(cli, list(args), env=env)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)


def settings_env(data_dir: Path) -> dict[str, str]:
    fast = {f"CAMPUS_{k.upper()}": str(v) for k, v in FAST_HASHING.items()}
    return {"CAMPUS_DATA_DIR": str(data_dir), "CAMPUS_LOG_LEVEL": "WARNING"} | fast


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`campus serve` in the embedded default, in its own process, on a data dir of its own."""
    port, data_dir = free_port(), tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUS_")}
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ops.cli", "serve", "--port", str(port)],
            env=env | settings_env(data_dir),
            cwd=tmp_path,  # no .env of the checkout
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = Served(data_dir, f"http://127.0.0.1:{port}", process)
    try:
        wait_until(lambda: healthy(running.url), f"campus serve ({tmp_path / 'serve.log'})")
        yield running
    finally:
        if process.poll() is None:
            running.stop()


def users_rows(served: Served) -> int:
    with sqlite3.connect(served.data_dir / "read-models.sqlite") as db:
        return db.execute("SELECT count(*) FROM users").fetchone()[0]


def caught_up(served: Served) -> bool:
    status = served.campus("projections", "status")
    rows = [line.split("│")[1:-1] for line in status.output.splitlines() if "│" in line]
    return status.exit_code == 0 and bool(rows) and all(row[4].strip() == "0" for row in rows)


def test_the_commands_ask_the_server_that_holds_the_embedded_stores(served):
    with httpx.Client(base_url=served.url) as client:
        for _ in range(LEARNERS):
            signed_up(client)
    wait_until(lambda: users_rows(served) == LEARNERS, "the users read model")
    with sqlite3.connect(served.data_dir / "read-models.sqlite") as db:
        db.execute("DELETE FROM users")  # lost: only a rebuild brings the rows back

    rebuilt = served.campus("projections", "rebuild", "users")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert re.search(r"rebuilt users from \d+ events", rebuilt.output)
    assert users_rows(served) == LEARNERS
    analytics = served.campus("projections", "rebuild", "analytics")
    assert analytics.exit_code == 0 and "rebuilt analytics from" in analytics.output

    retried = served.campus("projections", "retry", "users")
    assert "users: 0 applied, 0 still parked" in retried.output
    assert served.campus("projections", "parked").exit_code == 0
    unknown = served.campus("projections", "parked", "nope")
    assert unknown.exit_code == 1 and "No such projection" in unknown.output
    assert_what_needs_the_stores_says_who_holds_them(served)

    wait_until(lambda: caught_up(served), "every projection to catch up")
    through_the_server = served.campus("projections", "status").output
    served.stop()
    assert not (served.data_dir / "server.json").exists()
    assert served.campus("projections", "status").output == through_the_server


def assert_what_needs_the_stores_says_who_holds_them(served: Served) -> None:
    for command in (["serve", "--port", str(free_port())], ["project", "analytics"]):
        refused = served.campus(*command)
        assert refused.exit_code == 1
        assert f"Campus already serves {served.data_dir} at {served.url}" in refused.output
    record = served.data_dir / "server.json"
    kept = record.read_text()
    assert json.loads(kept)["pid"] == served.process.pid
    record.unlink()  # now a process this data directory does not name holds the stores
    held = served.campus("projections", "rebuild", "analytics")
    record.write_text(kept)
    assert held.exit_code == 1 and isinstance(held.exception, SystemExit), held.output
    assert "cannot open chDB" in held.output


def test_a_record_whose_server_is_gone_is_ignored(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a killed server leaves its record behind, naming a process that has ended
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    (data_dir / "server.json").write_text(
        json.dumps({"url": "http://127.0.0.1:9", "pid": gone.pid})
    )
    status = Served(data_dir, "", gone).campus("projections", "status")
    assert status.exit_code == 0, status.output
    assert "users" in status.output and "analytics" in status.output
