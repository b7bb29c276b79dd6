"""User and session use cases through the message bus, on the in-memory event store."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from commands.sessions.end_session import EndSession
from commands.sessions.refresh_session import RefreshSession
from commands.sessions.start_session import StartSession
from commands.users.administer_user import (
    BlockUser,
    ChangeRole,
    SelfAdministrationError,
    UnblockUser,
)
from commands.users.change_password import ChangePassword
from commands.users.erase_personal_data import ErasePersonalData, SelfErasureError
from commands.users.log_in import LogIn
from commands.users.log_in_with_provider import LogInWithProvider
from commands.users.register_user import RegisterUser
from commands.users.update_profile import UpdateProfile
from domain.users.oauth_identity import OAuthIdentity
from domain.users.roles import Role
from domain.users.session import SessionRevokedError, TokenReuseError
from domain.users.unique_key import KeyTakenError
from domain.users.user import InvalidCredentialsError, UserBlockedError
from ops.bootstrap import Campus, bootstrap
from tests.conftest import embedded_settings


@pytest.fixture
def campus(tmp_path: Path) -> Campus:
    campus = bootstrap(embedded_settings(tmp_path, database_url="memory"))
    yield campus
    campus.close()


def register(campus: Campus, email: str = "ada@example.com", **kw) -> uuid.UUID:
    return campus.bus.handle(RegisterUser(email, "secret-password", "Ada", **kw))


def test_registration_stores_a_hash_not_the_password(campus):
    user = campus.identity.get_user(register(campus))
    assert user.password_hash.startswith("$argon2id$")
    assert "secret-password" not in user.password_hash


def test_an_email_is_claimed_once_whatever_its_case_or_spacing(campus):
    register(campus, "ada@example.com")
    with pytest.raises(KeyTakenError):
        register(campus, "  ADA@Example.com ")


def test_a_lost_race_for_an_email_is_a_conflict_even_past_the_check(campus):
    from commands.users.register_user import save_with_claims
    from domain.users.user import User

    first = User("race@example.com", None, "A", None, None, "student")
    second = User("race@example.com", None, "B", None, None, "student")
    save_with_claims(campus.identity, first, [("email", "race@example.com")])
    with pytest.raises(KeyTakenError):
        save_with_claims(campus.identity, second, [("email", "race@example.com")])
    with pytest.raises(Exception, match="not found"):
        campus.identity.get_user(second.id)  # nothing of the loser was written


def test_login_with_the_right_password_opens_a_session(campus):
    user_id = register(campus)
    grant = campus.bus.handle(LogIn("ada@example.com", "secret-password"))
    assert (
        grant.user_id == user_id
        and campus.sessions.get_session(grant.session_id).user_id == user_id
    )


def test_login_with_a_wrong_password_is_refused(campus):
    register(campus)
    with pytest.raises(InvalidCredentialsError):
        campus.bus.handle(LogIn("ada@example.com", "wrong-password"))


def test_a_blocked_user_cannot_log_in(campus):
    admin = register(campus, "root@example.com", role=Role.ADMIN)
    user = register(campus)
    campus.bus.handle(BlockUser(admin, user, "abuse"))
    with pytest.raises(UserBlockedError):
        campus.bus.handle(LogIn("ada@example.com", "secret-password"))


def test_an_admin_cannot_change_their_own_role(campus):
    admin = register(campus, "root@example.com", role=Role.ADMIN)
    with pytest.raises(SelfAdministrationError):
        campus.bus.handle(ChangeRole(admin, admin, Role.STUDENT))


def test_refreshing_rotates_and_a_replayed_token_revokes_the_session(campus):
    register(campus)
    grant = campus.bus.handle(LogIn("ada@example.com", "secret-password"))
    rotated = campus.bus.handle(RefreshSession(grant.session_id, grant.token_id))
    assert rotated.token_id != grant.token_id
    with pytest.raises(TokenReuseError):
        campus.bus.handle(RefreshSession(grant.session_id, grant.token_id))
    assert campus.sessions.get_session(grant.session_id).is_revoked  # saved despite the error


def test_ending_someone_elses_session_is_refused(campus):
    register(campus)
    grant = campus.bus.handle(LogIn("ada@example.com", "secret-password"))
    with pytest.raises(SessionRevokedError):
        campus.bus.handle(EndSession(uuid.uuid4(), grant.session_id))


def test_a_profile_update_that_changes_nothing_records_nothing(campus):
    user_id = register(campus)
    campus.bus.handle(UpdateProfile(user_id, name="Ada"))
    assert campus.identity.get_user(user_id).version == 1


def test_an_erased_users_email_is_free_to_register_again(campus):
    erased = register(campus)
    campus.bus.handle(ErasePersonalData(erased, requested_by=erased))
    assert register(campus) != erased
    assert campus.identity.find_key_owner("email", "ada@example.com") != erased


def test_an_erased_user_loads_with_no_personal_data_and_cannot_log_in(campus):
    user_id = register(campus, phone="+2348030000000")
    campus.bus.handle(ErasePersonalData(user_id, requested_by=user_id))
    user = campus.identity.get_user(user_id)
    assert user.is_erased and (user.email, user.name, user.phone) == (None, None, None)
    with pytest.raises(InvalidCredentialsError):
        campus.bus.handle(LogIn("ada@example.com", "secret-password"))


def test_erasing_a_user_twice_is_harmless(campus):
    user_id = register(campus)
    campus.bus.handle(ErasePersonalData(user_id, requested_by=user_id))
    campus.bus.handle(ErasePersonalData(user_id, requested_by=user_id))
    assert campus.identity.get_user(user_id).is_erased


def test_an_admin_may_not_erase_their_own_account(campus):
    admin = register(campus, "root@example.com", role=Role.ADMIN)
    with pytest.raises(SelfErasureError):
        campus.bus.handle(ErasePersonalData(admin, requested_by=admin))
    assert not campus.identity.get_user(admin).is_erased


def test_an_admin_may_erase_another_admins_account(campus):
    first = register(campus, "root@example.com", role=Role.ADMIN)
    second = register(campus, "deputy@example.com", role=Role.ADMIN)
    campus.bus.handle(ErasePersonalData(second, requested_by=first))
    assert campus.identity.get_user(second).is_erased


def test_a_blocked_user_starts_no_session(campus):
    admin = register(campus, "root@example.com", role=Role.ADMIN)
    user = register(campus)
    campus.bus.handle(BlockUser(admin, user, "abuse"))
    with pytest.raises(UserBlockedError):
        campus.bus.handle(StartSession(user, "password"))


def test_an_unblocked_user_logs_in_again(campus):
    admin = register(campus, "root@example.com", role=Role.ADMIN)
    user = register(campus)
    campus.bus.handle(BlockUser(admin, user, "abuse"))
    campus.bus.handle(UnblockUser(admin, user))
    assert campus.bus.handle(LogIn("ada@example.com", "secret-password")).user_id == user


def test_changing_the_password_needs_the_current_one(campus):
    user = register(campus)
    with pytest.raises(InvalidCredentialsError):
        campus.bus.handle(ChangePassword(user, "wrong-password", "new-password"))
    assert campus.bus.handle(LogIn("ada@example.com", "secret-password")).user_id == user


def test_a_changed_password_ends_the_sessions_opened_before_it(campus):
    user = register(campus)
    before = campus.bus.handle(LogIn("ada@example.com", "secret-password"))
    campus.bus.handle(ChangePassword(user, "secret-password", "new-password"))
    with pytest.raises(SessionRevokedError):
        campus.bus.handle(RefreshSession(before.session_id, before.token_id))
    after = campus.bus.handle(LogIn("ada@example.com", "new-password"))
    assert campus.bus.handle(RefreshSession(after.session_id, after.token_id)).user_id == user


class Provider:
    """What an OAuth provider says of every access token: it belongs to this identity."""

    def __init__(self, email: str | None, verified: bool = True) -> None:
        self.email, self.verified = email, verified

    def verify(self, provider: str, provider_user_id: str, access_token: str) -> OAuthIdentity:
        return OAuthIdentity(provider, provider_user_id, self.email, self.verified, "Ada", None)


def with_provider(tmp_path: Path, provider: Provider) -> Campus:
    return bootstrap(embedded_settings(tmp_path, database_url="memory"), oauth=provider)


def test_a_first_login_with_a_provider_creates_a_learner_and_the_next_finds_them(tmp_path):
    campus = with_provider(tmp_path, Provider("ada@example.com"))
    first = campus.bus.handle(LogInWithProvider("google", "g-1", "token"))
    again = campus.bus.handle(LogInWithProvider("google", "g-1", "token"))
    assert again.user_id == first.user_id and first.role is Role.STUDENT
    campus.close()


def test_a_provider_login_joins_an_account_only_by_a_verified_email(tmp_path):
    campus = with_provider(tmp_path, Provider("ada@example.com", verified=False))
    register(campus)
    with pytest.raises(KeyTakenError):
        campus.bus.handle(LogInWithProvider("google", "g-1", "token"))
    campus.close()


def test_a_provider_login_with_a_verified_email_links_the_existing_account(tmp_path):
    campus = with_provider(tmp_path, Provider("ADA@example.com"))
    user = register(campus)
    assert campus.bus.handle(LogInWithProvider("google", "g-1", "token")).user_id == user
    campus.close()
