"""Admins design certificate templates: create one, or revise it into a new revision.

A draft names its images by course and media id; each must be an image of that course's media
library, read here from the event store, and the template keeps where its bytes are, so a
certificate renders from the template alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Catalog
from domain.actor import Actor
from domain.courses.certificate_design import Design, Signature
from domain.courses.certificate_template import CertificateTemplate
from domain.courses.media_files import Image, NotAnImageError
from domain.courses.media_library import MediaLibrary
from domain.errors import ForbiddenError

MediaRef = tuple[UUID, UUID]  # (course id, media id)


@dataclass(frozen=True)
class SignatureDraft:
    name: str
    title: str
    image: MediaRef | None = None


@dataclass(frozen=True)
class TemplateDraft:
    name: str
    title: str
    body: str
    colours: dict[str, str]
    page_size: str
    orientation: str
    logo: MediaRef | None = None
    signatures: tuple[SignatureDraft, ...] = ()


@dataclass(frozen=True)
class CreateCertificateTemplate:
    actor: Actor
    draft: TemplateDraft


@dataclass(frozen=True)
class ReviseCertificateTemplate:
    actor: Actor
    template_id: UUID
    draft: TemplateDraft


@dataclass(frozen=True)
class TemplateRevision:
    """A template as saved: its id and the revision this design became."""

    id: UUID
    revision: int


def create_certificate_template(
    cmd: CreateCertificateTemplate, catalog: Catalog
) -> TemplateRevision:
    ensure_admin(cmd.actor)
    template = CertificateTemplate.create(
        cmd.draft.name, designed(catalog, cmd.draft), cmd.actor.user_id
    )
    catalog.save(template)
    return TemplateRevision(template.id, template.revision)


def revise_certificate_template(
    cmd: ReviseCertificateTemplate, catalog: Catalog
) -> TemplateRevision:
    ensure_admin(cmd.actor)
    template = catalog.get_certificate_template(cmd.template_id)
    template.revise(cmd.draft.name, designed(catalog, cmd.draft), cmd.actor.user_id)
    catalog.save(template)
    return TemplateRevision(template.id, template.revision)


def ensure_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise ForbiddenError("Only admins design certificate templates")


def designed(catalog: Catalog, draft: TemplateDraft) -> Design:
    signatures = tuple(
        Signature(s.name, s.title, image(catalog, s.image) if s.image else None)
        for s in draft.signatures
    )
    logo = image(catalog, draft.logo) if draft.logo else None
    return Design(
        draft.title, draft.body, draft.colours, draft.page_size, draft.orientation, logo, signatures
    )


def image(catalog: Catalog, ref: MediaRef) -> Image:
    course_id, media_id = ref
    library: MediaLibrary | None = catalog.find(MediaLibrary.create_id(course_id))
    if library is None:
        raise NotAnImageError(f"Media {media_id} is not an image of this course")
    return library.image(media_id)
