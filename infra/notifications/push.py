"""Push notifications: Firebase Cloud Messaging (FcmPushSender) when ``fcm_project_id`` is set,
else a folder of JSON files (OutboxPushSender, development only: no account, no internet).

The FCM HTTP v1 exchange it speaks, and what it makes of each answer, are in
docs/notifications.md ("Push over FCM"). Reasons never carry the private key or the access
token.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from commands.notifications.ports import DeliveryError, Push, PushSender
from infra.http import http_client
from infra.notifications.outbox import safe_name, write_atomically
from infra.production import NO_PUSH_PROJECT, refuse_in_production
from infra.settings import Settings

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_SECONDS = 3600
REFRESH_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    private_key: RSAPrivateKey = field(repr=False)
    private_key_id: str
    token_uri: str

    @classmethod
    def load(cls, path: Path | None) -> ServiceAccount:
        if path is None:
            raise ValueError("CAMPUS_FCM_PROJECT_ID needs CAMPUS_FCM_CREDENTIALS_FILE")
        try:
            key = json.loads(Path(path).read_text(encoding="utf-8"))
            private_key = load_pem_private_key(key["private_key"].encode(), password=None)
            if not isinstance(private_key, RSAPrivateKey):
                raise TypeError("not an RSA key")
            fields = {name: key[name] for name in ("client_email", "private_key_id", "token_uri")}
            return cls(private_key=private_key, **fields)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            # The error's text is left out: it could quote the key.
            problem = f"missing field {error}" if isinstance(error, KeyError) else "unreadable"
            raise ValueError(
                f"CAMPUS_FCM_CREDENTIALS_FILE {path}: not a service account JSON key "
                f"({problem}, {type(error).__name__})"
            ) from None

    def assertion(self, now: int) -> str:
        claims = {"iss": self.client_email, "scope": SCOPE, "aud": self.token_uri}
        claims |= {"iat": now, "exp": now + ASSERTION_SECONDS}
        headers = {"kid": self.private_key_id}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers=headers)


class AccessTokens:
    """Google OAuth 2.0 access tokens for a service account, kept until shortly before expiry."""

    def __init__(self, account: ServiceAccount, http: httpx.Client) -> None:
        self.account, self.http = account, http
        self.lock = threading.Lock()  # held while fetching: the other threads wait for it
        self.token, self.renew_at = "", 0.0

    def current(self) -> str:
        with self.lock:
            if not self.token or time.monotonic() >= self.renew_at:
                self.token, self.renew_at = self.fetch()
            return self.token

    def replace(self, refused: str) -> str:
        with self.lock:
            if self.token == refused:  # else another thread has already fetched a new one
                self.token = ""
        return self.current()

    def fetch(self) -> tuple[str, float]:
        started = time.monotonic()
        form = {"grant_type": GRANT_TYPE, "assertion": self.account.assertion(int(time.time()))}
        try:
            response = self.http.post(self.account.token_uri, data=form)
        except httpx.HTTPError as error:
            raise DeliveryError(f"Google token endpoint unreachable: {described(error)}") from None
        body = json_of(response)
        lifetime = body.get("expires_in", ASSERTION_SECONDS)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            said = f"{body.get('error', '')} {body.get('error_description', '')}".strip()
            raise DeliveryError(
                f"Google token endpoint refused the service account {self.account.client_email}:"
                f" HTTP {response.status_code} {said or 'without an access token'}"
            )
        if not isinstance(lifetime, int | float) or isinstance(lifetime, bool):
            raise DeliveryError(f"Google token endpoint answered expires_in={lifetime!r}")
        return body["access_token"], started + lifetime - REFRESH_MARGIN_SECONDS


class FcmPushSender:
    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        account = ServiceAccount.load(settings.fcm_credentials_file)
        self.http = client or http_client(timeout=settings.push_timeout_seconds)
        self.tokens = AccessTokens(account, self.http)
        base_url = settings.fcm_base_url.rstrip("/")
        self.url = f"{base_url}/v1/projects/{settings.fcm_project_id}/messages:send"

    def forget(self, token: str) -> None:
        """A push that left is the device's: this side keeps no copy to drop."""

    def send(self, push: Push) -> None:
        token = self.tokens.current()
        response = self.post(push, token)
        if response.status_code == 401:
            response = self.post(push, self.tokens.replace(token))
        if response.status_code != 200:
            raise refusal(response)

    def close(self) -> None:
        self.http.close()

    def post(self, push: Push, token: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            return self.http.post(self.url, json=message_of(push), headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryError(f"FCM unreachable: {described(error)}") from None


def message_of(push: Push) -> dict[str, Any]:
    data = {key: str(value) for key, value in push.data.items()}
    notification = {"title": push.title, "body": push.body}
    return {"message": {"token": push.token, "notification": notification, "data": data}}


def refusal(response: httpx.Response) -> DeliveryError:
    error = json_of(response).get("error")
    error = error if isinstance(error, dict) else {}
    status, code = error.get("status"), fcm_error_code(error)
    if response.status_code == 404 or status == "NOT_FOUND" or code == "UNREGISTERED":
        return DeliveryError("device not registered", permanent=True)
    names = [str(name) for name in dict.fromkeys((status, code)) if name]
    reason = " ".join(["FCM answered HTTP", str(response.status_code), *names])
    message = error.get("message")
    return DeliveryError(f"{reason}: {message}" if message else reason, is_permanent(response))


def fcm_error_code(error: dict[str, Any]) -> str | None:
    details = error.get("details")
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("errorCode"):
            return str(detail["errorCode"])
    return None


def is_permanent(response: httpx.Response) -> bool:
    # 400: the message itself is wrong; 403: this project may not send to that device.
    return response.status_code in (400, 403)


def json_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def described(error: httpx.HTTPError) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class OutboxPushSender:
    """Writes each push to ``folder`` as ``{message_id}-{token hash}.json``, whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, push: Push) -> None:
        data = json.dumps(asdict(push), ensure_ascii=False, indent=2).encode()
        try:
            write_atomically(self.path_of(push), data)
        except OSError as error:
            raise DeliveryError(
                f"cannot write to {self.folder}: {error.strerror or error}"
            ) from None

    def path_of(self, push: Push) -> Path:
        return self.folder / f"{safe_name(push.message_id)}-{device_of(push.token)}.json"

    def forget(self, token: str) -> None:
        for path in self.folder.glob(f"*-{device_of(token)}.json"):
            path.unlink(missing_ok=True)


def device_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:12]  # one file per device


def open_push_sender(settings: Settings) -> PushSender:
    """FCM when ``fcm_project_id`` is set, else (in development only) the outbox under
    ``data_dir``."""
    if settings.fcm_project_id:
        return FcmPushSender(settings)
    refuse_in_production(settings, NO_PUSH_PROJECT)
    return OutboxPushSender(Path(settings.data_dir) / "outbox" / "push")
