"""The processes under test: ``campus`` servers, relay and projector, each a subprocess
configured as in production (PostgreSQL, Redis, Kafka) through ``CAMPUS_*`` variables."""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from infra.http import tls_context
from infra.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# The limiter must never throttle a benchmark: a budget no run can spend.
UNLIMITED = 1_000_000_000
FAST_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST_KIB": "1024", "ARGON2_PARALLELISM": "1"}


def argon2_env(choice: str) -> dict[str, str]:
    if choice not in ("production", "fast"):
        raise ValueError("argon2 is production or fast")
    return {f"CAMPUS_{k}": v for k, v in FAST_ARGON2.items()} if choice == "fast" else {}


def argon2_note(env: dict[str, str]) -> str:
    settings = settings_of(env)
    return (
        f"argon2id t={settings.argon2_time_cost} m={settings.argon2_memory_cost_kib} KiB "
        f"p={settings.argon2_parallelism}"
    )


def settings_of(env: dict[str, str]) -> Settings:
    """The settings the servers read from ``env`` (so the harness's own setup matches them)."""
    values = {k[7:].lower(): v for k, v in env.items() if k.startswith("CAMPUS_")}
    return Settings(_env_file=None, **values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1, verify=tls_context()).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Stack:
    """Subprocesses sharing one environment; their output goes to log files under ``logs``."""

    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    # One line per log that recorded errors, filled in when the stack stops.
    errors: list[str] = field(default_factory=list)
    # A server's URL -> its session (its supervisor's pid), whose CPU ``ops.bench.cpu`` reads.
    sessions: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        # A session of its own: uvicorn's workers can then be killed with their supervisor.
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def serve(self, role: str, workers: int, name: str | None = None) -> str:
        """A ``campus serve`` on a free loopback port; answers its URL once healthy."""
        port = str(free_port())
        cli = ("-m", "ops.cli", "serve", "--role", role, "--workers", str(workers), "--port", port)
        return self.await_url(name or f"api-{role}", self.start(name or f"api-{role}", *cli), port)

    def bare(self, workers: int) -> str:
        port = str(free_port())
        process = self.start("bare", "-m", "ops.bench.bare", port, str(workers))
        return self.await_url("bare", process, port)

    def await_url(self, name: str, process: subprocess.Popen, port: str) -> str:
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 120
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (self.logs / f"{name}.log").read_text(errors="replace")
                raise RuntimeError(f"{name} did not start:\n{log[-3000:]}")
            time.sleep(0.1)
        self.sessions[url] = process.pid
        return url

    def read_errors(self) -> None:
        """Summarize what the servers logged as errors, before their logs are deleted."""
        for log in sorted(self.logs.glob("*.log")):
            found = [
                line for line in log.read_text(errors="replace").splitlines() if is_error(line)
            ]
            if found:
                self.errors.append(
                    f"{log.stem} logged {len(found)} errors; last: {last_error(found[-1])}"
                )

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def is_error(line: str) -> bool:
    """A JSON log entry at ERROR or worse, or a traceback printed before logging was set up."""
    return '"level":"ERROR"' in line or '"level":"CRITICAL"' in line or line.startswith("Trace")


def last_error(line: str) -> str:
    """An error log line's gist: the exception's last line, else the message."""
    try:
        entry = json.loads(line)
    except ValueError:
        return line[:300]
    exception = (entry.get("exception") or "").strip().splitlines()
    return (exception[-1] if exception else str(entry.get("message")))[:300]


def campus_env(database: str, redis: str, kafka: str, extra: dict[str, str]) -> dict[str, str]:
    """Production-shaped settings; ``extra`` (``--env``, argon2, topic) wins."""
    values = {
        "CAMPUS_DATABASE_URL": database,
        "CAMPUS_REDIS_URL": redis,
        "CAMPUS_KAFKA_BOOTSTRAP_SERVERS": kafka,
        "CAMPUS_JWT_SECRET": secrets.token_urlsafe(32),
        "CAMPUS_CARD_DETAILS_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "CAMPUS_PAYSTACK_SECRET_KEY": "sk_test_sandbox_" + secrets.token_hex(20),
        "CAMPUS_RATE_LIMIT_PER_MINUTE": str(UNLIMITED),
    } | extra
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUS_")}
    return inherited | {"PYTHONPATH": str(ROOT)} | values


@contextmanager
def stack(env: dict[str, str]) -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="campus-bench-") as tmp:
        running = Stack(env | {"CAMPUS_DATA_DIR": str(Path(tmp) / "var")}, Path(tmp))
        try:
            yield running
        finally:
            running.stop()
            running.read_errors()
