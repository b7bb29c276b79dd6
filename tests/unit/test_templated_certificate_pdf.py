"""A certificate drawn from its template: the page it asks for, its placeholders filled in,
images shown or left out when unreadable, the same bytes for the same inputs."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

from PIL import Image as Picture
from pypdf import PdfReader

from domain.courses.certificate_design import DEFAULT_COLOURS, Design, Signature
from domain.courses.media_files import Image
from infra.certificates.templated import render_templated_certificate
from infra.certificates.values import grade_of, values_of

URL = "https://campus.example.com/api/certificates/verify/CMP-7K3Q-9XPA-2MRT"
AWARDED = datetime(2026, 11, 28, tzinfo=UTC)
VALUES = values_of("Zoë Ørsted", "Données et Python", "Bola Ade", AWARDED, 1.0)


def png() -> bytes:
    out = io.BytesIO()
    Picture.new("RGB", (40, 20), (15, 76, 129)).save(out, "PNG")
    return out.getvalue()


LOGO = Image("c", "logo", "courses/c/logo", "image/png", len(png()))
DESIGN = Design(
    "Certificate of {course}",
    "Awarded to\n{learner}\non {date} with a grade of {grade}, taught by {instructor}.",
    dict(DEFAULT_COLOURS),
    "Letter",
    "portrait",
    LOGO,
    (Signature("Bola Ade", "Dean", LOGO), Signature("Cy Obi", "Registrar")),
)


def render(design: Design = DESIGN, images: dict[str, bytes] | None = None) -> bytes:
    return render_templated_certificate(
        design=design,
        values=VALUES,
        images={"logo": png()} if images is None else images,
        unique_id="CMP-7K3Q-9XPA-2MRT",
        verification_url=URL,
    )


def page_of(document: bytes):
    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    return reader.pages[0]


def test_the_placeholders_show_the_certificates_values() -> None:
    text = page_of(render()).extract_text()
    shown = ("Certificate of Données et", "Zoë Ørsted", "28 November 2026", "grade of 100%")
    for detail in (*shown, "Bola Ade", "Dean", "Cy Obi", "Registrar", "CMP-7K3Q-9XPA-2MRT", URL):
        assert detail in text


def test_the_page_is_the_size_and_orientation_the_template_asks_for() -> None:
    assert [float(x) for x in page_of(render()).mediabox[2:]] == [612, 792]
    a4 = page_of(render(replace(DESIGN, page_size="A4", orientation="landscape")))
    assert [round(float(x)) for x in a4.mediabox[2:]] == [842, 595]


def test_the_same_certificate_renders_to_the_same_bytes() -> None:
    assert render() == render()


def test_an_image_is_embedded_once_wherever_it_shows() -> None:
    assert len(page_of(render()).images) == 1  # the logo, which is the dean's signature too


def test_an_unreadable_image_is_left_out_and_the_certificate_still_renders() -> None:
    page = page_of(render(images={"logo": b"not a picture"}))
    assert len(page.images) == 0 and "Zoë Ørsted" in page.extract_text()


def test_a_body_far_too_long_for_one_line_wraps_and_keeps_every_word() -> None:
    words = " ".join(f"word{i}" for i in range(150))
    text = page_of(render(replace(DESIGN, body=words))).extract_text()
    assert all(f"word{i}" in text for i in range(150))


def test_the_grade_is_the_share_of_the_course_completed_or_a_dash() -> None:
    assert (grade_of(1.0), grade_of(0.456), grade_of(None)) == ("100%", "46%", "—")


def test_a_value_with_a_line_break_keeps_every_word_of_the_body() -> None:
    values = values_of("Zoë Ørsted", "Données", "Bola\nAde-Okoro", AWARDED, 1.0)
    document = render_templated_certificate(
        design=DESIGN, values=values, images={}, unique_id="CMP-1", verification_url=URL
    )
    assert "Ade-Okoro." in page_of(document).extract_text()  # its paragraph was dropped
