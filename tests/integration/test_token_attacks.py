"""Forged, swapped, stale and mistyped JWTs are refused at the door (spec §1, security).

Each attack is a request to a protected endpoint that must end in 401, in the envelope, with
``WWW-Authenticate: Bearer``: never a 500, and never the data of the user the token names.
The forgeries start from a real token so that only the attacked part differs.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from httpx import Response

from tests.api import bearer, error, profile, signed_up
from tests.conftest import embedded_campus

ANOTHER_KEY = "a-key-that-is-not-the-servers-" * 2


@pytest.mark.parametrize("none", ["none", "None", "NONE"])
def test_an_unsigned_alg_none_token_is_rejected(embedded, none):
    tokens, _ = signed_up(embedded.client)
    header = {"alg": none, "typ": "JWT"}
    unsigned = f"{segment(header)}.{segment(claims_of(tokens['token']))}."
    refused(profile(embedded.client, unsigned))


def test_a_token_signed_with_another_key_is_rejected(backend):
    tokens, _ = signed_up(backend.client)
    forged = jwt.encode(claims_of(tokens["token"]), ANOTHER_KEY, algorithm="HS256")
    refused(profile(backend.client, forged))


def test_an_hs256_token_is_rejected_by_a_server_pinned_to_hs512(tmp_path: Path):
    # Same secret, weaker algorithm: the server must not let the token choose how it is checked.
    with embedded_campus(tmp_path, jwt_algorithm="HS512") as running:
        tokens, _ = signed_up(running.client)
        swapped = jwt.encode(
            claims_of(tokens["token"]), running.campus.tokens.secret, algorithm="HS256"
        )
        refused(profile(running.client, swapped))


def test_an_expired_token_is_rejected(backend):
    tokens, _ = signed_up(backend.client)
    an_hour_ago = time.time() - 3600
    claims = claims_of(tokens["token"]) | {"iat": an_hour_ago - 900, "exp": int(an_hour_ago)}
    expired = jwt.encode(claims, backend.campus.tokens.secret, algorithm="HS256")
    assert refused(profile(backend.client, expired))["message"] == "Invalid or expired token"


def test_a_refresh_token_is_not_an_access_token(embedded):
    tokens, _ = signed_up(embedded.client)
    refused(profile(embedded.client, tokens["refreshToken"]))


def test_a_token_whose_role_was_edited_to_admin_is_rejected(embedded):
    tokens, _ = signed_up(embedded.client)
    header, _, signature = tokens["token"].split(".")
    promoted = segment(claims_of(tokens["token"]) | {"role": "admin"})
    # 401 rather than 403: the signature no longer matches, whatever the role claim says.
    refused(
        embedded.client.get("/api/admin/users", headers=bearer(f"{header}.{promoted}.{signature}"))
    )


def test_a_token_from_another_issuer_is_rejected(embedded):
    tokens, _ = signed_up(embedded.client)
    claims = claims_of(tokens["token"]) | {"iss": "someone-else"}
    foreign = jwt.encode(claims, embedded.campus.tokens.secret, algorithm="HS256")
    refused(profile(embedded.client, foreign))


@pytest.mark.parametrize("garbage", [b"garbage", b"a.b.c", b"ey.ey.ey", "é.é.é".encode()])
def test_a_string_that_is_not_a_jwt_is_rejected(embedded, garbage):
    # Raw bytes: a client may send any octets, not just the ASCII the httpx helpers allow.
    answer = embedded.client.get(
        "/api/auth/user/profile", headers={"Authorization": b"Bearer " + garbage}
    )
    refused(answer)


def test_a_request_without_a_token_is_asked_to_authenticate(embedded):
    missing = embedded.client.get("/api/auth/user/profile")
    assert error(missing, 401)["message"] == "Authentication required"
    assert missing.headers.get("WWW-Authenticate") == "Bearer"


def refused(response: Response) -> dict[str, Any]:
    failed = error(response, 401)
    assert response.headers.get("WWW-Authenticate") == "Bearer"
    return failed


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def segment(part: dict[str, Any]) -> str:
    """One base64url JWT segment, unpadded, as RFC 7515 writes them."""
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
