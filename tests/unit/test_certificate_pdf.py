"""The certificate PDF: real, extractable text in any name, the same bytes for the same inputs,
and a font to fall back on when the system has no DejaVu."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from infra.certificates import pdf
from infra.certificates.pdf import render_certificate
from infra.certificates.values import long_date

URL = "https://campus.example.com/api/certificates/verify/CMP-7K3Q-9XPA-2MRT"


def render(**fields: object) -> bytes:
    return render_certificate(
        **{
            "learner_name": "Zoë Ørsted",
            "course_title": "Données et Python",
            "instructor_name": "Bola Ade",
            "awarded_at": datetime(2026, 11, 28, 15, tzinfo=UTC),
            "unique_id": "CMP-7K3Q-9XPA-2MRT",
            "verification_url": URL,
        }
        | fields
    )


def text_of(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.fixture
def without_system_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pdf.fonts.cache_clear()
    monkeypatch.setattr(pdf, "SYSTEM_FONTS", Path("/nonexistent"))
    yield
    pdf.fonts.cache_clear()


def test_the_certificate_shows_every_detail_as_text() -> None:
    text = text_of(render())
    for shown in (
        "Certificate of Completion",
        "Zoë Ørsted",
        "has completed",
        "Données et Python",
        "Bola Ade",
        "28 November 2026",
        "CMP-7K3Q-9XPA-2MRT",
        URL,
    ):
        assert shown in text
    assert "REVOKED" not in text


def test_a_revoked_certificate_is_stamped() -> None:
    assert "REVOKED" in text_of(render(revoked=True))


def test_the_same_certificate_renders_to_the_same_bytes() -> None:
    assert render() == render()
    assert render() != render(learner_name="Zoe Orsted")


def test_the_date_is_the_day_in_utc_in_english() -> None:
    lagos = timezone(timedelta(hours=1))
    assert long_date(datetime(2026, 11, 29, 0, 30, tzinfo=lagos)) == "28 November 2026"
    assert long_date(datetime(2025, 1, 5, 9)) == "5 January 2025"


@pytest.mark.parametrize(
    "name", ["Adébáyọ̀ Ọlánrewájú", "Łukasz Żółć", "李小龙", "Ada 🎓", "Zoe\u0308 Ørsted", ""]
)
def test_any_name_renders_without_error(name: str) -> None:
    assert "Certificate of Completion" in text_of(render(learner_name=name))


def test_a_decomposed_accent_is_written_precomposed() -> None:
    assert "Zoë Ørsted" in text_of(render(learner_name="Zoe\u0308 Ørsted"))


def test_long_names_and_titles_shrink_to_fit_the_page() -> None:
    text = text_of(render(learner_name="Ada " * 50, course_title="Python " * 40))
    assert "Certificate of Completion" in text


@pytest.mark.usefixtures("without_system_fonts")
def test_reportlabs_own_font_serves_latin_names_when_the_system_has_none() -> None:
    assert pdf.fonts().regular == "Certificate-Vera"
    assert "Zoë Ørsted" in text_of(render())
    assert "Certificate of Completion" in text_of(render(learner_name="Adébáyọ̀ Ọlánrewájú"))
