"""A fake provider's HTTP API served on a loopback port for the length of a test.

Each fake (OAuth providers, Paystack, the promo API) is a state object with ``base_url`` and a
``closing`` event, and a request handler that finds the state at ``self.server.state``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar


class Fake(Protocol):
    base_url: str
    closing: threading.Event


F = TypeVar("F", bound=Fake)


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    state: Any


class FakeHandler(BaseHTTPRequestHandler):
    """Answers JSON (or any payload) and keeps quiet: pytest shows the tests' own output."""

    server: LoopbackServer

    def send_json(self, status: int, body: dict[str, Any]) -> None:
        self.send(status, "application/json; charset=utf-8", json.dumps(body).encode())

    def send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], state: F) -> Iterator[F]:
    """Serve ``state`` through ``handler`` on an ephemeral loopback port until the block ends."""
    server = LoopbackServer(("127.0.0.1", 0), handler)
    server.state = state
    state.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.closing.set()  # lets requests held by a "slow" outage finish
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
