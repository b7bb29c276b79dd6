"""Firebase Cloud Messaging (HTTP v1) and Google's OAuth token endpoint, on loopback for tests.

``serving_fcm()`` starts an HTTP server in a background thread answering, as Google does (the
contract is in infra/notifications/push.py):

* ``POST /token``: a service account's JWT assertion, whose RS256 signature it checks against
  the public half of the throwaway key ``fcm.settings(folder)`` writes, with its kid, iss, aud,
  scope and lifetime; it answers a fresh access token living ``fcm.expires_in`` seconds;
* ``POST /v1/projects/{project}/messages:send``: with a bearer token it handed out, records the
  message in ``fcm.messages`` and answers its name.

To make it misbehave: put device tokens in ``fcm.unregistered`` (404 UNREGISTERED), set
``fcm.outage`` to answer 503 to that many sends, ``fcm.expire_tokens()`` to refuse the access
tokens handed out so far (401), ``fcm.refusing = True`` to refuse every access token, or
``fcm.rotate_key()`` so the key file no longer matches the service account's key.
"""

from __future__ import annotations

import json
import secrets
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.notifications.push import GRANT_TYPE, SCOPE
from tests.loopback import FakeHandler, serving

FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


def google_error(code: int, status: str, message: str, fcm_code: str = "") -> dict[str, Any]:
    details = [{"@type": FCM_ERROR, "errorCode": fcm_code}] if fcm_code else []
    return {"error": {"code": code, "message": message, "status": status, "details": details}}


UNREGISTERED = google_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
UNAVAILABLE = google_error(503, "UNAVAILABLE", "The service is currently unavailable.")
UNAUTHENTICATED = google_error(
    401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
)


class Fcm:
    """One Firebase project with one service account, its access tokens and what it was sent."""

    def __init__(self, project: str) -> None:
        self.project = project
        self.base_url = ""
        self.closing = threading.Event()
        self.lock = threading.Lock()
        self.client_email = f"campus-push@{project}.iam.gserviceaccount.com"
        self.key_id = secrets.token_hex(20)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.expires_in = 3599
        self.access_tokens: set[str] = set()  # handed out and still accepted
        self.token_requests = 0
        self.messages: list[dict[str, Any]] = []  # each accepted "message" object
        self.bearers: list[str] = []  # the access token each accepted message came with
        self.unregistered: set[str] = set()
        self.outage = 0  # how many of the next sends answer 503
        self.refusing = False

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    def settings(self, folder: Path, **overrides: object) -> dict[str, object]:
        """Campus settings that push here, with a service account key written in ``folder``."""
        key_file = Path(folder) / "fcm-service-account.json"
        key_file.write_text(json.dumps(self.service_account()), encoding="utf-8")
        return {
            "fcm_project_id": self.project,
            "fcm_credentials_file": key_file,
            "fcm_base_url": self.base_url,
            "push_timeout_seconds": 2.0,
        } | overrides

    def service_account(self) -> dict[str, str]:
        pem = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {
            "type": "service_account",
            "project_id": self.project,
            "private_key_id": self.key_id,
            "private_key": pem.decode(),
            "client_email": self.client_email,
            "token_uri": self.token_uri,
        }

    def expire_tokens(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def rotate_key(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def grant(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.token_requests += 1
        if form.get("grant_type") != [GRANT_TYPE] or len(form.get("assertion", [])) != 1:
            return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant"}
        problem = self.assertion_problem(form["assertion"][0])
        if problem:
            return 400, {"error": "invalid_grant", "error_description": problem}
        token = f"ya29.{secrets.token_urlsafe(32)}"
        with self.lock:
            self.access_tokens.add(token)
        return 200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}

    def assertion_problem(self, assertion: str) -> str | None:
        try:
            if jwt.get_unverified_header(assertion).get("kid") != self.key_id:
                return "Invalid JWT: unknown key id."
            claims = jwt.decode(
                assertion,
                self.key.public_key(),
                algorithms=["RS256"],
                audience=self.token_uri,
                issuer=self.client_email,
                options={"require": ["iss", "aud", "iat", "exp", "scope"]},
            )
        except jwt.InvalidSignatureError:
            return "Invalid JWT Signature."
        except jwt.PyJWTError as error:
            return f"Invalid JWT: {error}"
        if claims["scope"] != SCOPE:
            return "Invalid OAuth scope or ID token audience provided."
        if claims["exp"] - claims["iat"] > 3600:  # pyjwt has checked exp and iat against now
            return "Invalid JWT: Token must be a short-lived token (60 minutes)."
        return None

    def deliver(self, authorization: str | None, body: bytes) -> tuple[int, dict[str, Any]]:
        bearer = (authorization or "").removeprefix("Bearer ")
        with self.lock:
            if self.refusing or bearer not in self.access_tokens:
                return 401, UNAUTHENTICATED
            if self.outage > 0:
                self.outage -= 1
                return 503, UNAVAILABLE
        message = json.loads(body)["message"]
        if message["token"] in self.unregistered:
            return 404, UNREGISTERED
        with self.lock:
            self.messages.append(message)
            self.bearers.append(bearer)
            number = len(self.messages)
        return 200, {"name": f"projects/{self.project}/messages/0:{number}"}


def serving_fcm(project: str = "campus-test") -> AbstractContextManager[Fcm]:
    """Serve FCM and the token endpoint on a loopback ephemeral port until the block ends."""
    return serving(FcmHandler, Fcm(project))


class FcmHandler(FakeHandler):
    def do_POST(self) -> None:
        fcm = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path
        if path == "/token":
            return self.send_json(*fcm.grant(parse_qs(body.decode())))
        if path == f"/v1/projects/{fcm.project}/messages:send":
            return self.send_json(*fcm.deliver(self.headers.get("Authorization"), body))
        self.send_json(404, google_error(404, "NOT_FOUND", "Requested entity was not found."))
