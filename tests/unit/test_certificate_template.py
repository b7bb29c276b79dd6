"""Certificate templates in the domain: what a design may hold, how its placeholders fill in,
revisions numbered from 1, and the courses and certificates that name them."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from domain.courses.certificate_design import (
    DEFAULT_COLOURS,
    Design,
    InvalidTemplateError,
    Signature,
    filled,
)
from domain.courses.certificate_template import CertificateTemplate
from domain.courses.course import Course
from domain.courses.media_files import Image, NotAnImageError
from domain.courses.media_library import MediaLibrary
from domain.learning.certificate import Certificate

ADMIN = uuid.uuid4()
LOGO = Image("c", "m", "courses/c/m", "image/png", 2_000)
DESIGN = Design(
    "Certificate of {course}",
    "Awarded to {learner} on {date} with a grade of {grade}.\nTaught by {instructor}.",
    dict(DEFAULT_COLOURS),
    "A4",
    "landscape",
    LOGO,
    (Signature("Bola Ade", "Dean", LOGO), Signature("Cy Obi", "Registrar")),
)


def refused(design: Design) -> str:
    with pytest.raises(InvalidTemplateError) as raised:
        design.checked()
    return str(raised.value)


def test_placeholders_fill_in_with_the_certificates_values() -> None:
    values = {"learner": "Ada", "course": "Python", "date": "1 May 2026", "grade": "100%"}
    assert filled("{learner} completed {course} ({grade})", values) == "Ada completed Python (100%)"


def test_an_unknown_placeholder_is_refused() -> None:
    assert "{learner}, {course}, {date}, {grade}, {instructor}" in refused(
        replace(DESIGN, body="Dear {name}")
    )


def test_a_placeholder_in_the_title_is_checked_too() -> None:
    assert "title" in refused(replace(DESIGN, title="{nickname}"))


def test_a_colour_must_be_hash_and_six_hex_digits() -> None:
    assert "#RRGGBB" in refused(replace(DESIGN, colours=DEFAULT_COLOURS | {"accent": "gold"}))


def test_every_colour_is_named() -> None:
    assert "colours" in refused(replace(DESIGN, colours={"primary": "#000000"}))


def test_only_a4_and_letter_in_portrait_or_landscape() -> None:
    assert "pageSize" in refused(replace(DESIGN, page_size="A3"))
    assert "orientation" in refused(replace(DESIGN, orientation="diagonal"))


def test_at_most_three_signatures() -> None:
    assert "signatures" in refused(replace(DESIGN, signatures=(Signature("A", "B"),) * 4))


def test_a_signature_needs_a_name() -> None:
    assert "signatures" in refused(replace(DESIGN, signatures=(Signature(" ", "Dean"),)))


def test_an_image_of_more_than_two_mebibytes_is_refused() -> None:
    assert "images" in refused(replace(DESIGN, logo=replace(LOGO, size=3 * 1024 * 1024)))


def test_a_design_reads_back_from_its_plain_data() -> None:
    assert Design.from_dict(DESIGN.as_dict()) == DESIGN


def test_a_new_template_is_revision_one_and_each_revision_the_next() -> None:
    template = CertificateTemplate.create("Classic", DESIGN, ADMIN)
    template.revise("Classic", replace(DESIGN, page_size="Letter"), ADMIN)
    assert template.revision == 2
    assert Design.from_dict(template.design).page_size == "Letter"


def test_a_template_needs_a_name() -> None:
    with pytest.raises(InvalidTemplateError):
        CertificateTemplate.create("  ", DESIGN, ADMIN)


def test_a_course_names_its_template_once_per_change() -> None:
    course = Course(ADMIN, "Python", "", "code", "Beginner", 60, 0, "NGN", None)
    course.assign_certificate_template("t-1")
    course.assign_certificate_template("t-1")
    course.assign_certificate_template(None)
    assigned = [e for e in course.collect_events() if type(e).__name__.endswith("Assigned")]
    assert [e.template_id for e in assigned] == ["t-1", None]


def test_a_media_library_knows_its_images_and_nothing_else() -> None:
    course_id, photo, video = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    library = MediaLibrary(course_id)
    library.add(photo, "image/png", "logo.png", 10, f"k/{photo}", ADMIN)
    library.add(video, "video/mp4", "intro.mp4", 10, f"k/{video}", ADMIN)
    assert library.image(photo).storage_key == f"k/{photo}"
    with pytest.raises(NotAnImageError):
        library.image(video)


def test_a_certificate_keeps_its_template_revision_when_reissued() -> None:
    template = (uuid.uuid4(), 3)
    ada, course = uuid.uuid4(), uuid.uuid4()
    certificate = Certificate.issue(
        uuid.uuid4(), ada, course, "Ada", "Python", "Bola", template=template, progress=1.0
    )
    certificate.reissue("Ada Obi")
    assert (certificate.template_id, certificate.template_revision) == template


def test_a_certificate_issued_before_templates_reads_as_the_default_layout() -> None:
    state = {"learner_name": "Ada"}
    Certificate.Issued.upcast_v1_v2(state)
    assert state == {"learner_name": "Ada", "template_id": None, "template_revision": None,
                     "progress": None}  # fmt: skip
