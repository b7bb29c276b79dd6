"""A user's preferences, in memory: which channels, languages and defaults are accepted, and
how the User aggregate records a change."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInputError
from domain.users.preferences import Preferences
from domain.users.roles import Role
from domain.users.user import User


def new_user() -> User:
    user = User("ada@example.com", None, "Ada", None, "hash", Role.STUDENT.value)
    user.collect_events()
    return user


def event_names(user: User) -> list[str]:
    return [type(e).__name__ for e in user.collect_events()]


def test_by_default_email_and_in_app_notify_in_english_on_utc():
    assert Preferences() == Preferences(("email", "in_app"), "en", "UTC")


def test_an_unknown_channel_is_refused():
    with pytest.raises(InvalidInputError, match="sms"):
        Preferences(channels=("email", "sms"))


def test_a_channel_listed_twice_is_refused():
    with pytest.raises(InvalidInputError):
        Preferences(channels=("email", "push", "email"))


@pytest.mark.parametrize("language", ["english", "EN", "en-us", "", "en-BR-x"])
def test_a_language_that_is_not_a_language_tag_is_refused(language):
    with pytest.raises(InvalidInputError):
        Preferences(language=language)


@pytest.mark.parametrize("language", ["en", "fr", "yo", "pt-BR"])
def test_a_language_tag_with_an_optional_region_is_accepted(language):
    assert Preferences(language=language).language == language


def test_no_channels_at_all_opts_out_of_every_notification():
    assert Preferences(channels=()).channels == ()


def test_a_user_who_never_set_preferences_has_the_defaults():
    assert new_user().preferences == Preferences()


def test_a_user_built_from_a_history_without_preferences_has_the_defaults():
    registered = User("ada@example.com", None, "Ada", None, "hash", Role.STUDENT.value)
    [event] = registered.collect_events()

    assert event.mutate(None).preferences == Preferences()


def test_setting_preferences_records_them():
    user = new_user()
    chosen = Preferences(("push",), "pt-BR", "Africa/Lagos")

    user.set_preferences(chosen)

    assert event_names(user) == ["PreferencesChanged"]
    assert user.preferences == chosen


def test_setting_preferences_equal_to_the_current_ones_records_nothing():
    user = new_user()
    user.set_preferences(Preferences(("push",), "yo"))
    user.collect_events()

    user.set_preferences(Preferences(("push",), "yo"))

    assert event_names(user) == []


def test_setting_the_defaults_on_a_user_who_never_changed_them_records_nothing():
    user = new_user()

    user.set_preferences(Preferences())

    assert event_names(user) == []
