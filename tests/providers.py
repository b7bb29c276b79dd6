"""Google's and Facebook's token APIs, served on loopback so OAuth logins run end to end.

``serving_providers()`` starts one HTTP server in a background thread that answers like
https://oauth2.googleapis.com/tokeninfo (``GET /tokeninfo?access_token=``) and like the
Graph API (``GET /debug_token``, ``GET /me``). Tests issue tokens for made-up accounts, point
Campus at the server with ``providers.settings()``, and flip ``providers.outage`` to make
the provider answer 503 (``"down"``), not answer within the client's timeout (``"slow"``),
or answer 200 with an HTML page instead of JSON, as a misconfigured proxy may (``"garbled"``).
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from tests.loopback import FakeHandler, serving

GOOGLE_CLIENT_ID = "campus-web.apps.googleusercontent.com"
FACEBOOK_APP_ID = "204060801020304"
FACEBOOK_APP_SECRET = "facebook-app-secret-for-tests"
GOOGLE_SCOPES = "openid https://www.googleapis.com/auth/userinfo.email"
# A slow provider holds each request this long unless the server closes first: far past any
# client timeout the tests configure, short enough not to stall a run if one leaks.
SLOW_SECONDS = 10.0

Provider = Literal["google", "facebook"]
Answer = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class Account:
    """Someone's account at a provider, and the app their access token was issued to."""

    provider: Provider
    subject: str
    email: str | None
    name: str
    picture: str
    email_verified: bool
    audience: str


class Providers:
    """The providers' state: which tokens are live, and whether the provider is up."""

    def __init__(self) -> None:
        self.base_url = ""
        self.accounts: dict[str, Account] = {}
        self.outage: Literal["down", "slow", "garbled"] | None = None
        self.closing = threading.Event()
        self.holding = threading.Event()  # a slow provider has a request in hand

    def issue(
        self,
        provider: Provider,
        email: str | None = None,
        name: str = "Grace Hopper",
        email_verified: bool = True,
        audience: str | None = None,
        subject: str | None = None,
    ) -> tuple[str, Account]:
        """A live access token for a new account, or ``subject``'s; and the account.

        ``email=""`` is an account that does not share its e-mail address.
        """
        account = Account(
            provider,
            subject or str(uuid.uuid4().int)[:21],
            email if email is not None else f"{provider}.{uuid.uuid4().hex[:8]}@example.com",
            name,
            f"https://pictures.example.com/{uuid.uuid4().hex[:8]}.png",
            email_verified,
            audience or (GOOGLE_CLIENT_ID if provider == "google" else FACEBOOK_APP_ID),
        )
        token = f"{provider[:2]}.{secrets.token_urlsafe(24)}"
        self.accounts[token] = account
        return token, account

    def settings(self, **overrides: object) -> dict[str, object]:
        """Campus settings that send OAuth verification here."""
        return {
            "google_tokeninfo_url": f"{self.base_url}/tokeninfo",
            "google_client_ids": GOOGLE_CLIENT_ID,
            "facebook_graph_url": self.base_url,
            "facebook_app_id": FACEBOOK_APP_ID,
            "facebook_app_secret": FACEBOOK_APP_SECRET,
        } | overrides

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        routes = {"/tokeninfo": self.tokeninfo, "/debug_token": self.debug_token, "/me": self.me}
        if path not in routes:
            return 404, graph_error("Unknown path components", 2500)
        return routes[path](query)

    def live(self, provider: Provider, token: str) -> Account | None:
        account = self.accounts.get(token)
        return account if account and account.provider == provider else None

    def tokeninfo(self, query: dict[str, str]) -> Answer:
        account = self.live("google", query.get("access_token", ""))
        if account is None:
            return 400, {"error": "invalid_token", "error_description": "Invalid Value"}
        # Google sends every value as a string, numbers and booleans included.
        info = {
            "azp": account.audience,
            "aud": account.audience,
            "sub": account.subject,
            "scope": GOOGLE_SCOPES,
            "exp": str(int(time.time()) + 3599),
            "expires_in": "3599",
            "email_verified": str(account.email_verified).lower(),
            "access_type": "online",
            "name": account.name,
            "picture": account.picture,
        }
        return 200, info | ({"email": account.email} if account.email else {})

    def debug_token(self, query: dict[str, str]) -> Answer:
        if query.get("access_token") != f"{FACEBOOK_APP_ID}|{FACEBOOK_APP_SECRET}":
            return 400, graph_error("Invalid OAuth access token signature.", 190)
        account = self.live("facebook", query.get("input_token", ""))
        if account is None:
            invalid = {"code": 190, "message": "Invalid OAuth access token."}
            return 200, {"data": {"error": invalid, "is_valid": False, "scopes": []}}
        now = int(time.time())
        return 200, {
            "data": {
                "app_id": account.audience,
                "type": "USER",
                "application": "Campus",
                "data_access_expires_at": now + 90 * 86400,
                "expires_at": now + 3600,
                "is_valid": True,
                "issued_at": now,
                "scopes": ["email", "public_profile"],
                "user_id": account.subject,
            }
        }

    def me(self, query: dict[str, str]) -> Answer:
        account = self.live("facebook", query.get("access_token", ""))
        if account is None:
            return 400, graph_error("Invalid OAuth access token.", 190)
        picture = {"height": 50, "width": 50, "is_silhouette": False, "url": account.picture}
        known = {"id": account.subject, "name": account.name, "picture": {"data": picture}}
        known |= {"email": account.email} if account.email else {}
        # Graph answers only the fields asked for, and leaves out e-mail when not shared.
        fields = query.get("fields", "id,name").split(",")
        return 200, {field: known[field] for field in fields if field in known}


def serving_providers() -> AbstractContextManager[Providers]:
    """Serve the providers on a loopback ephemeral port until the block ends."""
    return serving(ProviderHandler, Providers())


def graph_error(message: str, code: int) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": secrets.token_urlsafe(8),
        }
    }


class ProviderHandler(FakeHandler):
    def do_GET(self) -> None:
        providers = self.server.state
        if providers.outage == "slow":
            providers.holding.set()
            providers.closing.wait(SLOW_SECONDS)
            return
        if providers.outage == "down":
            return self.send_json(503, {"error": "Service Unavailable"})
        if providers.outage == "garbled":
            return self.send(
                200, "text/html", b"<html><body>Please sign in to the Wi-Fi</body></html>"
            )
        url = urlsplit(self.path)
        self.send_json(*providers.answer(url.path, dict(parse_qsl(url.query))))
