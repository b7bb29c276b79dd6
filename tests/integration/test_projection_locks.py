"""A projection's lock on the embedded default: a file lock that keeps every other holder
waiting, in another thread of this process as in another process."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from infra.database import file_lock


def test_a_second_thread_waits_for_the_projections_lock(tmp_path: Path):
    order: list[str] = []
    holding = threading.Event()

    def second() -> None:
        holding.wait()
        with file_lock(tmp_path, "courses"):
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with file_lock(tmp_path, "courses"):
        holding.set()
        time.sleep(0.2)
        order.append("first")
    thread.join(timeout=5)
    assert order == ["first", "second"]


def test_another_process_waits_for_the_projections_lock(tmp_path: Path):
    script = (
        "import sys, time; from pathlib import Path; from infra.database import file_lock\n"
        "print('ready', flush=True); started = time.monotonic()\n"
        "with file_lock(Path(sys.argv[1]), 'courses'): print(time.monotonic() - started)\n"
    )
    with file_lock(tmp_path, "courses"):
        other = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert other.stdout.readline() == "ready\n"  # imported: it asks for the lock next
        time.sleep(0.5)
    waited = float(other.communicate(timeout=30)[0])
    assert waited > 0.2
