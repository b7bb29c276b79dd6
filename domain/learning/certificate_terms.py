"""The terms a certificate is told in, apart from the Certificate aggregate: the short unique id
anyone verifies it by, and the errors for one that does not exist, was revoked, or was not
earned. The read API speaks of these without reaching into the aggregate.
"""

from __future__ import annotations

import base64
import hashlib
from uuid import UUID

from domain.errors import ConflictError, InvalidInputError, NotFoundError


class CertificateNotFoundError(NotFoundError):
    message = "Certificate not found"


class CertificateRevokedError(ConflictError):
    message = "This certificate has been revoked"


class NotEligibleError(InvalidInputError):
    message = "Invalid input data or incomplete course"


def unique_id_of(certificate_id: UUID) -> str:
    """60 bits of the id's SHA-256 (every bit varies, unlike a uuid5's own) in base32: letters
    and 2-7, so no 0 or 1 to mistake for O or I."""
    code = base64.b32encode(hashlib.sha256(certificate_id.bytes).digest()).decode()[:12]
    return "CMP-" + "-".join(code[i : i + 4] for i in range(0, 12, 4))
