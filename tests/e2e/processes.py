"""Run Campus as production does: separate `campus` processes on PostgreSQL, Redis and Kafka."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from infra.settings import Settings
from ops.bench.servers import free_port, healthy
from tests import services
from tests.conftest import FAST_HASHING, TEST_CARD_KEY


@dataclass
class Production:
    env: dict[str, str]
    settings: Settings
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [sys.executable, "-m", "ops.cli", *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=30)

    def serve(self, role: str) -> str:
        port = free_port()
        # Named by its port too: several APIs of one role each stay tracked, and stopped.
        self.start(f"api-{role}-{port}", "serve", "--role", role, "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: healthy(url), f"the {role} API to start ({self.logs})")
        return url

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def production(tmp_path: Path) -> Iterator[Production]:
    with ExitStack() as stack:
        database = stack.enter_context(services.fresh_database())
        topic, group = stack.enter_context(services.private_topic())
        values = {
            "CAMPUS_DATABASE_URL": database,
            "CAMPUS_REDIS_URL": services.clean_redis(),
            "CAMPUS_KAFKA_BOOTSTRAP_SERVERS": services.KAFKA_SERVERS,
            "CAMPUS_KAFKA_TOPIC": topic,
            "CAMPUS_KAFKA_CONSUMER_GROUP_PREFIX": group,
            "CAMPUS_JWT_SECRET": "e2e-secret-" * 4,
            "CAMPUS_CARD_DETAILS_KEY": TEST_CARD_KEY,
            "CAMPUS_PAYSTACK_SECRET_KEY": "sk_test_sandbox_e2e",
            "CAMPUS_DATA_DIR": str(tmp_path / "var"),
            "CAMPUS_LOG_LEVEL": "INFO",
            "CAMPUS_KAFKA_SESSION_TIMEOUT_MS": "6000",  # the broker's minimum: fast failover
            # A cold projector needs seconds to join its consumer group; reads wait for it.
            "CAMPUS_CONSISTENCY_WAIT_SECONDS": "30",
        } | {f"CAMPUS_{k.upper()}": str(v) for k, v in FAST_HASHING.items()}
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUS_")} | values
        settings = Settings(_env_file=None, **{k[7:].lower(): v for k, v in values.items()})
        running = Production(env, settings, tmp_path)
        stack.callback(running.stop_all)
        yield running


def wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.05)
