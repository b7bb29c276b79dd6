"""Certificate templates (admins): design one, revise it (a new revision; certificates already
issued keep theirs), and assign one to a course (or none: the default certificate)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from commands.courses.assign_certificate_template import AssignCertificateTemplate
from commands.courses.design_certificate_template import (
    CreateCertificateTemplate,
    MediaRef,
    ReviseCertificateTemplate,
    SignatureDraft,
    TemplateDraft,
    TemplateRevision,
)
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from schemas.certificate_templates import MediaRef as MediaRefBody
from schemas.certificate_templates import (
    TemplateAssignedResponse,
    TemplateAssignmentRequest,
    TemplateDesignRequest,
    TemplateSavedResponse,
)
from write_api.courses import actor
from write_api.deps import Bus

router = APIRouter(tags=["admin"])
TEMPLATES = "/api/admin/certificate-templates"


def drafted(body: TemplateDesignRequest) -> TemplateDraft:
    return TemplateDraft(
        body.name,
        body.title,
        body.body,
        body.colours.model_dump(),
        body.page_size,
        body.orientation,
        ref(body.logo),
        tuple(SignatureDraft(s.name, s.title, ref(s.image)) for s in body.signatures),
    )


def ref(media: MediaRefBody | None) -> MediaRef | None:
    return (media.course_id, media.media_id) if media else None


def saved(template: TemplateRevision, message: str, status_code: int = 200) -> EnvelopeResponse:
    answer = TemplateSavedResponse(
        template_id=str(template.id), revision=template.revision, message=message
    )
    return success(answer.model_dump(by_alias=True), status_code)


@router.post(TEMPLATES, status_code=201, responses=documented(TemplateSavedResponse, 201))
def create_template(body: TemplateDesignRequest, user: AdminUser, bus: Bus) -> EnvelopeResponse:
    """Design a certificate template (admins): revision 1."""
    template = bus.handle(CreateCertificateTemplate(actor(user), drafted(body)))
    return saved(template, "Certificate template created", 201)


@router.put(TEMPLATES + "/{template_id}", responses=documented(TemplateSavedResponse))
def revise_template(
    template_id: UUID, body: TemplateDesignRequest, user: AdminUser, bus: Bus
) -> EnvelopeResponse:
    """Revise a certificate template: its next revision, for certificates issued from now on."""
    template = bus.handle(ReviseCertificateTemplate(actor(user), template_id, drafted(body)))
    return saved(template, "Certificate template revised")


@router.put(
    "/api/admin/courses/{course_id}/certificate-template",
    responses=documented(TemplateAssignedResponse),
)
def assign_template(
    course_id: UUID, body: TemplateAssignmentRequest, user: AdminUser, bus: Bus
) -> EnvelopeResponse:
    """Choose the template of a course's certificates (null: the default certificate)."""
    bus.handle(AssignCertificateTemplate(actor(user), course_id, body.template_id))
    answer = TemplateAssignedResponse(
        course_id=str(course_id),
        template_id=str(body.template_id) if body.template_id else None,
        message="Certificate template assigned",
    )
    return success(answer.model_dump(by_alias=True))
