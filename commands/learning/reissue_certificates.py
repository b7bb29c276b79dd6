"""Re-issue a learner's certificates under their corrected name (same unique ids).

It follows a profile update that changed the name (see ``POLICIES`` in ``commands.handlers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.applications import Identity, Learning
from commands.contention import retried
from commands.users.update_profile import UpdateProfile


@dataclass(frozen=True)
class ReissueCertificates:
    user_id: UUID


def reissue_certificates(cmd: ReissueCertificates, learning: Learning, identity: Identity) -> int:
    """How many certificates got a new edition."""
    transcript = learning.read_transcript(cmd.user_id)
    if transcript is None or not transcript.certificate_ids:
        return 0  # the common case: nothing issued to this learner, so no need to load them
    name = identity.get_user(cmd.user_id).name

    def attempt() -> int:
        certificates = [learning.get_certificate(i) for i in transcript.certificate_ids]
        changed = [c for c in certificates if not c.revoked and c.learner_name != name]
        for certificate in changed:
            certificate.reissue(name)
        if changed:
            learning.save(*changed)
        return len(changed)

    return retried(attempt)


def after_name_change(cmd: UpdateProfile) -> ReissueCertificates | None:
    """A profile update that names the learner may correct the name on their certificates."""
    return ReissueCertificates(cmd.user_id) if cmd.name is not None else None
