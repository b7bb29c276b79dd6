"""The certificate templates read model: each template as revised last, for the admins' list,
and every revision it ever had, so a certificate renders with the revision it was issued with.

A design is kept as the published event holds it (camelCase, with where each image's bytes
are); the read API answers it without the storage keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    insert,
)

from projections.batch import TableBatch
from projections.metadata import metadata
from schemas.events import PublishedEvent
from schemas.published.catalog import CertificateTemplateCreated, CertificateTemplateRevised

certificate_templates = Table(
    "certificate_templates",
    metadata,
    Column("template_id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("design", JSON, nullable=False),
    Column("created_by", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # Serves the list, newest first.
    Index("ix_certificate_templates_created", "created_at"),
)

certificate_template_revisions = Table(
    "certificate_template_revisions",
    metadata,
    Column("template_id", String(36), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("design", JSON, nullable=False),
    Column("revised_by", String(36), nullable=False),
    Column("revised_at", DateTime(timezone=True), nullable=False),
)


def created(event: PublishedEvent) -> dict[str, Any]:
    data = CertificateTemplateCreated.of(event)
    return {
        "template_id": event.aggregate_id,
        "name": data.name,
        "revision": 1,
        "design": data.design,
        "created_by": data.created_by,
        "created_at": event.timestamp,
        "updated_at": event.timestamp,
        "version": event.aggregate_version,
    }


def revision(event: PublishedEvent) -> dict[str, Any]:
    """The template's revision ``event`` made: the first when it created the template."""
    if event.event_type == CertificateTemplateCreated.NAME:
        first = CertificateTemplateCreated.of(event)
        number, name, design, author = 1, first.name, first.design, first.created_by
    else:
        later = CertificateTemplateRevised.of(event)
        number, name, design, author = later.revision, later.name, later.design, later.revised_by
    return {
        "template_id": event.aggregate_id,
        "revision": number,
        "name": name,
        "design": design,
        "revised_by": author,
        "revised_at": event.timestamp,
    }


class CertificateTemplatesProjection:
    name = "certificate_templates"
    tables = (certificate_templates, certificate_template_revisions)

    def process(self, events: Sequence[PublishedEvent], conn: Connection) -> None:
        templates, revisions = TableBatch(certificate_templates, key="template_id"), []
        for event in events:
            if event.event_type == CertificateTemplateCreated.NAME:
                templates.insert(created(event))
            elif event.event_type == CertificateTemplateRevised.NAME:
                latest = revision(event)
                templates.update(
                    event.aggregate_id,
                    {k: latest[k] for k in ("name", "design", "revision")}
                    | {"updated_at": event.timestamp, "version": event.aggregate_version},
                )
            else:
                continue
            revisions.append(revision(event))
        templates.flush(conn)
        if revisions:
            conn.execute(insert(certificate_template_revisions), revisions)
