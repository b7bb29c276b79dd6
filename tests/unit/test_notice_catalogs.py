"""The shipped catalogs keep up with the English: every message translated, none left over,
the same values named, the diacritics composed, and the files packaged with Campus."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from infra.notifications import gettext_wording, messages

ROOT = Path(__file__).parents[2]
LANGUAGES = ["fr", "yo"]
PLACEHOLDER = re.compile(r"{(\w+)}")


def english() -> set[str]:
    """The texts marked for translation, found as ``pybabel extract`` finds them."""
    found = extract_from_file("python", messages.__file__, keywords={"N_": None})
    return {message for _, message, _, _ in found}


def shipped(language: str) -> Catalog:
    path = gettext_wording.LOCALES / language / "LC_MESSAGES" / "campus.po"
    with path.open("rb") as source:
        return read_po(source)


def translations(language: str) -> dict[str, str]:
    return {m.id: m.string for m in shipped(language) if m.id}


def test_the_english_texts_are_the_ones_notices_are_worded_from():
    worded = {text for pair in messages.TEMPLATES.values() for text in pair}

    assert english() == worded - {"{message}"}  # an admin's message is theirs, not ours


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalog = shipped(language)
    done = {m.id for m in catalog if m.id and m.string and not m.fuzzy}

    assert english() - done == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalog_keeps_a_message_campus_no_longer_sends(language):
    assert set(translations(language)) - english() == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_names_the_values_its_english_names(language):
    differ = {
        english_text: text
        for english_text, text in translations(language).items()
        if set(PLACEHOLDER.findall(english_text)) != set(PLACEHOLDER.findall(text))
    }

    assert differ == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_accented_letters_are_composed_so_they_compare_and_render_alike(language):
    decomposed = [
        t for t in translations(language).values() if not unicodedata.is_normalized("NFC", t)
    ]

    assert decomposed == []


def test_the_catalogs_are_installed_with_the_package():
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setup["package-data"]["infra"]
    infra = ROOT / "infra"

    for po in gettext_wording.LOCALES.rglob("*.po"):
        assert any(po.relative_to(infra).match(p) for p in patterns), po
