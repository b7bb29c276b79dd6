"""The IdempotencyKey aggregate's rules, in memory: a key is bound to its first request."""

from __future__ import annotations

import uuid

import pytest

from domain.commerce.idempotency_key import IdempotencyKey, IdempotencyKeyReusedError
from domain.errors import ConflictError, InvalidInputError

USER = uuid.uuid4()


def claimed(fingerprint: str = "fp-1") -> tuple[IdempotencyKey, uuid.UUID]:
    result_id = uuid.uuid4()
    return IdempotencyKey(USER, "key-1", fingerprint, result_id), result_id


def test_the_same_request_again_answers_the_first_result():
    key, result_id = claimed("fp-1")

    assert key.ensure_same("fp-1") == result_id


def test_another_request_with_the_same_key_is_refused():
    key, _ = claimed("fp-1")
    with pytest.raises(IdempotencyKeyReusedError):
        key.ensure_same("fp-2")


def test_reusing_a_key_is_a_conflict():
    assert issubclass(IdempotencyKeyReusedError, ConflictError)


@pytest.mark.parametrize("key", ["", "k" * 256, "key\n1", "key\x001", "key\t1"])
def test_a_key_that_is_not_1_to_255_printable_characters_is_refused(key):
    with pytest.raises(InvalidInputError):
        IdempotencyKey.create_id(USER, key)


@pytest.mark.parametrize("key", ["k", "k" * 255, "order 42 / retry"])
def test_a_key_of_1_to_255_printable_characters_is_accepted(key):
    assert isinstance(IdempotencyKey.create_id(USER, key), uuid.UUID)


def test_the_same_key_of_one_user_has_one_id():
    assert IdempotencyKey.create_id(USER, "key-1") == IdempotencyKey.create_id(USER, "key-1")


def test_the_same_key_of_two_users_has_two_ids():
    assert IdempotencyKey.create_id(USER, "key-1") != IdempotencyKey.create_id(
        uuid.uuid4(), "key-1"
    )
