"""The third-party promo API (docs/promo-provider.md), served on loopback for tests.

``serving_promos()`` starts an HTTP server in a background thread that answers
``GET /promos/{code}?courseId=&userId=`` from ``promos.codes`` (code → the JSON body to answer;
an unknown code is a 404) once the caller shows ``Authorization: Bearer <api_key>``. Flip
``promos.outage`` to make it answer 503 (``"down"``), not answer within the client's timeout
(``"slow"``), or answer 200 with an HTML page instead of JSON (``"garbled"``).
``promos.requests`` counts every request, so a test can see how often the client asked.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.loopback import FakeHandler, serving

# Far past any client timeout the tests configure, short enough not to stall a leaked request.
SLOW_SECONDS = 10.0


class Promos:
    """The provider's state: its codes, whether it is up, and what it was asked."""

    def __init__(self, api_key: str | None) -> None:
        self.api_key = api_key
        self.base_url = ""
        self.codes: dict[str, dict[str, Any]] = {}
        self.outage: Literal["down", "slow", "garbled"] | None = None
        self.requests = 0
        self.asked: list[tuple[str, dict[str, str]]] = []  # (code, query) of each promo lookup
        self.closing = threading.Event()
        self.lock = threading.Lock()

    def settings(self, **overrides: object) -> dict[str, object]:
        """Campus settings that send promo lookups here."""
        return {"promo_api_url": self.base_url, "promo_api_key": self.api_key or ""} | overrides

    def answer(
        self, path: str, query: dict[str, str], authorization: str | None
    ) -> tuple[int, dict[str, Any]]:
        if self.api_key and authorization != f"Bearer {self.api_key}":
            return 401, {"error": "Invalid API key"}
        if not path.startswith("/promos/"):
            return 404, {"error": "Not found"}
        code = unquote(path.removeprefix("/promos/"))
        with self.lock:
            self.asked.append((code, query))
        if code not in self.codes:
            return 404, {"error": "Unknown promo code"}
        return 200, {"code": code} | self.codes[code]


def serving_promos(api_key: str | None = "promo-key") -> AbstractContextManager[Promos]:
    """Serve the promo API on a loopback ephemeral port until the block ends."""
    return serving(PromoHandler, Promos(api_key))


class PromoHandler(FakeHandler):
    def do_GET(self) -> None:
        promos = self.server.state
        with promos.lock:
            promos.requests += 1
        if promos.outage == "slow":
            promos.closing.wait(SLOW_SECONDS)
            return
        if promos.outage == "down":
            return self.send_json(503, {"error": "Service Unavailable"})
        if promos.outage == "garbled":
            return self.send(200, "text/html", b"<html><body>Please sign in</body></html>")
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        self.send_json(*promos.answer(url.path, query, self.headers.get("Authorization")))
