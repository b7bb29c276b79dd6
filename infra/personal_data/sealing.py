"""Sealing one value with its person's key, and opening it again while the key exists.

A sealed value is a string that names its person, so whoever holds a published event can open
it with the keys table alone, knowing nothing of the event's class:
``sealed:v1:<person id>:<nonce and AES-GCM ciphertext, base64url>``. The person's id is the
associated data: a sealed value moved onto another person does not open.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sealed:v1:"
NONCE_BYTES = 12


@lru_cache(maxsize=4096)
def cipher(key: bytes) -> AESGCM:
    """The key's cipher, made once: making it took most of a rebuild's opening of values."""
    return AESGCM(key)


def seal(key: bytes, subject: str, value: Any) -> str:
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(value, separators=(",", ":")).encode()
    sealed = nonce + cipher(key).encrypt(nonce, plain, subject.encode())
    return f"{PREFIX}{subject}:{base64.urlsafe_b64encode(sealed).decode().rstrip('=')}"


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def subject_of(sealed: str) -> str:
    return sealed[len(PREFIX) :].split(":", 1)[0]


def unseal(keys: Mapping[str, bytes | None], sealed: str) -> Any:
    """The value, or None when its person's key is gone (they were erased)."""
    subject, _, text = sealed[len(PREFIX) :].partition(":")
    key = keys.get(subject)
    if key is None:
        return None
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    try:
        plain = cipher(key).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], subject.encode())
    except InvalidTag:
        return None  # not sealed for this person: unreadable, as an erased value is
    return json.loads(plain.decode())  # text: bytes would have their encoding sniffed


def sealed_subjects(value: Any) -> set[str]:
    """The people whose sealed values ``value`` holds, however deeply."""
    if is_sealed(value):
        return {subject_of(value)}
    if isinstance(value, dict):
        return set().union(*map(sealed_subjects, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(sealed_subjects, value)) if value else set()
    return set()


def opened(value: Any, unseal_one: Callable[[str], Any]) -> Any:
    """``value`` with every sealed value in it opened."""
    if is_sealed(value):
        return unseal_one(value)
    if isinstance(value, dict):
        return {k: opened(v, unseal_one) for k, v in value.items()}
    if isinstance(value, list):
        return [opened(v, unseal_one) for v in value]
    return value
