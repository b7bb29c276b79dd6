"""Small helpers that speak the HTTP contract, so tests read like the spec."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

PASSWORD = "correct horse battery"


def unique_email(name: str = "user") -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}@example.com"


def register(client: TestClient, email: str | None = None, **fields: Any) -> Response:
    body = {"email": email or unique_email(), "password": PASSWORD, "name": "Ada Lovelace"} | fields
    return client.post("/api/auth/user/register", json=body)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    return client.post("/api/auth/user/login", json={"email": email, "password": password})


def bearer(token: str, consistency: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if consistency:
        headers["X-Consistency-Token"] = consistency
    return headers


def data(response: Response) -> Any:
    body = response.json()
    assert body["status"] == "success", body
    return body["data"]


def error(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error" and body["data"] is None and body["timestamp"], body
    assert body["error"]["errorCode"] == status
    return body["error"]


def signed_up(client: TestClient, **fields: Any) -> tuple[dict[str, Any], str]:
    """Register a user; answer the token pair and the write's consistency token."""
    response = register(client, **fields)
    assert response.status_code == 200, response.text
    return data(response), response.headers["X-Consistency-Token"]


def profile(client: TestClient, token: str, consistency: str | None = None) -> Response:
    return client.get("/api/auth/user/profile", headers=bearer(token, consistency))


def admin_token(running: Any, email: str | None = None) -> str:
    """An admin made the way the first one is (the CLI's command), signed in over HTTP."""
    from commands.users.register_user import RegisterUser
    from domain.users.roles import Role

    email = email or unique_email("admin")
    running.campus.bus.handle(RegisterUser(email, PASSWORD, "Admin", role=Role.ADMIN))
    return data(login(running.client, email))["token"]


def token_for(running: Any, role: str, email: str | None = None) -> str:
    """A signed-in user of the given role (students register; others are made by an admin)."""
    from commands.users.register_user import RegisterUser
    from domain.users.roles import Role

    email = email or unique_email(role)
    running.campus.bus.handle(RegisterUser(email, PASSWORD, role.title(), role=Role(role)))
    return data(login(running.client, email))["token"]
