"""The Certificate aggregate: proof that a learner completed a course, verifiable by anyone.

There is at most one certificate per enrollment (its id is derived from the enrollment's), so
generating twice answers the same certificate. Its ``unique_id`` is short enough to read out
(``CMP-7K3Q-9XPA-2MRT``) and derived from the id, so it never changes: a corrected learner name
re-issues the certificate under the same unique id, and a revoked one stays verifiable as
revoked. A certificate keeps the template revision it was issued with, re-issues included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.learning.certificate_terms import (
    CertificateRevokedError,
    unique_id_of,
)


class Certificate(Aggregate):
    @staticmethod
    def create_id(enrollment_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"campus:certificate:{enrollment_id}")

    class Issued(Aggregate.Created):
        """Version 2: the certificate template and revision it shows (None: the default
        layout) and the learner's progress in the course when issued (its grade); a
        certificate issued before had neither, and shows the default layout."""

        class_version = 2
        enrollment_id: UUID
        user_id: UUID
        course_id: UUID
        unique_id: str
        learner_name: str
        course_title: str
        instructor_name: str
        completed_at: datetime | None
        issued_by: UUID | None
        template_id: UUID | None
        template_revision: int | None
        progress: float | None
        personal_fields: ClassVar[frozenset[str]] = frozenset({"learner_name"})
        data_subject: ClassVar[str] = "user_id"

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["template_id"] = state["template_revision"] = state["progress"] = None

    class Reissued(Aggregate.Event):
        """Version 2: names the learner, whose key seals their name; a reissue before has
        no learner, and its name was stored in plain text."""

        class_version = 2
        learner_name: str
        edition: int
        user_id: UUID | None
        personal_fields: ClassVar[frozenset[str]] = frozenset({"learner_name"})
        data_subject: ClassVar[str] = "user_id"

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["user_id"] = None

    @event(Issued)
    def __init__(
        self,
        enrollment_id: UUID,
        user_id: UUID,
        course_id: UUID,
        unique_id: str,
        learner_name: str,
        course_title: str,
        instructor_name: str,
        completed_at: datetime | None,
        issued_by: UUID | None,
        template_id: UUID | None,
        template_revision: int | None,
        progress: float | None,
    ) -> None:
        self.enrollment_id, self.user_id, self.course_id = enrollment_id, user_id, course_id
        self.unique_id = unique_id
        self.learner_name, self.course_title = learner_name, course_title
        self.instructor_name, self.completed_at = instructor_name, completed_at
        self.issued_by = issued_by
        self.template_id, self.template_revision = template_id, template_revision
        self.progress = progress
        self.revoked = False
        self.edition = 1

    @classmethod
    def issue(
        cls,
        enrollment_id: UUID,
        user_id: UUID,
        course_id: UUID,
        learner_name: str,
        course_title: str,
        instructor_name: str,
        completed_at: datetime | None = None,
        issued_by: UUID | None = None,
        template: tuple[UUID, int] | None = None,
        progress: float | None = None,
    ) -> Certificate:
        """``issued_by`` names the admin of a manual issue; None: earned by completion.
        ``template``: the course's template and its current revision (None: the default
        layout); ``progress``: the learner's share of the course (None: not enrolled)."""
        template_id, template_revision = template or (None, None)
        return cls(
            enrollment_id,
            user_id,
            course_id,
            unique_id_of(Certificate.create_id(enrollment_id)),
            learner_name,
            course_title,
            instructor_name,
            completed_at,
            issued_by,
            template_id,
            template_revision,
            progress,
        )

    def reissue(self, learner_name: str) -> None:
        """The learner's name was corrected: a new edition under the same unique id."""
        if self.revoked:
            raise CertificateRevokedError
        if learner_name != self.learner_name:
            self._reissue(learner_name, self.edition + 1, self.user_id)

    @event(Reissued)
    def _reissue(self, learner_name: str, edition: int, user_id: UUID | None) -> None:
        self.learner_name, self.edition = learner_name, edition

    def revoke(self, reason: str, by: UUID) -> None:
        if not self.revoked:
            self._revoke(reason, by)

    @event("Revoked")
    def _revoke(self, reason: str, revoked_by: UUID) -> None:
        self.revoked = True
