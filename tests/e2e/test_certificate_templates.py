"""Certificate templates end to end, on both backends: admins design a template with images of
the media store, preview it, assign it to a course, and that course's certificates are drawn
from the revision they were issued with, through re-issues and later revisions alike."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import Response
from PIL import Image
from pypdf import PdfReader

from projections.certificate_templates import certificate_template_revisions
from projections.rebuild import rebuild
from tests.api import admin_token, bearer, data, error, token_for
from tests.conftest import Running
from tests.learning import Course, Learner, graduate, published_course
from tests.media import uploaded

TEMPLATES = "/api/admin/certificate-templates"
BODY = "Awarded to\n{learner}\nfor {course}, taught by {instructor}, on {date}. Grade: {grade}."


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), colour).save(out, "PNG")
    return out.getvalue()


@dataclass
class Studio:
    """A running Campus with an admin, a published course and two images in its library."""

    running: Running
    admin: str
    course: Course
    logo: dict[str, str]
    signature: dict[str, str]

    @property
    def client(self):
        return self.running.client

    def design(self, **fields: Any) -> dict[str, Any]:
        return {
            "name": "Academy",
            "title": "Certificate of Achievement",
            "body": BODY,
            "colours": {"primary": "#0F4C81", "accent": "#F2A900", "text": "#444444"},
            "pageSize": "A4",
            "orientation": "landscape",
            "logo": self.logo,
            "signatures": [
                {"name": "Bola Ade", "title": "Lead Instructor", "image": self.signature},
                {"name": "Cy Obi", "title": "Registrar", "image": None},
            ],
        } | fields

    def send(self, method: str, path: str, body: dict[str, Any], token: str = "") -> Response:
        return self.client.request(method, path, json=body, headers=bearer(token or self.admin))

    def create(self, **fields: Any) -> str:
        answer = self.send("POST", TEMPLATES, self.design(**fields))
        assert answer.status_code == 201, answer.text
        return data(answer)["templateId"]

    def revise(self, template_id: str, **fields: Any) -> dict[str, Any]:
        answer = self.send("PUT", f"{TEMPLATES}/{template_id}", self.design(**fields))
        assert answer.status_code == 200, answer.text
        return data(answer)

    def assign(self, template_id: str | None, course_id: str = "") -> Response:
        path = f"/api/admin/courses/{course_id or self.course.id}/certificate-template"
        return self.send("PUT", path, {"templateId": template_id})

    def certificate(self, student: Learner) -> dict[str, Any]:
        answer = student.wrote(
            self.client.post(
                "/api/certificates/generate",
                json={"courseId": self.course.id},
                headers=bearer(student.token),
            )
        )
        assert answer.status_code == 201, answer.text
        return data(answer)

    def download(self, certificate: dict[str, Any], student: Learner) -> PdfReader:
        return pdf_of(self.client.get(certificate["certificateUrl"], headers=student.headers()))


def pdf_of(response: Response) -> PdfReader:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return " ".join(reader.pages[0].extract_text().split())  # wrapped lines read as one


def size_of(reader: PdfReader) -> tuple[int, int]:
    width, height = reader.pages[0].mediabox[2:]
    return round(float(width)), round(float(height))


@pytest.fixture
def studio(backend: Running) -> Studio:
    admin = admin_token(backend)
    course = published_course(backend.client, admin, title="Data Science")
    images = [
        uploaded(
            backend.client,
            admin,
            course.id,
            content=png(colour),
            content_type="image/png",
            filename=f"{name}.png",
        )
        for name, colour in (("logo", (15, 76, 129)), ("signature", (20, 20, 90)))
    ]
    logo, signature = ({"courseId": course.id, "mediaId": i["mediaId"]} for i in images)
    return Studio(backend, admin, course, logo, signature)


def test_an_admin_designs_a_template_and_reads_it_back(studio: Studio) -> None:
    template_id = studio.create()

    seen = data(studio.client.get(f"{TEMPLATES}/{template_id}", headers=bearer(studio.admin)))
    assert seen == studio.design() | {
        "templateId": template_id,
        "revision": 1,
        "createdAt": seen["createdAt"],
        "updatedAt": seen["updatedAt"],
    }
    listed = data(studio.client.get(TEMPLATES, headers=bearer(studio.admin)))
    assert [t["templateId"] for t in listed["templates"]] == [template_id]
    assert listed["total"] == 1


def test_a_preview_is_a_pdf_of_the_template_with_sample_values(studio: Studio) -> None:
    template_id = studio.create(pageSize="Letter", orientation="portrait")

    preview = pdf_of(
        studio.client.get(f"{TEMPLATES}/{template_id}/preview", headers=bearer(studio.admin))
    )
    text = text_of(preview)
    assert "Certificate of Achievement" in text and "Ada Lovelace" in text
    assert "Grade: 100%" in text and "Bola Ade" in text and "Lead Instructor" in text
    assert size_of(preview) == (612, 792)
    assert len(preview.pages[0].images) == 2  # the logo and the signature


def test_a_course_with_a_template_issues_certificates_drawn_from_it(studio: Studio) -> None:
    template_id = studio.create()
    assert studio.assign(template_id).status_code == 200
    ada = graduate(studio.client, studio.admin, studio.course, name="Ada Obi")

    reader = studio.download(studio.certificate(ada), ada)
    text = text_of(reader)
    assert "Certificate of Achievement" in text and "Ada Obi" in text
    assert "for Data Science, taught by Admin" in text and "Grade: 100%." in text
    assert size_of(reader) == (842, 595)


def test_a_revision_leaves_certificates_already_issued_as_they_were(studio: Studio) -> None:
    template_id = studio.create()
    studio.assign(template_id)
    ada = graduate(studio.client, studio.admin, studio.course, name="Ada Obi")
    adas = studio.certificate(ada)

    revised = studio.revise(template_id, title="Diploma", pageSize="Letter")
    bob = graduate(studio.client, studio.admin, studio.course, name="Bob Eze")

    assert revised["revision"] == 2
    assert "Certificate of Achievement" in text_of(studio.download(adas, ada))
    bobs = studio.download(studio.certificate(bob), bob)
    assert "Diploma" in text_of(bobs) and size_of(bobs) == (792, 612)


def test_a_corrected_name_reissues_the_certificate_with_its_template_revision(
    studio: Studio,
) -> None:
    template_id = studio.create()
    studio.assign(template_id)
    ada = graduate(studio.client, studio.admin, studio.course, name="Ada Obi")
    issued = studio.certificate(ada)
    studio.revise(template_id, title="Diploma")

    renamed = studio.send("PUT", "/api/auth/user/profile", {"name": "Ada Obi-Eze"}, ada.token)
    ada.wrote(renamed)

    text = text_of(studio.download(issued, ada))
    assert "Ada Obi-Eze" in text and "Certificate of Achievement" in text
    mine = data(studio.client.get("/api/user/certificates", headers=ada.headers()))
    assert [c["uniqueId"] for c in mine["certificates"]] == [issued["uniqueId"]]


def test_a_course_back_on_no_template_issues_the_default_certificate(studio: Studio) -> None:
    studio.assign(studio.create())
    assert data(studio.assign(None))["templateId"] is None
    ada = graduate(studio.client, studio.admin, studio.course, name="Ada Obi")

    text = text_of(studio.download(studio.certificate(ada), ada))
    assert "Certificate of Completion" in text and "Data Science" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "Dear {nickname}"}, "body"),
        ({"colours": {"primary": "navy", "accent": "#F2A900", "text": "#444444"}}, "colours"),
        ({"pageSize": "A3"}, "pageSize"),
        ({"title": "x" * 121}, "title"),
    ],
)
def test_a_design_outside_the_rules_is_refused(studio: Studio, change: dict, field: str) -> None:
    refused = error(studio.send("POST", TEMPLATES, studio.design(**change)), 400)
    assert field in str(refused)


def test_a_logo_must_be_an_image_of_the_media_store(studio: Studio) -> None:
    video = uploaded(studio.client, studio.admin, studio.course.id)
    not_an_image = {"courseId": studio.course.id, "mediaId": video["mediaId"]}
    refused = error(studio.send("POST", TEMPLATES, studio.design(logo=not_an_image)), 400)
    assert refused["message"].endswith("is not an image of this course")
    elsewhere = {"courseId": "00000000-0000-4000-8000-000000000000", "mediaId": video["mediaId"]}
    error(studio.send("POST", TEMPLATES, studio.design(logo=elsewhere)), 400)


def test_templates_are_for_admins_alone(studio: Studio) -> None:
    instructor = token_for(studio.running, "instructor")
    error(studio.send("POST", TEMPLATES, studio.design(), instructor), 403)
    error(studio.client.get(TEMPLATES, headers=bearer(instructor)), 403)
    error(studio.send("PUT", f"/api/admin/courses/{studio.course.id}/certificate-template",
                      {"templateId": None}, instructor), 403)  # fmt: skip


def test_an_unknown_template_is_not_found(studio: Studio) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    assert error(studio.assign(unknown), 404)["message"] == "Certificate template not found"
    error(studio.send("PUT", f"{TEMPLATES}/{unknown}", studio.design()), 404)
    error(studio.client.get(f"{TEMPLATES}/{unknown}", headers=bearer(studio.admin)), 404)
    error(studio.client.get(f"{TEMPLATES}/{unknown}/preview", headers=bearer(studio.admin)), 404)


def test_a_rebuild_of_certificate_templates_equals_the_live_read_model(studio: Studio) -> None:
    template_id = studio.create()
    studio.revise(template_id, title="Diploma")
    studio.client.get(TEMPLATES, headers=bearer(studio.admin))  # waits until projected
    campus = studio.running.campus

    def rows() -> list[tuple]:
        with campus.read_engine.connect() as conn:
            return sorted(tuple(r) for r in conn.execute(certificate_template_revisions.select()))

    live = rows()
    assert [r[1] for r in live] == [1, 2]
    assert rebuild(campus.runner("certificate_templates"), list(campus.apps.values()), 100) > 0
    assert rows() == live
