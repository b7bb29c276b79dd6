"""Auth commands: register, log in, refresh, log out, change password and profile (spec §1)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from commands.sessions.end_session import EndSession
from commands.sessions.refresh_session import RefreshSession
from commands.sessions.start_session import StartSession
from commands.users.change_password import ChangePassword
from commands.users.erase_personal_data import ErasePersonalData
from commands.users.log_in import LogIn
from commands.users.log_in_with_provider import LogInWithProvider
from commands.users.register_user import RegisterUser
from commands.users.update_profile import UpdateProfile
from infra.web.auth import CurrentUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.auth import (
    LoginRequest,
    MessageResponse,
    PasswordChangeRequest,
    ProfileUpdateRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPairResponse,
    UserChangedResponse,
)
from write_api.deps import Bus, token_pair

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/user/register", responses=documented(TokenPairResponse))
def register(body: RegisterRequest, bus: Bus, request: Request) -> EnvelopeResponse:
    """Register a student account and sign it in."""
    user_id = bus.handle(
        RegisterUser(
            email=str(body.email),
            password=body.password,
            name=body.name,
            phone=body.phone,
            avatar_url=body.avatar_url,
        )
    )
    grant = bus.handle(StartSession(user_id, "registration"))
    return success(token_pair(request, grant, "User registered successfully"))


@router.post("/user/login", responses=documented(TokenPairResponse, errors=(401, 403)))
def login(body: LoginRequest, bus: Bus, request: Request) -> EnvelopeResponse:
    """Log in with e-mail and password, or with a Google/Facebook access token."""
    if body.provider:
        command = LogInWithProvider(body.provider, body.provider_user_id, body.access_token)
    else:
        command = LogIn(str(body.email), body.password)
    return success(token_pair(request, bus.handle(command), "Login successful"))


@router.post("/token/refresh", responses=documented(TokenPairResponse, errors=(401,)))
def refresh(body: RefreshRequest, bus: Bus, request: Request) -> EnvelopeResponse:
    """Trade a refresh token for new tokens; a reused refresh token ends the session."""
    claims = request.app.state.tokens.read_refresh(body.refresh_token)
    grant = bus.handle(RefreshSession(claims.session_id, claims.token_id))
    return success(token_pair(request, grant, "Token refreshed"))


@router.post("/user/logout", responses=documented(MessageResponse))
def logout(user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """End the current session: its refresh and access tokens stop working."""
    bus.handle(EndSession(user.user_id, user.session_id))
    return success(MessageResponse(message="Logged out"))


@router.put("/user/password", responses=documented(TokenPairResponse))
def change_password(
    body: PasswordChangeRequest, user: CurrentUser, bus: Bus, request: Request
) -> EnvelopeResponse:
    """Change the caller's password; other sessions end, this one gets fresh tokens."""
    bus.handle(ChangePassword(user.user_id, body.current_password, body.new_password))
    bus.handle(EndSession(user.user_id, user.session_id))
    grant = bus.handle(StartSession(user.user_id, "password change"))
    return success(token_pair(request, grant, "Password changed successfully"))


@router.delete("/user/personal-data", responses=documented(UserChangedResponse))
def erase_own_personal_data(user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Erase the caller's personal data for good: name, e-mail, phone, avatar, linked
    accounts and devices become unreadable everywhere, the account closes and every token
    stops working; payments, enrollments and certificates stay, without the name. An admin's
    account is erased by another admin (403 here)."""
    bus.handle(ErasePersonalData(user.user_id, requested_by=user.user_id))
    return success(UserChangedResponse(user_id=str(user.user_id), message="Personal data erased"))


@router.put("/user/profile", responses=documented(UserChangedResponse))
def update_profile(body: ProfileUpdateRequest, user: CurrentUser, bus: Bus) -> EnvelopeResponse:
    """Update the caller's name and avatar."""
    bus.handle(UpdateProfile(user.user_id, body.name, body.avatar_url))
    return success(
        UserChangedResponse(user_id=str(user.user_id), message="Profile updated successfully")
    )
