"""Starlette's TestClient, handing each request to the app in one step.

The app runs on the client's event-loop thread (its portal), as with TestClient. TestClient's
own transport crosses to that thread eight times per request (to make events, a stream and a
cancel scope, to start the app, to wait for its answer, for each chunk of the body): each
crossing wakes the other thread, and together they cost more CPU than most endpoints. This
transport crosses once: the whole exchange runs there and comes back with the whole body. No
test streams a body, so nothing is lost by reading it whole.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import anyio
import httpx
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class Client(TestClient):
    def __init__(self, app: ASGIApp, raise_server_exceptions: bool = True, **kwargs: Any) -> None:
        super().__init__(app, raise_server_exceptions=raise_server_exceptions, **kwargs)
        self._transport = OneStep(self, self._transport)
        self._cookies = Cookieless()


class Cookieless(httpx.Cookies):
    """Cookies kept only when an answer sets one, which no Campus answer does: httpx read every
    answer for them through the standard library's cookie jar, at a cost near a read's own."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class OneStep(httpx.BaseTransport):
    def __init__(self, client: TestClient, theirs: Any) -> None:
        self.client = client
        self.theirs = theirs  # TestClient's transport: the scope's client, root path and state

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        scope = self.scope_of(request)
        with self.client._portal_factory() as portal:
            status, headers, body = portal.call(self.exchange, scope, request.read())
        return httpx.Response(
            status,
            headers=[(key.decode(), value.decode()) for key, value in headers],
            content=b"" if request.method == "HEAD" else body,
            request=request,
        )

    async def exchange(self, scope: dict[str, Any], body: bytes) -> Answer:
        status, headers, chunks = 0, [], []
        asked, answered = False, anyio.Event()

        async def receive() -> Message:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": body, "more_body": False}
            await answered.wait()  # as a server does: the client leaves once answered
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))
                if not message.get("more_body", False):
                    answered.set()

        try:
            await self.theirs.app(scope, receive, send)
        except Exception:
            # The server's error middleware answers 500 and raises again, for the server's log.
            if self.theirs.raise_server_exceptions:
                raise
            status = status or 500
        finally:
            answered.set()
        return status, headers, b"".join(chunks)

    def scope_of(self, request: httpx.Request) -> dict[str, Any]:
        url = request.url
        headers = [(k.lower().encode(), v.encode()) for k, v in request.headers.multi_items()]
        if "host" not in request.headers:
            headers.insert(0, (b"host", url.netloc))
        return {
            "type": "http",
            "http_version": "1.1",
            "method": request.method,
            "path": unquote(url.path),
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "root_path": self.theirs.root_path,
            "scheme": url.scheme,
            "query_string": url.query,
            "headers": headers,
            "client": self.theirs.client,
            "server": [url.host, url.port or {"http": 80, "https": 443}[url.scheme]],
            "extensions": {},
            "state": self.theirs.app_state.copy(),
        }
