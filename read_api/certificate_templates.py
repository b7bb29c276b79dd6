"""Certificate templates (admins): the list, one template as revised last, and a preview of it
as a PDF filled with sample values. Also how any certificate with a template is drawn: with the
images of the media store that its design names."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from domain.courses.certificate_design import CertificateTemplateNotFoundError, Design
from infra.certificates.values import values_of
from infra.web.auth import AdminUser
from infra.web.documentation import documented
from infra.web.envelope import EnvelopeResponse, success
from read_api.consistency import consistent_with
from read_api.deps import Page, PageSize, ReadDb
from read_api.queries.certificate_templates import (
    answer_of,
    design_of,
    template_page,
    template_row,
)
from schemas.certificate_templates import TemplatePage, TemplateView

log = logging.getLogger("campus.certificates")
router = APIRouter(tags=["admin"])
Fresh = Depends(consistent_with("certificate_templates"))
TEMPLATES = "/api/admin/certificate-templates"
PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
SAMPLE_ID = "CMP-SAMP-LE00-0000"


@router.get(TEMPLATES, dependencies=[Fresh], responses=documented(TemplatePage))
def list_templates(
    _: AdminUser, db: ReadDb, page: Page = 1, page_size: PageSize = 20
) -> EnvelopeResponse:
    """Every certificate template, newest first, each as revised last."""
    return success(template_page(db, page, page_size))


@router.get(TEMPLATES + "/{template_id}", dependencies=[Fresh], responses=documented(TemplateView))
def get_template(template_id: UUID, _: AdminUser, db: ReadDb) -> EnvelopeResponse:
    """One certificate template as revised last."""
    row = template_row(db, str(template_id))
    if row is None:
        raise CertificateTemplateNotFoundError
    return success(answer_of(row))


@router.get(
    TEMPLATES + "/{template_id}/preview",
    dependencies=[Fresh],
    response_class=Response,
    responses=documented() | {200: {"description": "A sample certificate as a PDF", **PDF}},
)
def preview_template(template_id: UUID, request: Request, _: AdminUser) -> Response:
    """A certificate drawn from the template's last revision with sample values, as a PDF."""
    with request.app.state.read_engine.connect() as db:
        row = template_row(db, str(template_id))
    if row is None:
        raise CertificateTemplateNotFoundError
    sample = values_of(
        "Ada Lovelace", "Introduction to Data Science", "Grace Hopper", datetime.now(UTC), 1.0
    )
    base = request.app.state.settings.public_base_url.rstrip("/")
    pdf = rendered(request, design_of(row["design"]), sample, SAMPLE_ID, base, False)
    headers = {"Content-Disposition": "inline; filename=preview.pdf"}
    return Response(pdf, media_type="application/pdf", headers=headers)


def rendered(
    request: Request,
    design: Design,
    values: dict[str, str],
    unique_id: str,
    base: str,
    revoked: bool,
) -> bytes:
    """The certificate drawn from ``design``; ``base``: the public URL verification starts with."""
    # Imported by the first certificate drawn from a template: it loads reportlab.
    from infra.certificates.templated import render_templated_certificate

    return render_templated_certificate(
        design=design,
        values=values,
        images=images_of(request, design),
        unique_id=unique_id,
        verification_url=f"{base}/api/certificates/verify/{unique_id}",
        revoked=revoked,
    )


def images_of(request: Request, design: Design) -> dict[str, bytes]:
    """The bytes of each image the design shows, by media id; one gone from the store is left
    out of the certificate rather than failing it."""
    blobs, found = request.app.state.blobs, {}
    for image in design.images():
        try:
            found[image.media_id] = b"".join(blobs.open_range(image.storage_key, 0, image.size - 1))
        except Exception as error:  # a store that fails us costs the image, not the PDF
            log.warning("certificate image %s left out: %r", image.media_id, error)
    return found
