"""Waiting on facts, not time: until projections have applied everything written so far."""

from __future__ import annotations

import time
from typing import Any

from infra.faults import is_transient


def heads(campus: Any) -> dict[str, int]:
    """Each application's last position, now."""
    return {name: app.recorder.max_notification_id() or 0 for name, app in campus.apps.items()}


def settled(campus: Any, names: tuple[str, ...] = ("read-models",), seconds: float = 120) -> dict:
    """Wait until the runners ``names`` have applied every event written before the call;
    answer the heads waited for."""
    written = heads(campus)
    runners = [campus.runner(name) for name in names]
    deadline = time.monotonic() + seconds

    def applied() -> bool:
        try:
            return all(r.applied_through(a) >= at for r in runners for a, at in written.items())
        except Exception as error:  # a server restarting under a fault test: ask again
            if is_transient(error):
                return False
            raise

    while not applied():
        assert time.monotonic() < deadline, f"{names} did not apply {written} in {seconds} s"
        time.sleep(0.05)
    return written
