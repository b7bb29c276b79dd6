"""OAuth identity verification against Google's and Facebook's token endpoints (OAuthVerifier).

The client sends ``provider``, ``providerUserId`` and ``accessToken``; we believe none of them
until the provider confirms the token is live, issued for our app, and belongs to that user.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from tenacity import (
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
)

from domain.errors import InvalidInputError, UnavailableError
from domain.users.oauth_identity import OAuthIdentity
from domain.users.user import InvalidCredentialsError
from infra.http import http_client
from infra.settings import Settings


class ProviderDown(Exception):
    """The provider did not answer, or answered with a server error."""


class HttpOAuthVerifier:
    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.http = client or http_client(timeout=settings.oauth_timeout_seconds)
        self.google_client_ids = {c for c in settings.google_client_ids.split(",") if c}

    def verify(self, provider: str, provider_user_id: str, access_token: str) -> OAuthIdentity:
        verifiers = {"google": self.verify_google, "facebook": self.verify_facebook}
        if provider.lower() not in verifiers:
            raise InvalidInputError(f"Unsupported OAuth provider: {provider}")
        if not self.enabled(provider.lower()):
            raise InvalidInputError(f"Sign-in with {provider} is not enabled")
        try:
            identity = verifiers[provider.lower()](access_token)
        except ProviderDown:
            raise UnavailableError(f"{provider} did not answer; try again later") from None
        if identity.provider_user_id != provider_user_id:
            raise InvalidCredentialsError
        return identity

    def enabled(self, provider: str) -> bool:
        """Only providers configured with our app's identity: without it, a token issued to
        any other app would be accepted."""
        if provider == "google":
            return bool(self.google_client_ids)
        return bool(self.settings.facebook_app_id and self.settings.facebook_app_secret)

    def verify_google(self, access_token: str) -> OAuthIdentity:
        info = self.get_json(self.settings.google_tokeninfo_url, {"access_token": access_token})
        if int(info.get("exp", 0)) <= time.time():
            raise InvalidCredentialsError
        if info.get("aud") not in self.google_client_ids:
            raise InvalidCredentialsError
        return OAuthIdentity(
            provider="google",
            provider_user_id=str(info.get("sub", "")),
            email=info.get("email"),
            email_verified=str(info.get("email_verified", "")).lower() == "true",
            name=info.get("name"),
            avatar_url=info.get("picture"),
        )

    def verify_facebook(self, access_token: str) -> OAuthIdentity:
        graph = self.settings.facebook_graph_url.rstrip("/")
        app_token = f"{self.settings.facebook_app_id}|{self.settings.facebook_app_secret}"
        debug = self.get_json(
            f"{graph}/debug_token", {"input_token": access_token, "access_token": app_token}
        ).get("data", {})
        if not debug.get("is_valid") or str(debug.get("app_id")) != self.settings.facebook_app_id:
            raise InvalidCredentialsError
        me = self.get_json(
            f"{graph}/me", {"fields": "id,name,email,picture", "access_token": access_token}
        )
        return OAuthIdentity(
            provider="facebook",
            provider_user_id=str(debug.get("user_id", "")),
            email=me.get("email"),
            email_verified=False,  # Facebook does not say; never link accounts on its word
            name=me.get("name"),
            avatar_url=((me.get("picture") or {}).get("data") or {}).get("url"),
        )

    def get_json(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        # Retries stop at the timeout too, so a hanging provider holds a login that long at most.
        retrying = retry(
            retry=retry_if_exception_type(ProviderDown),
            stop=stop_after_attempt(3) | stop_after_delay(self.settings.oauth_timeout_seconds),
            wait=wait_exponential(multiplier=0.1, max=1),
            reraise=True,
        )
        return retrying(self.get_json_once)(url, params)

    def get_json_once(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = self.http.get(url, params=params)
        except httpx.HTTPError:
            raise ProviderDown from None
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderDown
        if response.status_code != 200:
            raise InvalidCredentialsError
        try:
            body = response.json()
        except ValueError:
            raise ProviderDown from None
        if not isinstance(body, dict):
            raise ProviderDown
        return body
