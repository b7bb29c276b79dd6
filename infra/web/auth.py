"""Authentication and authorization dependencies for routers.

Every protected endpoint declares ``CurrentUser`` (any signed-in user), ``AdminUser`` or
``AuditorUser``; a token must be well signed, unexpired, of the access type, and not revoked
since it was issued. An auditor's token opens the audit API and their own account, nothing else.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.errors import ForbiddenError, UnauthorizedError
from infra import context
from infra.security.caller_checks import facts_of
from infra.security.tokens import AccessClaims, InvalidTokenError

bearer = HTTPBearer(auto_error=False)
AUDITOR_PATHS = ("/api/admin/audit/", "/api/auth/")


class AuthenticationRequiredError(UnauthorizedError):
    """No bearer token came with a request that needs one."""

    message = "Authentication required"


async def current_claims(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> AccessClaims:
    # async on purpose: the actor set here must be visible to the endpoint's thread.
    if credentials is None:
        raise AuthenticationRequiredError
    token = credentials.credentials
    decoded = request.scope.get("state", {}).get("access_claims")
    if decoded and decoded[0] == token:  # read at the door, with what the stores said of it
        claims, facts = decoded[1], facts_of(request.scope)
    else:
        claims, facts = request.app.state.tokens.read_access(token), None
    valid = facts.token_valid if facts else None
    if valid is None:  # not asked at the door, or the store was away then: ask (or fail) now
        valid = request.app.state.revocations.is_valid(claims)
    if not valid:
        raise InvalidTokenError("token revoked")
    if claims.role == "auditor" and not request.url.path.startswith(AUDITOR_PATHS):
        raise ForbiddenError
    context.actor_id.set(str(claims.user_id))
    return claims


async def admin_claims(claims: Annotated[AccessClaims, Depends(current_claims)]) -> AccessClaims:
    if claims.role != "admin":
        raise ForbiddenError
    return claims


async def auditor_claims(
    claims: Annotated[AccessClaims, Depends(current_claims)],
) -> AccessClaims:
    if claims.role not in ("admin", "auditor"):
        raise ForbiddenError
    return claims


CurrentUser = Annotated[AccessClaims, Depends(current_claims)]
AdminUser = Annotated[AccessClaims, Depends(admin_claims)]
AuditorUser = Annotated[AccessClaims, Depends(auditor_claims)]  # an admin, or an auditor


async def optional_claims(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> AccessClaims | None:
    """The caller's claims when a token comes along (public endpoints that show more to some)."""
    return None if credentials is None else await current_claims(request, credentials)


MaybeUser = Annotated[AccessClaims | None, Depends(optional_claims)]
