"""Where an embedded ``campus serve`` answers, recorded in its data directory while it runs.

The embedded stores belong to the serving process (chDB opens a folder for one process only),
so other ``campus`` commands on the same data directory ask that server instead of opening the
stores themselves. The record holds the server's address and process id, and nothing secret;
it is removed on exit, and a record whose process is gone (killed, say) is stale and ignored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from infra.settings import Settings

RECORD = "server.json"


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


def record_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / RECORD


@contextmanager
def recorded(settings: Settings, host: str, port: int) -> Iterator[Server]:
    """Record this process as the server of ``settings``' data directory while the block runs."""
    path, server = record_path(settings), Server(reachable_url(host, port), os.getpid())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(server)))
    try:
        yield server
    finally:
        if live_server(settings) == server:  # never another server's record
            path.unlink(missing_ok=True)


def live_server(settings: Settings) -> Server | None:
    """The server recorded for ``settings``' data directory, if its process still runs."""
    try:
        server = Server(**json.loads(record_path(settings).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return server if running(server.pid) else None


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def reachable_url(host: str, port: int) -> str:
    """The address a client on this machine reaches a server listening on ``host``."""
    if host in ("0.0.0.0", "::", ""):  # every address: loopback is one of them
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
