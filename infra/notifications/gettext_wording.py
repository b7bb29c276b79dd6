"""Notices worded from gettext catalogs (Babel), with numbers, money and dates in the reader's
locale.

The catalogs are the ``.po`` files under ``locales/``, compiled in memory the first time a
language is asked for: nothing to build after a clone, and nothing compiled to fall out of step
with its source. A reader's language tag picks a catalog: ``fr-CA`` reads the ``fr_CA`` one if
it exists, else ``fr``; a language with no catalog (or no tag Babel knows) reads English, and
its amounts and dates are written as English writes them, so one message never mixes two
languages. A text a catalog lacks, leaves empty, marks fuzzy, or words with placeholders the
English lacks, is given in English.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_precision

from commands.notifications.wording import Day, Money, Value, Worded
from domain.users.preferences import Preferences
from infra.notifications.messages import TEMPLATES

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "campus"
ENGLISH = Locale("en")
log = logging.getLogger("campus.notifications")


class GettextWording:
    """Words notices from the catalogs in ``folder`` (one ``<lang>/LC_MESSAGES/campus.po``
    per language), each read once, when first needed."""

    def __init__(self, folder: Path = LOCALES) -> None:
        self.folder = folder
        self.catalogs: dict[str, gettext.NullTranslations] = {}
        self.locales: dict[str, Locale] = {}  # by language tag: parsed and looked up once

    def word(self, kind: str, values: Mapping[str, Value], reader: Preferences) -> Worded:
        locale = self.locale_of(reader.language)
        zone = ZoneInfo(reader.timezone)
        written = {name: written_as(value, locale, zone) for name, value in values.items()}
        subject, message = TEMPLATES[kind]
        catalog = self.catalog(locale)
        return Worded(fill(catalog, subject, written), fill(catalog, message, written))

    def locale_of(self, language: str) -> Locale:
        """The reader's locale if a catalog speaks its language, else English."""
        if language not in self.locales:
            self.locales[language] = self.found_locale(language)
        return self.locales[language]

    def found_locale(self, language: str) -> Locale:
        try:
            locale = Locale.parse(language, sep="-")
        except (ValueError, UnknownLocaleError):
            return ENGLISH
        return locale if self.po_file(locale) or locale.language == "en" else ENGLISH

    def po_file(self, locale: Locale) -> Path | None:
        for name in (str(locale), locale.language):
            path = self.folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                return path
        return None

    def catalog(self, locale: Locale) -> gettext.NullTranslations:
        key = str(locale)
        if key not in self.catalogs:  # two threads may both read it: the same result
            path = self.po_file(locale)
            self.catalogs[key] = compiled(path) if path else gettext.NullTranslations()
        return self.catalogs[key]


def written_as(value: Value, locale: Locale, zone: ZoneInfo) -> str:
    match value:
        case Money(amount=amount, currency=currency):
            major = Decimal(amount).scaleb(-get_currency_precision(currency))
            return format_currency(major, currency, locale=locale)
        case Day(moment=moment):
            return format_date(moment.astimezone(zone).date(), "long", locale=locale)
        case datetime():
            return moment_in(value.astimezone(zone), locale)
        case date():
            return format_date(value, "long", locale=locale)
        case bool() | str():
            return str(value)
        case int() | float() | Decimal():
            return format_decimal(value, locale=locale)
    return str(value)


def moment_in(moment: datetime, locale: Locale) -> str:
    """Day and time as the locale joins them ("March 4, 2025, 6:30 PM"), then the zone."""
    day = format_date(moment, "long", locale=locale)
    time = format_time(moment, "short", locale=locale)
    joined = get_datetime_format("long", locale=locale).replace("'", "")
    return f"{joined.replace('{1}', day).replace('{0}', time)} ({moment.tzinfo})"


def compiled(path: Path) -> gettext.GNUTranslations:
    """The ``.po`` file as gettext reads a ``.mo``: untranslated and fuzzy entries left out,
    so their English stands."""
    with path.open("rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def fill(catalog: gettext.NullTranslations, english: str, values: Mapping[str, str]) -> str:
    translated = catalog.gettext(english)
    try:
        return translated.format_map(values)
    except (KeyError, IndexError, ValueError):  # a translation naming a value we do not give
        log.warning("the translation of %r names values it is not given; sent in English", english)
        return english.format_map(values)
