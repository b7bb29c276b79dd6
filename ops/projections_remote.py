"""The projections admin API, as the command line calls it when a server holds the stores.

The command line signs in as an admin without a password: it signs its own access token with
the server's JWT secret, which it reads from the same settings (the embedded default keeps it in
the data directory, readable by its owner alone). Whoever can read that secret can already open
the stores themselves, so this grants nothing new. Each token lives a minute and is made per
request, so a long rebuild never outlives one and a token seen by someone else soon expires.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from infra.http import http_client
from infra.security.tokens import JwtTokens
from ops.served import Server

# The subject of the command line's tokens: logs and metrics tell its requests from a person's.
OPERATOR = uuid.UUID("00000000-0000-4000-8000-00000000c11e")
TOKEN_SECONDS = 60
POLL_SECONDS = 0.2
PREFIX = "/api/admin/projections"


class ServerError(Exception):
    """The server did not answer, or refused; the message says which and why."""


class RemoteProjections:
    def __init__(self, server: Server, tokens: JwtTokens) -> None:
        self.server = server
        self.tokens = tokens
        self.client = http_client(base_url=server.url, timeout=60)

    def status(self) -> list[dict[str, Any]]:
        return self.call("GET", PREFIX)

    def parked(self, name: str | None) -> list[dict[str, Any]]:
        return self.call("GET", f"{PREFIX}/parked", params={"projection": name} if name else {})

    def retry(self, name: str, aggregate_id: str | None) -> tuple[int, int]:
        params = {"aggregateId": aggregate_id} if aggregate_id else {}
        answer = self.call("POST", f"{PREFIX}/{name}/retry", params=params)
        return answer["applied"], answer["stillParked"]

    def rebuild(self, name: str, progress: Callable[[int, int], None]) -> int:
        job = self.call("POST", f"{PREFIX}/{name}/rebuild")
        while job["status"] == "running":
            progress(job["eventsDone"], job["eventsTotal"])
            time.sleep(POLL_SECONDS)
            job = self.call("GET", f"{PREFIX}/jobs/{job['jobId']}")
        if job["status"] != "done":
            raise ServerError(f"the rebuild failed on the server: {job['error']}")
        progress(job["eventsDone"], job["eventsTotal"])
        return job["eventsDone"]

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, path: str, **arguments: Any) -> Any:
        token = self.tokens.issue_access(OPERATOR, "admin", uuid.uuid4(), ttl=TOKEN_SECONDS)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            answer = self.client.request(method, path, headers=headers, **arguments)
        except httpx.HTTPError as error:
            raise ServerError(f"{self.described()} does not answer: {error}") from None
        return data_of(answer, self.described())

    def described(self) -> str:
        return f"the server of this data directory ({self.server.url}, pid {self.server.pid})"


def data_of(answer: httpx.Response, server: str) -> Any:
    try:
        envelope = answer.json()
    except ValueError:
        raise ServerError(f"{server} answered {answer.status_code}, not Campus' API") from None
    if answer.is_success:
        return envelope["data"]
    message = (envelope.get("error") or {}).get("message", answer.reason_phrase)
    if answer.status_code in (401, 403):
        raise ServerError(
            f"{server} refused the command line's token ({message}): run this command with "
            "the server's settings (its CAMPUS_JWT_SECRET, if it was given one)"
        )
    raise ServerError(message)
