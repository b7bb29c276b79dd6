"""Queries on the certificate templates read model: a page of templates, one template, and the
design of one revision, as a certificate issued with it renders."""

from __future__ import annotations

from typing import Any

from pydantic.alias_generators import to_snake
from sqlalchemy import Connection, RowMapping, func, select

from domain.courses.certificate_design import Design
from projections.certificate_templates import certificate_template_revisions as revisions
from projections.certificate_templates import certificate_templates as templates
from schemas.certificate_templates import TemplatePage, TemplateView

IMAGE_REF = ("courseId", "mediaId")  # what an answer shows of an image: never where it is stored


def template_page(conn: Connection, page: int, page_size: int) -> TemplatePage:
    total = conn.execute(select(func.count()).select_from(templates)).scalar_one()
    rows = conn.execute(
        select(templates)
        .order_by(templates.c.created_at.desc(), templates.c.template_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).mappings()
    return TemplatePage(
        templates=[answer_of(r) for r in rows], page=page, page_size=page_size, total=total
    )


def template_row(conn: Connection, template_id: str) -> RowMapping | None:
    found = conn.execute(select(templates).where(templates.c.template_id == template_id))
    return found.mappings().first()


def revision_design(conn: Connection, template_id: str, revision: int) -> Design | None:
    found = conn.execute(
        select(revisions.c.design).where(
            revisions.c.template_id == template_id, revisions.c.revision == revision
        )
    ).scalar_one_or_none()
    return design_of(found) if found is not None else None


def answer_of(row: RowMapping) -> TemplateView:
    design = dict(row["design"])
    shown = {
        "logo": image_ref(design.get("logo")),
        "signatures": [s | {"image": image_ref(s.get("image"))} for s in design["signatures"]],
    }
    return TemplateView.model_validate(
        design
        | shown
        | {
            "templateId": row["template_id"],
            "name": row["name"],
            "revision": row["revision"],
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
        }
    )


def image_ref(image: dict[str, Any] | None) -> dict[str, Any] | None:
    return {k: image[k] for k in IMAGE_REF} if image else None


def design_of(document: dict[str, Any]) -> Design:
    """The design as the domain holds it, from the published (camelCase) document."""
    return Design.from_dict(snake(document))


def snake(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_snake(k): snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value
