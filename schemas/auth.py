"""Requests and responses of the auth endpoints (spec §1) and token refresh/logout."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, StringConstraints, model_validator

from schemas.base import CamelModel


def http_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{7,15}$")]
Url = Annotated[str, StringConstraints(max_length=2048), AfterValidator(http_url)]
Role = Literal["student", "instructor", "admin", "auditor"]


class RegisterRequest(CamelModel):
    email: EmailStr
    password: Password
    name: Name
    phone: Phone | None = None
    avatar_url: Url | None = None


class LoginRequest(CamelModel):
    """Either e-mail and password, or an OAuth provider's identity and access token."""

    email: EmailStr | None = None
    password: Annotated[str, StringConstraints(max_length=128)] | None = None
    provider: Literal["google", "facebook"] | None = None
    provider_user_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    access_token: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = None

    @model_validator(mode="after")
    def one_way_in(self) -> LoginRequest:
        by_password = self.email is not None and self.password is not None
        by_provider = None not in (self.provider, self.provider_user_id, self.access_token)
        if by_password == by_provider:
            raise ValueError(
                "give either email and password, or provider, providerUserId and accessToken"
            )
        return self


class PasswordChangeRequest(CamelModel):
    current_password: Annotated[str, StringConstraints(max_length=128)]
    new_password: Password


class TokenPairResponse(CamelModel):
    user_id: str
    token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int
    message: str


class RefreshRequest(CamelModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class ProfileUpdateRequest(CamelModel):
    name: Name | None = None
    avatar_url: Url | None = None

    @model_validator(mode="after")
    def something_to_change(self) -> ProfileUpdateRequest:
        if self.name is None and self.avatar_url is None:
            raise ValueError("give name or avatarUrl")
        return self


class ProfileView(CamelModel):
    user_id: str
    username: str
    email: str
    name: str
    avatar_url: str | None
    role: str
    phone: str | None = None
    status: str
    created_at: str


class UserPreferencesView(CamelModel):
    notification_channels: list[str]  # of email, in_app and push
    language: str
    timezone: str  # an IANA zone, e.g. Africa/Lagos


class OwnProfileView(ProfileView):
    """The caller's own profile: their preferences too, which the admin's list leaves out."""

    preferences: UserPreferencesView


class MessageResponse(CamelModel):
    message: str


class UserChangedResponse(CamelModel):
    user_id: str
    message: str


class RoleChangeRequest(CamelModel):
    role: Role


class BlockRequest(CamelModel):
    reason: Annotated[str, StringConstraints(max_length=500)] = ""


class UserPage(CamelModel):
    users: list[ProfileView]
    page: int
    page_size: int
    total: int
