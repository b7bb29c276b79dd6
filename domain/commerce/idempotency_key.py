"""The IdempotencyKey aggregate: a client's ``Idempotency-Key``, bound to its first request.

Its id is derived from (caller, key), so concurrent retries of one request create the same
aggregate and the event store keeps only the first: that one does the work, the others read
its outcome. The request is remembered by a keyed fingerprint, never by its body (which may
hold a card number).
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, InvalidInputError

MAX_KEY_LENGTH = 255


class IdempotencyKeyReusedError(ConflictError):
    message = "This Idempotency-Key was already used with a different request"


class IdempotencyKey(Aggregate):
    @staticmethod
    def create_id(user_id: UUID, key: str) -> UUID:
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidInputError("An Idempotency-Key is 1-255 printable characters")
        return uuid5(NAMESPACE_URL, f"campus:idempotency:{user_id}:{key}")

    @event("Claimed")
    def __init__(self, user_id: UUID, key: str, fingerprint: str, result_id: UUID) -> None:
        self.user_id, self.key = user_id, key
        self.fingerprint, self.result_id = fingerprint, result_id

    def ensure_same(self, fingerprint: str) -> UUID:
        """The first request's result, if this is the same request again."""
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReusedError
        return self.result_id
