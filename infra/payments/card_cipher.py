"""Encryption of the ``card_details`` a payment keeps (AesGcmCardCipher), with AES-GCM.

A token is ``"v1."`` + URL-safe base64 of a random 12-byte nonce followed by the ciphertext
(tag included) of the details as JSON. GCM authenticates what it encrypts, so a token changed
by one bit fails to decrypt instead of yielding other details. The key is
``CAMPUS_CARD_DETAILS_KEY`` (base64 of 16, 24 or 32 bytes); the embedded default generates
one into its data directory on first use and keeps it there.
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from commands.payments.ports import CardCipher
from infra.security.secrets import configured_or_generated
from infra.settings import Settings

VERSION = "v1."
NONCE_BYTES = 12
# Binds each token to its purpose: ciphertext made under this key for anything else won't pass.
PURPOSE = b"campus.card_details.v1"


class AesGcmCardCipher:
    def __init__(self, key: bytes) -> None:
        self.aead = AESGCM(key)

    def encrypt(self, details: dict[str, str]) -> str:
        """An opaque token holding ``details``; a fresh nonce each time, so equal details differ."""
        nonce = os.urandom(NONCE_BYTES)
        plaintext = json.dumps(details, separators=(",", ":")).encode()
        sealed = nonce + self.aead.encrypt(nonce, plaintext, PURPOSE)
        return VERSION + base64.urlsafe_b64encode(sealed).decode()

    def decrypt(self, token: str) -> dict[str, str]:
        """The details in ``token``; ``ValueError`` if another key made it or it was altered."""
        if not token.startswith(VERSION):
            raise ValueError("Not a card details token")
        try:
            sealed = base64.urlsafe_b64decode(token[len(VERSION) :].encode())
            plaintext = self.aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], PURPOSE)
        except (binascii.Error, InvalidTag):
            raise ValueError(
                "The card details token is corrupt or was made by another key"
            ) from None
        details = json.loads(plaintext)
        if not isinstance(details, dict):
            raise ValueError("The card details token does not hold card details")
        return details


def open_card_cipher(settings: Settings) -> CardCipher:
    """The cipher under the configured key, or the embedded default's generated one."""
    encoded = configured_or_generated(
        settings,
        settings.card_details_key,
        "card-details-key",
        lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "CAMPUS_CARD_DETAILS_KEY",
    )
    return AesGcmCardCipher(decoded_key(encoded))


def decoded_key(encoded: str) -> bytes:
    try:
        # Either base64 alphabet, padding optional: what `openssl rand -base64 32` prints works.
        key = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
    except (binascii.Error, ValueError):
        raise RuntimeError("CAMPUS_CARD_DETAILS_KEY is not base64") from None
    if len(key) not in (16, 24, 32):
        raise RuntimeError(
            f"CAMPUS_CARD_DETAILS_KEY must be 16, 24 or 32 bytes of base64, not {len(key)} bytes"
        )
    return key
