"""Admins choose the certificate template a course's certificates are issued with (or none:
the default layout). Certificates already issued keep the template they were issued with."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Catalog
from domain.actor import Actor
from domain.errors import ForbiddenError


@dataclass(frozen=True)
class AssignCertificateTemplate:
    actor: Actor
    course_id: UUID
    template_id: UUID | None


def assign_certificate_template(cmd: AssignCertificateTemplate, catalog: Catalog) -> None:
    if not cmd.actor.is_admin:
        raise ForbiddenError("Only admins assign certificate templates")
    course = catalog.get_course(cmd.course_id)
    if cmd.template_id is not None:
        catalog.get_certificate_template(cmd.template_id)  # 404 when there is none
    course.assign_certificate_template(str(cmd.template_id) if cmd.template_id else None)
    catalog.save(course)
