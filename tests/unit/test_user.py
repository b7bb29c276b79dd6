"""The User aggregate's rules, in memory."""

from __future__ import annotations

import pytest

from domain.users.roles import Role
from domain.users.user import OAuthAccountTakenError, User, UserBlockedError, UserStatus


def new_user() -> User:
    return User("ada@example.com", None, "Ada", None, "hash", Role.STUDENT.value)


def event_names(user: User) -> list[str]:
    return [type(e).__name__ for e in user.collect_events()]


def test_a_new_user_is_an_active_student_with_one_registered_event():
    user = new_user()
    assert (user.role, user.status) == (Role.STUDENT, UserStatus.ACTIVE)
    assert event_names(user) == ["Registered"]


def test_blocking_twice_records_one_event_and_unblocking_restores_access():
    user = new_user()
    user.collect_events()
    user.block("spam")
    user.block("spam again")
    assert event_names(user) == ["Blocked"]
    with pytest.raises(UserBlockedError):
        user.ensure_active()
    user.unblock()
    user.ensure_active()


def test_changing_to_the_same_role_records_nothing():
    user = new_user()
    user.collect_events()
    user.change_role(Role.STUDENT)
    user.change_role(Role.INSTRUCTOR)
    assert event_names(user) == ["RoleChanged"] and user.role is Role.INSTRUCTOR


def test_a_second_account_of_the_same_provider_cannot_be_linked():
    user = new_user()
    user.link_oauth_account("google", "g-1")
    user.link_oauth_account("google", "g-1")  # relinking the same account is harmless
    with pytest.raises(OAuthAccountTakenError):
        user.link_oauth_account("google", "g-2")


def test_password_hashes_are_marked_private_so_they_are_never_published():
    assert "password_hash" in User.Registered.private_fields
    assert "password_hash" in User.PasswordChanged.private_fields
    assert "password_hash" in User.PasswordRehashed.private_fields


def test_a_device_registered_twice_is_kept_once():
    user = User("ada@example.com", None, "Ada", None, None, "student")
    user.collect_events()

    user.register_push_device("phone")
    user.register_push_device("phone")

    assert user.push_devices == ("phone",) and len(user.collect_events()) == 1


def test_the_oldest_device_makes_room_for_a_new_one():
    user = User("ada@example.com", None, "Ada", None, None, "student")
    for n in range(User.MAX_PUSH_DEVICES + 1):
        user.register_push_device(f"device-{n}")

    assert len(user.push_devices) == User.MAX_PUSH_DEVICES
    assert "device-0" not in user.push_devices and user.push_devices[-1] == "device-10"


def test_an_erased_user_holds_no_personal_data_and_stays_refused():
    user = new_user()
    user.link_oauth_account("google", "g-1")
    user.erase()
    assert (user.email, user.name, user.phone, user.password_hash) == (None, None, None, None)
    assert user.oauth_accounts == {} and user.is_blocked
    user.unblock()
    assert user.is_erased


def test_erasing_twice_records_one_event():
    user = new_user()
    user.erase()
    user.erase()
    assert event_names(user) == ["Registered", "PersonalDataErased"]


def test_a_user_claims_their_email_phone_and_oauth_identities():
    user = User("ada@example.com", "+2348030000000", "Ada", None, None, Role.STUDENT.value)
    user.link_oauth_account("google", "g-1")
    assert user.claims() == [
        ("email", "ada@example.com"),
        ("phone", "+2348030000000"),
        ("oauth:google", "g-1"),
    ]
