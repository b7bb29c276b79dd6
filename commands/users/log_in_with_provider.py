"""Log in with an OAuth provider's access token; the first login creates the user."""

from __future__ import annotations

from dataclasses import dataclass

from commands.applications import Identity, Sessions
from commands.sessions.start_session import SessionGrant, open_session
from commands.users.ports import OAuthVerifier
from commands.users.register_user import save_with_claims
from domain.users.oauth_identity import OAuthIdentity
from domain.users.roles import Role
from domain.users.unique_key import KeyTakenError, normalize_email
from domain.users.user import InvalidCredentialsError, User


@dataclass(frozen=True)
class LogInWithProvider:
    provider: str
    provider_user_id: str
    access_token: str


def log_in_with_provider(
    cmd: LogInWithProvider, identity: Identity, sessions: Sessions, oauth: OAuthVerifier
) -> SessionGrant:
    verified = oauth.verify(cmd.provider, cmd.provider_user_id, cmd.access_token)
    owner_id = identity.find_key_owner(oauth_kind(verified.provider), verified.provider_user_id)
    user = identity.get_user(owner_id) if owner_id else link_or_create(identity, verified)
    user.ensure_active()
    return open_session(sessions, user, f"oauth:{verified.provider}")


def oauth_kind(provider: str) -> str:
    return f"oauth:{provider}"


def link_or_create(identity: Identity, verified: OAuthIdentity) -> User:
    """Link to the account holding the e-mail only when the provider has verified it."""
    if not verified.email:
        raise InvalidCredentialsError("The provider shared no e-mail address for this account")
    email = normalize_email(verified.email)
    owner_id = identity.find_key_owner("email", email)
    if owner_id is None:
        return create_user(identity, verified, email)
    if not verified.email_verified:
        raise KeyTakenError("An account with this e-mail exists; sign in with its password")
    user = identity.get_user(owner_id)
    user.link_oauth_account(verified.provider, verified.provider_user_id)
    save_with_claims(identity, user, [(oauth_kind(verified.provider), verified.provider_user_id)])
    return user


def create_user(identity: Identity, verified: OAuthIdentity, email: str) -> User:
    name = verified.name or email.split("@")[0]
    user = User(email, None, name, verified.avatar_url, None, Role.STUDENT.value)
    user.link_oauth_account(verified.provider, verified.provider_user_id)
    save_with_claims(
        identity,
        user,
        [("email", email), (oauth_kind(verified.provider), verified.provider_user_id)],
    )
    return user
