"""The CertificateTemplate aggregate: how the certificates of the courses it is assigned to look.

An admin designs a template (title, body with placeholders, colours, logo, signatures, page
size and orientation) and revises it; each revision numbers a new version of the design. A
certificate records the template and the revision it was issued with, so revising a template
never changes a certificate already issued.

The template does not list its courses: a course names its template
(``Course.CertificateTemplateAssigned``). Issuing a certificate loads the course anyway, so
it finds the template there; a template shared by hundreds of courses stays a short history;
and assigning a template to a course never races with a revision of the template.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.courses.certificate_design import MAX_NAME, Design, check


class CertificateTemplate(Aggregate):
    """A certificate design with its revisions, numbered from 1."""

    @event("Created")
    def __init__(self, name: str, design: dict[str, Any], created_by: UUID) -> None:
        self.name, self.design, self.revision = name, design, 1

    @classmethod
    def create(cls, name: str, design: Design, created_by: UUID) -> CertificateTemplate:
        return cls(checked_name(name), design.checked().as_dict(), created_by)

    def revise(self, name: str, design: Design, revised_by: UUID) -> None:
        """A new revision: certificates issued with an earlier one keep it."""
        self._revise(checked_name(name), design.checked().as_dict(), self.revision + 1, revised_by)

    @event("Revised")
    def _revise(self, name: str, design: dict[str, Any], revision: int, revised_by: UUID) -> None:
        self.name, self.design, self.revision = name, design, revision


def checked_name(name: str) -> str:
    check(0 < len(name.strip()) <= MAX_NAME, "name", "1 to 100 characters")
    return name.strip()
