"""Certificate templates (admin): the design an admin sends and reads back, a page of them, and
a course's assignment. Images are media of a course's library, named by course and media id.

Placeholders in ``title`` and ``body``: ``{learner}``, ``{course}``, ``{date}`` (of completion,
or of a manual issue), ``{grade}`` (the learner's progress in the course when the certificate
was issued, ``100%`` for a completed course; ``—`` without an enrollment) and ``{instructor}``.
A body line that is one placeholder alone is set large. Colours are ``#RRGGBB``.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from schemas.base import CamelModel, Moment

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
DEFAULT_BODY = "This certifies that\n{learner}\nhas completed\n{course}\non {date}"


class MediaRef(CamelModel):
    course_id: UUID
    media_id: UUID


class SignatureDesign(CamelModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] = ""
    image: MediaRef | None = None


class Colours(CamelModel):
    primary: Colour = "#1F2A44"  # title, featured lines and the frame
    accent: Colour = "#B08D57"  # the inner frame and the rule under the title
    text: Colour = "#5B6270"  # the body and the signatures' titles


class TemplateDesign(CamelModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)] = (
        "Certificate of Completion"
    )
    body: Annotated[str, StringConstraints(max_length=1000)] = DEFAULT_BODY
    colours: Colours = Field(default_factory=Colours)
    page_size: Literal["A4", "Letter"] = "A4"
    orientation: Literal["portrait", "landscape"] = "landscape"
    logo: MediaRef | None = None
    signatures: Annotated[list[SignatureDesign], Field(max_length=3)] = []


# The admin's body; TemplateDesign stays the plain base that TemplateView shares. No docstring:
# it would become a description in the published contract.
class TemplateDesignRequest(TemplateDesign):
    pass


class TemplateView(TemplateDesign):
    template_id: str
    revision: int
    created_at: Moment
    updated_at: Moment


class TemplatePage(CamelModel):
    templates: list[TemplateView]
    page: int
    page_size: int
    total: int


class TemplateSavedResponse(CamelModel):
    template_id: str
    revision: int
    message: str


class TemplateAssignmentRequest(CamelModel):
    template_id: UUID | None  # null: the default certificate


class TemplateAssignedResponse(CamelModel):
    course_id: str
    template_id: str | None
    message: str
