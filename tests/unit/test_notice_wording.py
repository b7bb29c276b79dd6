"""Notices in the reader's language: the catalog their language tag picks, English otherwise,
and amounts, days and times written as that language writes them, in the reader's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commands.notifications.wording import Day, Money
from domain.users.preferences import Preferences
from infra.notifications.gettext_wording import GettextWording
from infra.notifications.messages import TEMPLATES

WELCOME = {"course": "Kitchen Chemistry", "name": "Ada"}
PAID = {"amount": Money(1_250_000, "NGN"), "course": "Kitchen Chemistry", "transaction": "T-1"}
SAMPLES = {
    "course": "Kitchen Chemistry",
    "name": "Ada",
    "amount": Money(4_999, "NGN"),
    "discount": Money(1_000, "NGN"),
    "transaction": "T-1",
    "code": "SPRING",
    "reason": "Card declined",
    "certificate": "CERT-1",
    "url": "https://campus.example/api/certificates/verify/CERT-1",
    "module": "m1",
    "due": datetime(2025, 3, 4, 17, 30, tzinfo=UTC),
    "rating": 4.5,
    "since": Day(datetime(2025, 3, 4, 17, 30, tzinfo=UTC)),
    "message": "Maintenance tonight",
}


def reader(language: str, timezone: str = "UTC") -> Preferences:
    return Preferences(language=language, timezone=timezone)


def catalog(folder: Path, language: str, entries: str) -> Path:
    path = folder / language / "LC_MESSAGES" / "campus.po"
    path.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    path.write_text(header + entries, encoding="utf-8")
    return folder


def test_a_french_reader_is_welcomed_in_french():
    worded = GettextWording().word("enrollment_welcome", WELCOME, reader("fr"))

    assert worded.subject == "Bienvenue dans Kitchen Chemistry"
    assert worded.message.startswith("Bonjour Ada, votre inscription à Kitchen Chemistry")


def test_a_yoruba_reader_is_welcomed_in_yoruba():
    worded = GettextWording().word("enrollment_welcome", WELCOME, reader("yo"))

    assert worded.subject == "Ẹ káàbọ̀ sí Kitchen Chemistry"
    assert worded.message.startswith("Ẹ nlẹ́ o, Ada.")


def test_an_english_reader_reads_the_english_text():
    worded = GettextWording().word("enrollment_welcome", WELCOME, reader("en"))

    assert worded.subject == "Welcome to Kitchen Chemistry"
    assert worded.message.startswith("Hi Ada, you are enrolled in Kitchen Chemistry.")


@pytest.mark.parametrize("language", ["pt-BR", "de", "zz"])
def test_a_language_campus_does_not_speak_reads_english_with_english_amounts(language):
    worded = GettextWording().word("payment_succeeded", PAID, reader(language))

    assert worded.message.startswith("We received NGN12,500.00 for Kitchen Chemistry")


def test_a_regional_variant_reads_its_languages_catalog_with_its_own_formats():
    worded = GettextWording().word("payment_succeeded", PAID, reader("fr-CA"))

    assert worded.message.startswith("Nous avons bien reçu 12\u00a0500,00\u00a0NGN")


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "NGN12,500.00"), ("fr", "12\u202f500,00\u00a0NGN"), ("yo", "₦12,500.00")],
)
def test_an_amount_in_kobo_is_written_in_naira_for_the_readers_locale(language, written):
    worded = GettextWording().word("payment_succeeded", PAID, reader(language))

    assert written in worded.message


def test_a_due_time_is_given_in_the_readers_time_zone_and_language():
    values = SAMPLES | {"due": datetime(2025, 3, 4, 17, 30, tzinfo=UTC)}

    worded = GettextWording().word("review_assigned", values, reader("fr", "Africa/Lagos"))

    assert "avant le 4 mars 2025, 18:30 (Africa/Lagos)." in worded.message


def test_a_day_is_the_one_it_was_in_the_readers_time_zone():
    values = {"course": "Kitchen Chemistry", "since": Day(datetime(2025, 3, 4, 23, 30, tzinfo=UTC))}

    worded = GettextWording().word("course_reminder", values, reader("en", "Africa/Lagos"))

    assert "since March 5, 2025." in worded.message


def test_a_rating_is_written_with_the_locales_decimal_mark():
    worded = GettextWording().word("review_received", SAMPLES, reader("fr"))

    assert worded.message.endswith("lui a attribué la note de 4,5.")


def test_a_message_missing_from_a_catalog_is_sent_in_english(tmp_path: Path):
    folder = catalog(
        tmp_path, "fr", 'msgid "Welcome to {course}"\nmsgstr "Bienvenue dans {course}"\n'
    )

    worded = GettextWording(folder).word("enrollment_welcome", WELCOME, reader("fr"))

    assert worded.subject == "Bienvenue dans Kitchen Chemistry"
    assert worded.message.startswith("Hi Ada, you are enrolled in Kitchen Chemistry.")


def test_an_empty_translation_is_sent_in_english_never_empty(tmp_path: Path):
    folder = catalog(tmp_path, "fr", 'msgid "Welcome to {course}"\nmsgstr ""\n')

    worded = GettextWording(folder).word("enrollment_welcome", WELCOME, reader("fr"))

    assert worded.subject == "Welcome to Kitchen Chemistry"


def test_a_fuzzy_translation_is_sent_in_english(tmp_path: Path):
    entry = '#, fuzzy\nmsgid "Welcome to {course}"\nmsgstr "Bienvenu à {course}"\n'
    folder = catalog(tmp_path, "fr", entry)

    worded = GettextWording(folder).word("enrollment_welcome", WELCOME, reader("fr"))

    assert worded.subject == "Welcome to Kitchen Chemistry"


def test_a_translation_naming_a_value_it_is_not_given_is_sent_in_english(tmp_path: Path):
    folder = catalog(tmp_path, "fr", 'msgid "Welcome to {course}"\nmsgstr "Bienvenue {cours}"\n')

    worded = GettextWording(folder).word("enrollment_welcome", WELCOME, reader("fr"))

    assert worded.subject == "Welcome to Kitchen Chemistry"


def test_an_admins_message_is_kept_as_typed_in_every_language():
    for language in ("en", "fr", "yo"):
        worded = GettextWording().word("announcement", {"message": "{a} ñ"}, reader(language))
        assert worded.message == "{a} ñ"


@pytest.mark.parametrize("language", ["en", "fr", "yo"])
@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_notice_reads_in_every_language_with_every_value_filled(kind, language):
    worded = GettextWording().word(kind, SAMPLES, reader(language, "Africa/Lagos"))

    assert worded.subject.strip() and worded.message.strip()
    assert "{" not in worded.subject + worded.message
