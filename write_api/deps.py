"""Dependencies of write routers: the message bus and token minting."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from commands.bus import MessageBus
from commands.sessions.start_session import SessionGrant
from schemas.auth import TokenPairResponse


async def get_bus(request: Request) -> MessageBus:
    # async: FastAPI runs a plain ``def`` dependency in the thread pool, a hop for an attribute.
    return request.app.state.bus


Bus = Annotated[MessageBus, Depends(get_bus)]


def token_pair(request: Request, grant: SessionGrant, message: str) -> TokenPairResponse:
    tokens: Any = request.app.state.tokens
    # The caller is this user from now on: their next reads wait for what this request wrote.
    request.state.caller_id = str(grant.user_id)
    return TokenPairResponse(
        user_id=str(grant.user_id),
        token=tokens.issue_access(grant.user_id, grant.role.value, grant.session_id),
        refresh_token=tokens.issue_refresh(grant.user_id, grant.session_id, grant.token_id),
        expires_in=tokens.access_ttl,
        message=message,
    )
